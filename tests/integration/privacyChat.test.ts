import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { PRIVACY_NOTICE_VERSION } from '../../src/chat/privacyNotice';
import { contactReminderJob } from '../../src/jobs/contactReminder';
import { createLogger } from '../../src/log';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const BOUND_AT = SHANGHAI('2026-11-02T10:00:00');
const FRIDAY_W45 = SHANGHAI('2026-11-06T19:00:00');
const FRIDAY_W50 = SHANGHAI('2026-12-11T19:00:00');

describeEachEngine('notice and rights in chat', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: InboxProcessor;
  let clock: Date;

  const say = async (externalId: string, text: string, at = clock) => {
    clock = at;
    const handled = await inbox.receive({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId }, text, receivedAt: at });
    // Only what the sender reads: a request also notifies the director from the same turn.
    return handled.replies.filter((reply) => reply.address === externalId).map((reply) => reply.text).join('\n');
  };
  const remindersTo = async (address: string) => database.db.outboxMessage.count({ where: { address, messageKey: { startsWith: 'contact' } } });

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, BOUND_AT);
    clock = BOUND_AT;
    inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => clock });
  });
  afterEach(() => database.drop());

  async function bindParent(name: string, externalId: string, childId: number) {
    const invite = await invitePerson(database.db, { name, role: 'parent', areaId: village.villageId, childId, linkKind: 'parent', now: BOUND_AT });
    await database.db.childLink.updateMany({ where: { personId: invite.personId }, data: { worksAway: true, startedAt: SHANGHAI('2026-10-01T00:00:00') } });
    return { reply: await say(externalId, `绑定 ${invite.code}`, BOUND_AT), personId: invite.personId };
  }

  it('gives the notice on binding and records its version; 我的数据 lists what is kept in plain words without the texts', async () => {
    await database.db.child.update({ where: { id: village.childId }, data: { familySituation: '父亲服刑', schoolName: '测试小学', grade: '三年级' } });
    const { reply, personId } = await bindParent('张伟', 'wxid-zw', village.childId);
    expect(reply).toMatch(/^绑定成功！张伟/);
    expect(reply).toContain('【个人信息告知】');
    expect(reply).toContain('谁能看');
    expect(await database.db.person.findUniqueOrThrow({ where: { id: personId } })).toMatchObject({ noticeVersion: PRIVACY_NOTICE_VERSION, noticeAt: BOUND_AT });

    const stored = await say('wxid-zw', '我的数据');
    expect(stored).toContain('姓名：张伟');
    expect(stored).toContain('孩子张小明');
    expect(stored).toContain('测试小学三年级');
    expect(stored).toContain('家庭情况：有记录');
    expect(stored).not.toContain('服刑');
  });

  it('暂停提醒 stops the weekly prompts for that parent only, 恢复提醒 brings them back, 退订 stops them for good', async () => {
    await bindParent('张伟', 'wxid-zw', village.childId);
    const other = await database.db.child.create({ data: { name: '李小丽', birthDate: '2017-03-01', areaId: village.villageId } });
    await bindParent('李强', 'wxid-lq', other.id);

    expect(await say('wxid-zw', '暂停提醒 2周', SHANGHAI('2026-11-03T09:00:00'))).toMatch(/2周内不再给您发提醒（到11月17日）/);
    const run = (now: Date) => contactReminderJob.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
    expect(await run(FRIDAY_W45)).toMatchObject({ prompted: 1 });
    expect(await remindersTo('wxid-zw')).toBe(0);
    expect(await remindersTo('wxid-lq')).toBe(1);

    expect(await say('wxid-zw', '恢复提醒', SHANGHAI('2026-11-09T09:00:00'))).toContain('已恢复');
    expect(await say('wxid-lq', '退订', SHANGHAI('2026-11-09T09:00:00'))).toContain('已退订');
    expect(await say('wxid-lq', '我的数据')).toContain('提醒：已退订');
    expect(await run(FRIDAY_W50)).toMatchObject({ prompted: 1 });
    expect(await remindersTo('wxid-zw')).toBe(1);
    expect(await remindersTo('wxid-lq')).toBe(1);
  });

  it('更正 and 删除我的信息 reach the village director with a deadline; the answer reaches the person', async () => {
    await bindParent('张伟', 'wxid-zw', village.childId);
    const director = await say('wxid-director', `绑定 ${village.directorCode}`, BOUND_AT);
    expect(director).toMatch(/^绑定成功！李主任/);

    expect(await say('wxid-zw', '更正 我的电话改为13800001234', SHANGHAI('2026-11-03T09:00:00'))).toMatch(/^已收到您的更正申请（编号(\d+)），村儿童主任将在11月18日前答复您。$/);
    expect(await say('wxid-zw', '删除我的信息')).toMatch(/^已收到您的删除申请/);
    const toDirector = await database.db.outboxMessage.findMany({ where: { address: 'wxid-director' }, orderBy: { id: 'asc' } });
    expect(toDirector.map((message) => message.text)).toEqual([expect.stringMatching(/^绑定成功/), expect.stringMatching(/^张伟提出更正申请/), expect.stringMatching(/^张伟提出删除申请/)]);

    const [correction] = await database.db.dataRequest.findMany({ orderBy: { id: 'asc' } });
    const stored = await database.db.$queryRawUnsafe<Array<{ text: string }>>('SELECT "text" FROM "DataRequest" WHERE "kind" = \'correction\'');
    expect(stored[0]!.text).not.toContain('13800001234');

    const list = await say('wxid-director', '申请');
    expect(list).toContain(`${correction!.id}. 张伟 更正：我的电话改为13800001234（11月18日前答复）`);
    expect(list).toContain('张伟 删除信息');
    expect(await say('wxid-director', `申请 ${correction!.id} 已改为新号码`)).toBe(`已答复申请${correction!.id}，并告知张伟。`);
    const toParent = await database.db.outboxMessage.findFirstOrThrow({ where: { address: 'wxid-zw' }, orderBy: { id: 'desc' } });
    expect(toParent.text).toBe(`您的更正申请（编号${correction!.id}）已答复：已改为新号码`);
    expect(await say('wxid-director', `申请 ${correction!.id} 再答一次`)).toMatch(/^没有待答复的申请/);
    expect(await say('wxid-director', '申请')).not.toContain('更正：');
  });

  it('answers a bad pause with how to say it', async () => {
    await bindParent('张伟', 'wxid-zw', village.childId);
    expect(await say('wxid-zw', '暂停提醒 100周')).toMatch(/^请发送“暂停提醒 周数”/);
  });
});
