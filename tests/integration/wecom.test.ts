import { keyed } from '../../src/texts/keyedMessages';
import { platformLimitsPurgeJob } from '../../src/jobs/platformLimitsPurge';
import { weeklySummaryJob } from '../../src/jobs/weeklySummary';
import { createLogger } from '../../src/log';
import type { RunningService } from '../../src/service';
import { createApiToken } from '../../src/store/access/apiTokens';
import { queueMessage } from '../../src/store/messaging/outbox';
import { startTestService } from '../support/inProcessService';
import { SimulatedWecom } from '../support/simulatedWecom';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const NOW = new Date('2026-11-04T02:00:00.000Z');
/** Tencent's WeCom sample CorpID, Token and EncodingAESKey. */
const APP = { name: 'district', corpId: 'wx5823bf96d3bd56c7', agentId: 1000002, secret: 'simulated-corp-secret', token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', dailyQuota: 40 };
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

    // The minute and hour windows (and the application's day) are counted in the database until the daily purge after they end.
    expect(await database.db.rateCount.count()).toBe(4);
    const later = new Date(NOW.getTime() + 2 * 3_600_000);
    expect(await platformLimitsPurgeJob.run({ db: database.db, engine, now: later, timeZone: 'Asia/Shanghai', logger: createLogger('silent') })).toEqual({ purged: 3 });
  });

  it('counts the application’s daily quota ahead: what it would refuse waits for the next day, visibly', async () => {
    await database.db.$transaction(async (tx) => {
      const director = { channel: 'wecom', botAccount: 'district', address: 'li.director', isRoom: false, personId: village.directorId };
      const officer = { channel: 'wecom', botAccount: 'district', address: 'zhao.officer', isRoom: false, personId: officerId };
      for (let i = 0; i < 45; i += 1) await queueMessage(tx, i % 2 ? director : officer, keyed.agreementMissing([`孩子${i}`], 1), { now, dedupeKey: `quota:${i}` });
    });
    await round();
    expect(wecom.delivered).toHaveLength(40);
    expect(wecom.quotaRefusals).toBe(0);
    const nextDay = new Date('2026-11-04T16:00:00.000Z');
    expect(await database.db.outboxMessage.findMany({ where: { status: 'pending' }, select: { nextAttemptAt: true, lastError: true } })).toEqual(
      Array.from({ length: 5 }, () => ({ nextAttemptAt: nextDay, lastError: expect.stringContaining('daily quota') })),
    );
    const health = (await (await fetch(`${service.url}/healthz`)).json()) as { channels: Array<{ channel: string; accounts: Array<Record<string, unknown>> }> };
    expect(health.channels.find((channel) => channel.channel === 'wecom')!.accounts[0]).toMatchObject({ token: 'valid', quotaUsedUntil: nextDay.toISOString() });

    now = new Date(nextDay.getTime() + 60_000);
    await round();
    expect(wecom.delivered).toHaveLength(45);
    expect(wecom.quotaRefusals).toBe(0);
  });

  it('sends Monday’s weekly summary to the township officers and, once, to the township’s staff group', async () => {
    const colleague = await database.db.person.create({ data: { name: '孙干事', role: 'officer', areaId: village.townshipId, wecomUserId: 'sun.officer' } });
    await database.db.chatIdentity.create({ data: { personId: colleague.id, channel: 'wecom', botAccount: 'district', externalId: 'sun.officer' } });
    await wecom.member('li.director').says('报告 张小明 打骂 脸上有伤，说是被打的');
    await round();
    wecom.robotPosts.splice(0);
    wecom.delivered.splice(0);

    now = new Date('2026-11-09T00:30:00.000Z'); // Monday 08:30 in Shanghai
    const run = () => weeklySummaryJob.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
    expect(await run()).toMatchObject({ queued: 2 });
    await round();
    const summary = '【每周汇总】测试镇 11月2日至11月8日：亲情联系按时0人次、缺失0人次；新报告1件；在办个案1件，其中超期1件，请督办。';
    expect(wecom.deliveredTo('zhao.officer')).toEqual([expect.objectContaining({ text: summary })]);
    expect(wecom.deliveredTo('sun.officer')).toEqual([expect.objectContaining({ text: summary })]);
    expect(wecom.robotPosts).toEqual([{ key: 'TOWNSHIP-ROBOT', text: summary, at: now }]);

    expect(await run()).toMatchObject({ queued: 0, alreadyQueued: 2 });
  });
});
