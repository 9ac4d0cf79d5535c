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
    return handled.replies.map((reply) => reply.text).join('\n');
  };
  const remindersTo = async (address: string) => database.db.outboxMessage.count({ where: { address, messageKey: { startsWith: 'contact' } } });

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, BOUND_AT);
    clock = BOUND_AT;
    inbox = new InboxProcessor({ db: database.db, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => clock });
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

  it('answers a bad pause with how to say it', async () => {
    await bindParent('张伟', 'wxid-zw', village.childId);
    expect(await say('wxid-zw', '暂停提醒 100周')).toMatch(/^请发送“暂停提醒 周数”/);
  });
});
