import { spawn } from 'node:child_process';
import path from 'node:path';
import { cleanEnv, PROJECT_ROOT } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';
import { PROCESS_RUN_MS, processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 1 }));

/** `npm run chat -- --as …` with lines typed in, until the output shows `expected`. */
function chat(database: TestDatabase, as: string, lines: string[], expected: RegExp): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'bots/console/main.ts'), '--as', as], {
    cwd: PROJECT_ROOT,
    env: { ...cleanEnv(), DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: database.dataKey.toString('hex') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no ${expected} in:\n${output}`));
    }, PROCESS_RUN_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!expected.test(output)) return;
      clearTimeout(timer);
      child.stdin.end();
      child.on('exit', () => resolve(output));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    for (const line of lines) child.stdin.write(`${line}\n`);
  });
}

describeEachEngine('the terminal chat', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
  });
  afterAll(() => database.drop());

  it('binds with an invite code and answers like the bot does', async () => {
    const output = await chat(database, village.directorCode, ['帮助'], /本说明/);
    expect(output).toMatch(/守望 → 绑定成功！李主任，您的身份是儿童主任/);
    expect(output).toMatch(/守望 → 李主任您好，您是儿童主任。可以发送：/);
  });

  it('talks as a registered person by id', async () => {
    const output = await chat(database, String(village.directorId), ['邀请 家长 张伟 张小明'], /邀请码：\d{6}/);
    expect(output).toMatch(/已为家长张伟（张小明）生成邀请码/);
  });
});
