import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/runTs';
import { SimulatedMpPlatform } from '../support/simulatedWechatMp';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson } from '../support/village';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 1 }));

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

describe('npm run cli -- import wecom-userids', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('sets the userids of the listed people and names each row it could not take', async () => {
    const village = await createVillage(database.db);
    const officer = await database.db.person.create({ data: { name: '赵民政', role: 'officer', areaId: village.townshipId } });
    await database.db.person.update({ where: { id: village.directorId }, data: { wecomUserId: 'taken.id' } });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'shouwang-wecom-')), 'staff.csv');
    writeFileSync(file, `人员ID,企业微信账号\n${officer.id},zhao.officer\n99999,nobody\n${officer.id},taken.id\n`);

    const result = await runCli(['import', 'wecom-userids', file], { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: database.dataKey.toString('hex') });

    expect(result.stdout.split('\n')).toEqual([
      '第3行 未导入：没有人员ID 99999',
      '第4行 未导入：企业微信账号 taken.id 已属于另一个人',
      '已设置 1，未导入 2。企业微信应用下次启动或对方发消息时即可联系到他们。',
      '',
    ]);
    expect(result.code).toBe(1);
    expect((await database.db.person.findUniqueOrThrow({ where: { id: officer.id } })).wecomUserId).toBe('zhao.officer');
  });
});
