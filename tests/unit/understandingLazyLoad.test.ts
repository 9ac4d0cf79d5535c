import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Issue 13: the calendar and pinyin libraries and the danger model load with the first free-text message, not at start-up. */
describe('the understanding step’s libraries', () => {
  it('are not loaded by starting the service, and are by the first free-text messages that need them', () => {
    const script = `
      require('./src/service');
      const loaded = () => Object.keys(require.cache).filter((file) => /lunar-typescript|pinyin-pro|dangerModel\\.json/.test(file)).map((file) => file.match(/lunar-typescript|pinyin-pro|dangerModel\\.json/)[0]).sort();
      const atStart = loaded();
      const family = { role: 'parent', today: '2026-11-30', children: [{ name: '王小红' }, { name: '王小明' }] };
      const { understand } = require('./src/chat/understanding/understand');
      understand('腊月二十六回家', family);
      understand('和红红视频了', family);
      process.stdout.write(JSON.stringify({ atStart, afterFirstMessage: [...new Set(loaded())] }));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.join(__dirname, '../..'), encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ atStart: [], afterFirstMessage: ['dangerModel.json', 'lunar-typescript', 'pinyin-pro'] });
  });
});
