import { createServer } from 'node:net';
import type { RunningService } from '../../src/service';
import { startTestService } from '../support/inProcessService';
import { runCli } from '../support/runTs';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';
import { processBudget } from '../support/budgets';

// The service runs in this process; each test runs one CLI process.
jest.setTimeout(processBudget({ runs: 1 }));

const MP = { name: 'city', appId: 'wx2c2769f8efd9abc2', appSecret: 'simulated-app-secret', token: 'spamtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const WECOM = { name: 'district', corpId: 'wx5823bf96d3bd56c7', agentId: 1000002, secret: 'simulated-corp-secret', token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

/** A port nothing listens on now: the CLI's simulated platform takes it. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('npm run cli -- wechat simulate', () => {
  let database: TestDatabase;
  let service: RunningService;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const village = await createVillage(database.db);
    await database.db.person.update({ where: { id: village.directorId }, data: { wecomUserId: 'li.director' } });
    const channels = JSON.stringify({
      wechatMp: [{ ...MP, apiBase: `http://127.0.0.1:${await freePort()}` }],
      wecom: [{ ...WECOM, apiBase: `http://127.0.0.1:${await freePort()}` }],
    });
    service = await startTestService(database, { SHOUWANG_OFFICIAL_CHANNELS: channels });
    env = { SHOUWANG_OFFICIAL_CHANNELS: channels, DATABASE_URL: database.target.url };
  });
  afterAll(async () => {
    await service.stop();
    await database.drop();
  });

  it('posts a signed 服务号 callback and shows the 客服消息 the service sent back', async () => {
    const result = await runCli(['wechat', 'simulate', 'mp', '--account', 'city', '--from', 'o-newcomer', '--text', '帮助', '--service', service.url], env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('callback → HTTP 200 success');
    expect(result.stdout).toContain('客服消息 → o-newcomer:\n您好，这里是守望关爱服务。请先发送“绑定 邀请码”');
  });

  it('posts an encrypted WeCom callback and shows the app message', async () => {
    const result = await runCli(['wechat', 'simulate', 'wecom', '--account', 'district', '--from', 'li.director', '--text', '帮助', '--service', service.url], env);
    expect(result.stdout).toContain('callback → HTTP 200');
    expect(result.stdout).toContain('应用消息 → li.director:\n李主任您好，您是儿童主任。');
  });

  it('refuses an account that is not configured', async () => {
    const result = await runCli(['wechat', 'simulate', 'mp', '--account', 'nowhere', '--from', 'o-1', '--text', '帮助'], env);
    expect([result.code, result.stderr]).toEqual([2, 'No 服务号 account is named nowhere.\n']);
  });
});
