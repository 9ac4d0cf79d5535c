import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, runTs } from '../support/runTs';
import { startServiceProcess } from '../support/serviceProcess';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 1, services: 1 }));

/** The node arguments `npm start` runs (package.json), so the test follows what operators run. */
function npmStartArguments(): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [command, ...args] = scripts.start!.split(/\s+/);
  expect(command).toBe('node');
  return args;
}

describe('npm start, compiled', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-compiled-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the service into one file that finds its migrations and the console from the project folder and reports healthy', async () => {
    const built = await runTs('deploy/buildServer.ts', []);
    expect(built).toMatchObject({ code: 0, stderr: '' });

    const service = await startServiceProcess({ DATABASE_URL: `file:${path.join(dir, 'shouwang.db')}`, SHOUWANG_SPOOL_DIR: path.join(dir, 'spool') }, undefined, undefined, npmStartArguments());
    try {
      expect(service.output()).toMatch(/"msg":"database migrated"/);
      const health = await fetch(`${service.url}/healthz`);
      expect(health.status).toBe(200);
      expect((await fetch(`${service.url}/console/`)).status).toBe(200);
      expect(readFileSync(`/proc/${service.pid}/cmdline`, 'utf8')).toContain('dist/server/main.js');
    } finally {
      await service.stop();
    }
  });
});
