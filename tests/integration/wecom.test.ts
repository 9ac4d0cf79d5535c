import { keyed } from '../../src/texts/keyedMessages';
import { platformLimitsPurgeJob } from '../../src/jobs/platformLimitsPurge';
import { createLogger } from '../../src/log';
import type { RunningService } from '../../src/service';
import { createApiToken } from '../../src/store/apiTokens';
import { queueMessage } from '../../src/store/outbox';
import { startTestService } from '../support/inProcessService';
import { SimulatedWecom } from '../support/simulatedWecom';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const NOW = new Date('2026-11-04T02:00:00.000Z');
/** Tencent's WeCom sample CorpID, Token and EncodingAESKey. */
const APP = { name: 'district', corpId: 'wx5823bf96d3bd56c7', agentId: 1000002, secret: 'simulated-corp-secret', token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const TOWNSHIP_CODE = '880101001';

describeEachEngine('staff on WeCom', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wecom: SimulatedWecom;
  let service: RunningService;
  let now: Date;
  let officerId: number;

  beforeEach(async () => {
    now = NOW;
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, now);
    await database.db.person.update({ where: { id: village.directorId }, data: { wecomUserId: 'li.director' } });
    officerId = (await database.db.person.create({ data: { name: '赵民政', role: 'officer', areaId: village.townshipId, wecomUserId: 'zhao.officer' } })).id;
    wecom = new SimulatedWecom(APP, () => now, () => service.url);
    const apiBase = await wecom.start();
    const config = { wecom: [{ ...APP, apiBase, caseLinkBase: 'https://console.example.gov.cn/cases', robots: { [TOWNSHIP_CODE]: wecom.robotUrl('TOWNSHIP-ROBOT') } }] };
    service = await startTestService(database, { SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify(config) }, { clock: () => now, jobs: [], manualDispatch: true });
  });
  afterEach(async () => {
    await service.stop();
    await wecom.stop();
    await database.drop();
  });

  const round = async () => {
    await service.inbox.settled();
    await service.dispatcher.runOnce();
  };

  it('answers WeCom’s URL check with the decrypted echostr, and refuses a wrong signature', async () => {
    expect(await wecom.verifyUrl('1616140317555161061')).toEqual({ status: 200, text: '1616140317555161061' });
    expect((await wecom.signedPush({ FromUserName: 'li.director', CreateTime: 1, MsgType: 'text', Content: '帮助', MsgId: '1' }, { token: 'another' }).post()).status).toBe(403);
    expect((await wecom.signedPush({ FromUserName: 'li.director', CreateTime: 1, MsgType: 'text', Content: '帮助', MsgId: '1' }, { corpId: 'ww0000000000000000' }).post()).status).toBe(403);
    expect(await database.db.inboxMessage.count()).toBe(0);
  });

  it('carries a director’s urgent report to the township group and, as a card with the case link, to the township officer within one dispatcher round', async () => {
    expect((await wecom.member('li.director').says('报告 张小明 打骂 脸上有伤，说是被打的')).status).toBe(200);
    await round();

    const number = (await database.db.report.findFirstOrThrow()).number;
    expect(wecom.robotPosts).toEqual([{ key: 'TOWNSHIP-ROBOT', text: expect.stringContaining(`【紧急报告】${number}`), at: now }]);
    expect(wecom.deliveredTo('zhao.officer')).toEqual([
      { to: 'zhao.officer', msgtype: 'textcard', title: `【紧急报告】${number}`, description: expect.stringContaining('孩子：张小明'), url: `https://console.example.gov.cn/cases/${number}`, at: now },
    ]);
    expect(wecom.deliveredTo('li.director')).toEqual([expect.objectContaining({ msgtype: 'text', text: expect.stringContaining(`已提交报告，编号 ${number}`) })]);
  });

  it('answers a photo sent outside a report instead of staying silent', async () => {
    await wecom.signedPush({ FromUserName: 'li.director', CreateTime: Math.floor(now.getTime() / 1000), MsgType: 'image', MediaId: 'media-1', PicUrl: 'http://p', MsgId: '77', AgentID: APP.agentId }).post();
    await round();
    expect(wecom.deliveredTo('li.director')).toEqual([expect.objectContaining({ text: expect.stringContaining('要把照片或语音附在报告里，请先发送“报告”') })]);
  });

  it('keeps a photo a director sends while filing a report', async () => {
    const photo = Buffer.from('simulated jpeg bytes');
    wecom.keepMedia('media-9', photo);
    await wecom.member('li.director').says('报告');
    await round();
    const image = { FromUserName: 'li.director', CreateTime: Math.floor(now.getTime() / 1000), MsgType: 'image', MediaId: 'media-9', PicUrl: 'http://p', MsgId: '78', AgentID: APP.agentId };
    await wecom.signedPush(image).post();
    await round();
    expect(wecom.deliveredTo('li.director').at(-1)).toEqual(expect.objectContaining({ text: expect.stringContaining('已收到照片，共1个附件，会随报告一起提交。') }));
    expect(await database.db.inboxMessage.findFirst({ where: { platformMessageId: '78' } })).toMatchObject({ attachmentKind: 'image', attachmentSize: photo.length, attachmentMime: 'image/jpeg' });
  });

  it('has one effect for a message WeCom retries', async () => {
    const push = wecom.signedPush({ FromUserName: 'li.director', CreateTime: Math.floor(now.getTime() / 1000), MsgType: 'text', Content: '报告 张小明 打骂 脸上有伤', MsgId: '4561255354251345929', AgentID: APP.agentId });
    for (let i = 0; i < 3; i += 1) expect((await push.post()).status).toBe(200);
    await round();
    expect(await database.db.report.count()).toBe(1);
  });

  it('recognises a member whose WeCom userid was set over the API, and refuses a userid another person has', async () => {
    const { token } = await createApiToken(database.db, { role: 'officer_township', areaCode: TOWNSHIP_CODE, createdBy: 'test' });
    const newcomer = await database.db.person.create({ data: { name: '钱干事', role: 'officer', areaId: village.townshipId } });
    const patch = (id: number, wecomUserId: string | null) =>
      fetch(`${service.url}/api/v1/people/${id}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ wecomUserId }) });

    const set = await patch(newcomer.id, 'qian.officer');
    expect([set.status, ((await set.json()) as { wecomUserId: string }).wecomUserId]).toEqual([200, 'qian.officer']);
    expect((await patch(newcomer.id, 'zhao.officer')).status).toBe(409);

    await wecom.member('qian.officer').says('帮助');
    await round();
    expect(wecom.deliveredTo('qian.officer')).toEqual([expect.objectContaining({ text: expect.stringContaining('钱干事您好，您是工作人员') })]);
  });

  it('paces a member over 30 messages a minute instead of letting WeCom drop them', async () => {
    await database.db.$transaction(async (tx) => {
      const to = { channel: 'wecom', botAccount: 'district', address: 'zhao.officer', isRoom: false, personId: officerId };
      for (let i = 0; i < 35; i += 1) await queueMessage(tx, to, keyed.agreementMissing([`孩子${i}`], 1), { now, dedupeKey: `pace:${i}` });
    });
    await round();
    expect(wecom.deliveredTo('zhao.officer')).toHaveLength(30);
    now = new Date(NOW.getTime() + 60_000);
    await round();
    expect(wecom.deliveredTo('zhao.officer')).toHaveLength(35);
    expect(wecom.dropped).toEqual([]);
    expect(await database.db.outboxMessage.count({ where: { status: 'sent' } })).toBe(35);

    // The minute and hour windows are counted in the database until the daily purge after they end.
    expect(await database.db.rateCount.count()).toBe(3);
    const later = new Date(NOW.getTime() + 2 * 3_600_000);
    expect(await platformLimitsPurgeJob.run({ db: database.db, engine, now: later, timeZone: 'Asia/Shanghai', logger: createLogger('silent') })).toEqual({ purged: 3 });
  });
});
