import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../src/chat/router';
import { CONFIG_VARIABLES } from '../../src/config';
import { JOBS } from '../../src/jobs/jobRegistry';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

describe('the README', () => {
  it('documents every chat keyword', () => {
    const keywords = COMMANDS.flatMap((command) => command.keywords).filter((keyword) => /[\u4e00-\u9fff]/.test(keyword));
    expect(keywords.filter((keyword) => !README.includes(`\`${keyword}`))).toEqual([]);
  });

  it('documents every configuration variable', () => {
    expect(CONFIG_VARIABLES.filter((name) => !README.includes(`\`${name}\``))).toEqual([]);
  });

  it('lists every scheduled job with its default schedule', () => {
    expect(JOBS.filter((job) => !README.includes(`| \`${job.name}\` | \`${job.defaultSchedule}\` |`)).map((job) => job.name)).toEqual([]);
  });
});
