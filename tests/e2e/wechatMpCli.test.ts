import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/runTs';
import { SimulatedMpPlatform } from '../support/simulatedWechatMp';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson } from '../support/village';

const ACCOUNT = { name: 'city', appId: 'wx2c2769f8efd9abc2', appSecret: 'simulated-app-secret', token: 'spamtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };

describe('npm run cli -- invite create --qr', () => {
  let database: TestDatabase;
  let platform: SimulatedMpPlatform;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    platform = new SimulatedMpPlatform(ACCOUNT, () => new Date(), () => 'http://127.0.0.1:9');
    const apiBase = await platform.start();
    env = {
      DATABASE_URL: database.target.url,
      SHOUWANG_DATA_KEY: database.dataKey.toString('hex'),
      SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify({ wechatMp: [{ ...ACCOUNT, apiBase }] }),
    };
  });
  afterAll(async () => {
    await platform.stop();
    await database.drop();
  });

  it('writes the 服务号 QR code whose scene is the invite code', async () => {
    const village = await createVillage(database.db);
    const parent = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'shouwang-qr-')), 'invite.png');

    const result = await runCli(['invite', 'create', '--person', String(parent.personId), '--qr', file], env);

    expect(result.stderr).toBe('');
    const code = /Invite code for 张伟: (\d{6})/.exec(result.stdout)?.[1];
    expect(result.stdout).toContain(`服务号 QR code: ${file}`);
    expect(readFileSync(file).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([...platform.qrScenes().values()]).toEqual([code]);
  });

  it('refuses a QR code without a 服务号 account', async () => {
    const result = await runCli(['invite', 'create', '--person', '1', '--qr', 'x.png', '--account', 'nowhere'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No 服务号 account is named nowhere.');
  });
});
