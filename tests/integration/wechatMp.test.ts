import type { WechatMpChannel } from '../../bots/wechat-mp/wechatMpChannel';
import { keyed } from '../../src/texts/keyedMessages';
import { contactLastCallJob } from '../../src/jobs/contactLastCall';
import { contactReminderJob } from '../../src/jobs/contactReminder';
import type { Job } from '../../src/jobs/job';
import { createLogger } from '../../src/log';
import type { RunningService } from '../../src/service';
import { queueMessage } from '../../src/store/messaging/outbox';
import { createApiToken } from '../../src/store/access/apiTokens';
import { unreachableWithin } from '../../src/store/messaging/outboxLeases';
import { startTestService } from '../support/inProcessService';
import { SimulatedMpPlatform } from '../support/simulatedWechatMp';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
/** Wednesday of ISO week 2026-W45. */
const WEDNESDAY = SHANGHAI('2026-11-04T10:00:00');
const ACCOUNT = {
  name: 'city',
  appId: 'wx2c2769f8efd9abc2',
  appSecret: 'simulated-app-secret',
  token: 'spamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const REMINDER_TEMPLATE = 'TPL-contact-reminder';
const HOLIDAY_NOTICE = 'SUB-holiday-prompt';

describeEachEngine('a family on the 服务号', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let platform: SimulatedMpPlatform;
  let service: RunningService;
  let now: Date;
  let parent: { personId: number; code: string };

  beforeEach(async () => {
    now = WEDNESDAY;
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, now);
    parent = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent', now });
    platform = new SimulatedMpPlatform(ACCOUNT, () => now, () => service.url);
    const apiBase = await platform.start();
    const templates = {
      'contact.reminder': { id: REMINDER_TEMPLATE, fields: { thing1: 'child', thing2: 'parent' } },
      'holiday.prompt': { type: 'subscribe', id: HOLIDAY_NOTICE, fields: { thing1: 'child', thing2: 'vacation', time3: 'startsOn' } },
    };
    service = await startTestService(database, { SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify({ wechatMp: [{ ...ACCOUNT, apiBase, templates }] }) }, { clock: () => now, jobs: [], instanceId: 'instance-1', manualDispatch: true });
  });
  afterEach(async () => {
    await service.stop();
    await platform.stop();
    await database.drop();
  });

  const channel = () => service.channels.find((candidate) => candidate.name === 'wechat-mp') as WechatMpChannel;
  const run = (job: Job) => job.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
  /** What the service sent through the platform in one dispatcher round after handling what arrived. */
  async function round(openId = 'o-zhangwei') {
    await service.inbox.settled();
    const before = platform.deliveredTo(openId).length;
    await service.dispatcher.runOnce();
    return platform.deliveredTo(openId).slice(before);
  }
  async function bindByQr() {
    const qr = await channel().api('city')!.sceneQr(parent.code, 7 * 86_400);
    const follower = platform.follower('o-zhangwei');
    expect(await follower.scans(qr.url)).toEqual({ status: 200, text: 'success' });
    await round();
    return follower;
  }

  it('binds a parent who scans the invite’s QR code and answers 已联系 through 客服消息', async () => {
    const follower = await bindByQr();
    expect(await database.db.chatIdentity.findFirst({ where: { channel: 'wechat-mp', externalId: 'o-zhangwei' } })).toMatchObject({ personId: parent.personId });
    expect(platform.deliveredTo('o-zhangwei')).toEqual([expect.objectContaining({ method: 'custom', text: expect.stringContaining('绑定成功') })]);

    await follower.says('已联系 张小明 视频 20');
    expect(await round()).toEqual([expect.objectContaining({ method: 'custom', text: expect.stringContaining('已记录：本周与张小明视频联系20分钟') })]);
  });

  it('makes the invite’s QR code over the admin API, and a parent who scans it is bound', async () => {
    const { token } = await createApiToken(database.db, { role: 'director', areaCode: '880101001001', createdBy: 'test' });
    const response = await fetch(`${service.url}/api/v1/invites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ personId: parent.personId, qr: true }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { code: string; wechatQr: { url: string; png: string } };
    expect(created.wechatQr.png).toMatch(/^data:image\/png;base64,/);
    expect(platform.qrScenes().get(created.wechatQr.url)).toBe(created.code);

    await platform.follower('o-zhangwei').scans(created.wechatQr.url);
    expect(await round()).toEqual([expect.objectContaining({ text: expect.stringContaining('绑定成功！张伟') })]);
  });

  it('greets a plain follower and asks for the invite code; a voice note is read by its recognised words', async () => {
    const stranger = platform.follower('o-stranger');
    await stranger.follows();
    expect(await round('o-stranger')).toEqual([expect.objectContaining({ method: 'custom', text: expect.stringContaining('请先发送“绑定 邀请码”') })]);

    await stranger.speaks(`绑定 ${parent.code}`);
    expect(await round('o-stranger')).toEqual([expect.objectContaining({ text: expect.stringContaining('绑定成功') })]);
  });

  it('keeps the photo and the voice note a director sends while filing a report, and reads a voice note’s recognised words', async () => {
    const director = await invitePerson(database.db, { name: '李主任', role: 'director', areaId: village.villageId, now });
    const follower = platform.follower('o-director');
    await follower.says(`绑定 ${director.code}`);
    await round('o-director');
    await follower.says('报告');
    await round('o-director');
    const photo = Buffer.from('simulated jpeg bytes');
    const audio = Buffer.from('#!AMR simulated voice');
    platform.keepMedia('photo-1', photo, 'image/jpeg');
    platform.keepMedia('voice-1', audio, 'audio/amr');

    await follower.sendsPhoto('photo-1');
    expect(await round('o-director')).toEqual([expect.objectContaining({ text: expect.stringContaining('已收到照片，共1个附件') })]);
    await follower.speaks('孩子说昨晚被打了', 'voice-1');
    expect(await round('o-director')).toEqual([expect.objectContaining({ text: expect.stringContaining('共2个附件') })]);
    const kept = await database.db.inboxMessage.findMany({ where: { channel: 'wechat-mp', attachmentKind: { not: null } }, orderBy: { id: 'asc' } });
    expect(kept.map((row) => [row.attachmentKind, row.attachmentSize, row.attachmentMime, row.text])).toEqual([
      ['image', photo.length, 'image/jpeg', ''],
      ['audio', audio.length, 'audio/amr', '孩子说昨晚被打了'],
    ]);

    // Outside a report the voice note is read by its words, and its audio is not kept.
    await follower.says('取消');
    await round('o-director');
    await bindByQr();
    platform.keepMedia('voice-2', audio, 'audio/amr');
    await platform.follower('o-zhangwei').speaks('已联系 张小明 电话', 'voice-2');
    expect(await round()).toEqual([expect.objectContaining({ text: expect.stringContaining('已记录：本周与张小明电话联系') })]);
    expect(await database.db.inboxMessage.findFirst({ where: { fromExternalId: 'o-zhangwei', attachmentKind: 'audio' } })).toMatchObject({ attachmentPath: null });
  });

  it('has one effect for a message WeChat retries', async () => {
    const follower = await bindByQr();
    const push = platform.signedPush(follower.openId, { MsgType: 'text', Content: '已联系 张小明 电话', MsgId: '6054768590064713728', CreateTime: Math.floor(now.getTime() / 1000) });
    for (let i = 0; i < 3; i += 1) expect(await push.post()).toEqual({ status: 200, text: 'success' });
    expect(await round()).toHaveLength(1);
    expect(await database.db.contactLog.count()).toBe(1);
  });

  it('sends Friday’s reminder outside the 48-hour window as the configured template, with the child and the parent', async () => {
    await bindByQr();
    now = SHANGHAI('2026-11-13T19:00:00');
    await run(contactReminderJob);
    expect(await round()).toEqual([
      { method: 'template', to: 'o-zhangwei', templateId: REMINDER_TEMPLATE, data: { thing1: { value: '张小明' }, thing2: { value: '张伟' } }, at: now },
    ]);
  });

  it('falls back to the template for the sixth message of one window', async () => {
    await bindByQr();
    const follower = platform.follower('o-zhangwei');
    await follower.says('帮助');
    await round();
    await database.db.$transaction(async (tx) => {
      const to = { channel: 'wechat-mp', botAccount: 'city', address: 'o-zhangwei', isRoom: false, personId: parent.personId };
      for (let i = 0; i < 6; i += 1) await queueMessage(tx, to, keyed.contactReminder('张伟', ['张小明']), { now, dedupeKey: `test:${i}` });
    });
    // The help answer took one of the window's five.
    const sent = await round();
    expect(sent.map((message) => message.method)).toEqual(['custom', 'custom', 'custom', 'custom', 'template', 'template']);
  });

  it('lets a row with no template wait for the person’s next message, and shows them as unreachable meanwhile', async () => {
    await bindByQr();
    now = SHANGHAI('2026-11-08T19:00:00');
    await run(contactLastCallJob);
    expect(await round()).toEqual([]);
    const { token } = await createApiToken(database.db, { role: 'officer_township', areaCode: '880101001', createdBy: 'test' });
    const listed = await fetch(`${service.url}/api/v1/outbox/unreachable`, { headers: { authorization: `Bearer ${token}` } });
    expect(await listed.json()).toEqual({ items: [{ person: { id: parent.personId, name: '张伟' }, channel: 'wechat-mp', waiting: 1, waitingSince: now.toISOString() }] });
    const otherTownship = await database.db.area.create({ data: { code: '880101002', name: '别的镇', level: 'township', parentId: village.districtId, path: '/880101/880101002/' } });
    expect(await unreachableWithin(database.db, { path: otherTownship.path })).toEqual([]);

    now = SHANGHAI('2026-11-09T08:00:00');
    await platform.follower('o-zhangwei').says('收到');
    const sent = await round();
    expect(sent.map((message) => message.method)).toEqual(['custom', 'custom']);
    expect(sent.some((message) => message.method === 'custom' && message.text.includes('本周今天就结束了'))).toBe(true);
  });

  it('refreshes a token WeChat refuses (40001) once, and the send succeeds', async () => {
    const follower = await bindByQr();
    const issued = platform.tokensIssued;
    platform.revokeTokens();
    await follower.says('帮助');
    expect(await round()).toEqual([expect.objectContaining({ method: 'custom' })]);
    expect(platform.tokensIssued).toBe(issued + 1);
  });

  it('stops sending when the daily quota is used up (45009), until the next day', async () => {
    const follower = await bindByQr();
    platform.spendDailyQuota();
    await follower.says('帮助');
    expect(await round()).toEqual([]);
    now = SHANGHAI('2026-11-04T23:00:00');
    expect(await round()).toEqual([]);
    now = SHANGHAI('2026-11-05T00:00:01');
    expect(await round()).toEqual([expect.objectContaining({ method: 'custom', text: expect.stringContaining('您是家长') })]);
  });

  it('sends a subscription notice (订阅通知) the follower accepted, and holds one they did not accept (43101) for their next message', async () => {
    await bindByQr();
    now = SHANGHAI('2026-12-20T10:00:00');
    const queueHolidayPrompt = (dedupeKey: string) =>
      database.db.$transaction((tx) =>
        queueMessage(tx, { channel: 'wechat-mp', botAccount: 'city', address: 'o-zhangwei', isRoom: false, personId: parent.personId }, keyed.holidayPrompt('张伟', '张小明', '寒假', '2027-01-20', '2027-02-20', false), {
          now,
          dedupeKey,
        }),
      );
    await queueHolidayPrompt('holiday:1');
    expect(await round()).toEqual([]);
    expect(await database.db.outboxMessage.findFirst({ where: { dedupeKey: 'holiday:1' } })).toMatchObject({ status: 'pending', waitingSince: now, lastError: 'the follower refused holiday.prompt messages (43101)' });

    platform.acceptSubscription('o-zhangwei', HOLIDAY_NOTICE);
    await queueHolidayPrompt('holiday:2');
    expect(await round()).toEqual([
      { method: 'subscribe', to: 'o-zhangwei', templateId: HOLIDAY_NOTICE, data: { thing1: { value: '张小明' }, thing2: { value: '寒假' }, time3: { value: '2027-01-20' } }, at: now },
    ]);
  });

  it('holds a template the follower refused (43101) for their next message, shows them unreachable, and still sends them other kinds', async () => {
    await bindByQr();
    platform.refuseTemplate('o-zhangwei', REMINDER_TEMPLATE);
    platform.acceptSubscription('o-zhangwei', HOLIDAY_NOTICE);
    now = SHANGHAI('2026-11-13T19:00:00');
    await run(contactReminderJob);
    expect(await round()).toEqual([]);
    expect(await database.db.outboxMessage.findFirst({ where: { messageKey: 'contact.reminder' } })).toMatchObject({
      status: 'pending',
      waitingSince: now,
      lastError: 'the follower refused contact.reminder messages (43101)',
    });
    expect(await unreachableWithin(database.db, { path: '/' })).toEqual([expect.objectContaining({ person: { id: parent.personId, name: '张伟' }, channel: 'wechat-mp', waiting: 1 })]);

    // Another kind of message still reaches them; the refused one is not tried again.
    const templateCalls = () => platform.delivered.length + platform.refusedCalls;
    const before = templateCalls();
    await database.db.$transaction((tx) =>
      queueMessage(tx, { channel: 'wechat-mp', botAccount: 'city', address: 'o-zhangwei', isRoom: false, personId: parent.personId }, keyed.holidayPrompt('张伟', '张小明', '寒假', '2027-01-20', '2027-02-20', false), { now, dedupeKey: 'holiday:1' }),
    );
    await database.db.$transaction((tx) =>
      queueMessage(tx, { channel: 'wechat-mp', botAccount: 'city', address: 'o-zhangwei', isRoom: false, personId: parent.personId }, keyed.contactReminder('张伟', ['张小明']), { now, dedupeKey: 'reminder:again' }),
    );
    expect(await round()).toEqual([expect.objectContaining({ method: 'subscribe', templateId: HOLIDAY_NOTICE })]);
    expect(templateCalls()).toBe(before + 1);

    // Their next message opens the window: what waited goes as 客服消息.
    await platform.follower('o-zhangwei').says('好的');
    const sent = await round();
    expect(sent.filter((message) => message.method === 'custom' && message.text.includes('张小明'))).toHaveLength(2);
  });

  it('sends nothing more to a follower who unfollowed, and keeps the identity', async () => {
    const follower = await bindByQr();
    expect(await follower.unfollows()).toEqual({ status: 200, text: 'success' });
    await service.inbox.settled();
    const identity = await database.db.chatIdentity.findFirstOrThrow({ where: { externalId: 'o-zhangwei' } });
    expect(identity.unreachableAt).toEqual(now);
    now = SHANGHAI('2026-11-06T19:00:00');
    await run(contactReminderJob);
    expect(await round()).toEqual([]);
    expect(await database.db.outboxMessage.findFirst({ where: { messageKey: 'contact.reminder' } })).toMatchObject({ status: 'dead', lastError: 'the follower unfollowed the account' });
  });
});
