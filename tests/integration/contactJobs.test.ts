import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { contactLastCallJob } from '../../src/jobs/contactLastCall';
import { contactReminderJob } from '../../src/jobs/contactReminder';
import { contactWeekCloseJob } from '../../src/jobs/contactWeekClose';
import type { Job } from '../../src/jobs/job';
import { createLogger } from '../../src/log';
import { awayParentBatches, awayParentWeekBatches } from '../../src/store/contact/contactWeeks';
import { openDatabase, type Db } from '../../src/store/db/database';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

// Weeks in Asia/Shanghai (UTC+8), November 2026: W45 runs Mon 11-02 to Sun 11-08.
const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const WEEK45 = {
  wednesday: SHANGHAI('2026-11-04T12:00:00'),
  thursday: SHANGHAI('2026-11-05T20:00:00'),
  friday19: SHANGHAI('2026-11-06T19:00:00'),
  saturday: SHANGHAI('2026-11-07T10:00:00'),
  sunday19: SHANGHAI('2026-11-08T19:00:00'),
};
/** Monday 09:00 closes the week before it: 11-02 closes W44, 11-09 closes W45, … */
const MONDAY_CLOSE = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30'].map((day) => SHANGHAI(`${day}T09:00:00`));
const LINKED_SINCE = SHANGHAI('2026-10-01T00:00:00');

describeEachEngine('weekly parent–child contact jobs', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: InboxProcessor;
  let clock: Date;

  const run = (job: Job, now: Date) => job.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });

  /** A person with a bound WeChat (wxid-<name>), linked to children. */
  async function person(name: string, role: 'parent' | 'guardian', childIds: number[], options: { worksAway?: boolean; chat?: boolean } = {}) {
    const created = await database.db.person.create({ data: { name, role, areaId: village.villageId } });
    for (const childId of childIds) {
      await database.db.childLink.create({
        data: { childId, personId: created.id, kind: role, worksAway: role === 'parent' ? (options.worksAway ?? true) : null, startedAt: LINKED_SINCE },
      });
    }
    if (options.chat ?? true) {
      await database.db.chatIdentity.create({ data: { personId: created.id, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${name}`, boundAt: LINKED_SINCE, lastSeenAt: LINKED_SINCE } });
    }
    return created.id;
  }

  const child = async (name: string, birthDate = '2016-05-01') => (await database.db.child.create({ data: { name, birthDate, areaId: village.villageId } })).id;

  async function careRoom(childId: number, externalId: string) {
    await database.db.careRoom.create({ data: { childId, channel: 'wechaty', botAccount: 'village-a', externalId, boundById: village.directorId } });
  }

  /** Someone writes to the bot at a simulated time, as on WeChat. */
  async function says(name: string, text: string, at: Date) {
    clock = at;
    await inbox.receive({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId: `wxid-${name}` }, text, receivedAt: at });
  }

  const textsTo = async (address: string, where: { createdAt?: Date } = {}) =>
    (await database.db.outboxMessage.findMany({ where: { address, ...where }, orderBy: { id: 'asc' } })).map((message) => message.text);
  const outboxSize = () => database.db.outboxMessage.count();

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, LINKED_SINCE); // 张小明 and 李主任, director of 测试村
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'wechaty', botAccount: 'village-a', externalId: 'wxid-李主任' } });
    clock = LINKED_SINCE;
    inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => clock });
  });
  afterEach(() => database.drop());

  describe('reminders on Friday and Sunday', () => {
    it("remind a parent who has not been in touch, on Friday and again on Sunday, naming the child, also in the family's care room", async () => {
      await person('张伟', 'parent', [village.childId]);
      await careRoom(village.childId, 'room-张家@chatroom');

      expect(await run(contactReminderJob, WEEK45.friday19)).toMatchObject({ prompted: 1, roomPosts: 1 });
      expect(await run(contactLastCallJob, WEEK45.sunday19)).toMatchObject({ prompted: 1, roomPosts: 1 });

      expect(await textsTo('wxid-张伟')).toEqual([
        '张伟您好，本周还没有记录与张小明的联系。孩子很想您，周末抽空打个视频吧！联系后回复：已联系 张小明 视频',
        '张伟您好，本周今天就结束了，还没有记录与张小明的联系。哪怕打几分钟电话，孩子也会很开心！联系后回复：已联系 张小明 电话',
      ]);
      expect(await textsTo('room-张家@chatroom')).toEqual([
        '本周还没有张伟和张小明的联系记录，周末一起打个视频吧！',
        '本周今天结束，张伟和张小明还没有联系记录，今晚一起打个电话吧！',
      ]);
      const rows = await database.db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
      expect(rows.map((row) => row.isRoom)).toEqual([false, true, false, true]);
      expect(rows.map((row) => row.createdAt.toISOString())).toEqual([
        WEEK45.friday19.toISOString(),
        WEEK45.friday19.toISOString(),
        WEEK45.sunday19.toISOString(),
        WEEK45.sunday19.toISOString(),
      ]);
    });

    it('leave alone a parent who logged a call on Wednesday, on Friday and on Sunday', async () => {
      await person('张伟', 'parent', [village.childId]);
      await careRoom(village.childId, 'room-张家@chatroom');
      await says('张伟', '已联系 视频 20', WEEK45.wednesday);
      const afterLogging = await outboxSize();

      expect(await run(contactReminderJob, WEEK45.friday19)).toMatchObject({ parents: 1, prompted: 0, roomPosts: 0 });
      expect(await run(contactLastCallJob, WEEK45.sunday19)).toMatchObject({ parents: 1, prompted: 0, roomPosts: 0 });
      expect(await outboxSize()).toBe(afterLogging);
    });

    it("count a guardian's confirmation that the parent called", async () => {
      await person('张伟', 'parent', [village.childId]);
      await person('王奶奶', 'guardian', [village.childId]);
      await says('王奶奶', '已联系 张伟 电话', WEEK45.thursday);
      expect(await textsTo('wxid-王奶奶')).toEqual(['已记录：张伟本周已与张小明联系。谢谢您的确认！']);

      await run(contactReminderJob, WEEK45.friday19);
      await run(contactLastCallJob, WEEK45.sunday19);
      expect(await textsTo('wxid-张伟')).toEqual([]);
    });

    it("not count last week's contact for this week", async () => {
      await person('张伟', 'parent', [village.childId]);
      await says('张伟', '已联系 电话', SHANGHAI('2026-11-01T21:00:00')); // Sunday of W44
      await run(contactReminderJob, WEEK45.friday19);
      expect(await textsTo('wxid-张伟', { createdAt: WEEK45.friday19 })).toEqual([expect.stringContaining('本周还没有记录与张小明的联系')]);
    });

    it('queue nothing new when the Friday reminder runs again in the same week, and remind again the next week', async () => {
      await person('张伟', 'parent', [village.childId]);
      await careRoom(village.childId, 'room-张家@chatroom');
      await run(contactReminderJob, WEEK45.friday19);
      const once = await outboxSize();

      expect(await run(contactReminderJob, WEEK45.friday19)).toMatchObject({ prompted: 0, roomPosts: 0, alreadyQueued: 2 });
      await run(contactReminderJob, WEEK45.saturday); // e.g. `jobs run contact-reminder --at` the next morning
      expect(await outboxSize()).toBe(once);

      await run(contactReminderJob, SHANGHAI('2026-11-13T19:00:00'));
      expect(await textsTo('wxid-张伟')).toHaveLength(2);
    });

    it('send a parent with two children one message naming only the child still waiting for a call', async () => {
      const sister = await child('张小红', '2018-03-01');
      await person('张伟', 'parent', [village.childId, sister]);
      await careRoom(village.childId, 'room-小明@chatroom');
      await careRoom(sister, 'room-小红@chatroom');

      await run(contactReminderJob, WEEK45.friday19);
      expect(await textsTo('wxid-张伟')).toEqual(['张伟您好，本周还没有记录与张小明、张小红的联系。孩子很想您，周末抽空打个视频吧！联系后回复：已联系 张小明 视频']);

      await says('张伟', '已联系 张小明 视频', WEEK45.saturday);
      await run(contactLastCallJob, WEEK45.sunday19);
      expect(await textsTo('wxid-张伟', { createdAt: WEEK45.sunday19 })).toEqual([
        '张伟您好，本周今天就结束了，还没有记录与张小红的联系。哪怕打几分钟电话，孩子也会很开心！联系后回复：已联系 张小红 电话',
      ]);
      expect(await textsTo('room-小明@chatroom', { createdAt: WEEK45.sunday19 })).toEqual([]);
      expect(await textsTo('room-小红@chatroom', { createdAt: WEEK45.sunday19 })).toEqual(['本周今天结束，张伟和张小红还没有联系记录，今晚一起打个电话吧！']);
    });

    it('remind a father of children in two families about each, and each family only about its own child', async () => {
      const other = await child('刘小花', '2015-09-01');
      await person('张伟', 'parent', [village.childId, other]);
      await person('刘芳', 'parent', [other]);
      await careRoom(other, 'room-刘家@chatroom');
      await says('刘芳', '已联系 见面', WEEK45.wednesday);

      expect(await run(contactReminderJob, WEEK45.friday19)).toMatchObject({ parents: 2, prompted: 1, missingChildren: 2 });
      expect(await textsTo('wxid-张伟')).toEqual([expect.stringContaining('本周还没有记录与刘小花、张小明的联系')]);
      expect(await textsTo('wxid-刘芳')).toEqual([expect.stringMatching(/^已记录/)]);
      expect(await textsTo('room-刘家@chatroom', { createdAt: WEEK45.friday19 })).toEqual(['本周还没有张伟和刘小花的联系记录，周末一起打个视频吧！']);
    });

    it('remind a parent with two chats on the one they last wrote from, as an ordinary prompt that waits out quiet hours', async () => {
      const parentId = await person('张伟', 'parent', [village.childId]);
      await database.db.chatIdentity.create({
        data: { personId: parentId, channel: 'wechaty', botAccount: 'village-a', externalId: 'wxid-张伟-新号', boundAt: WEEK45.wednesday, lastSeenAt: WEEK45.thursday },
      });

      expect(await run(contactReminderJob, WEEK45.friday19)).toMatchObject({ prompted: 1 });
      const [prompt, ...others] = await database.db.outboxMessage.findMany();
      expect(others).toEqual([]);
      expect(prompt).toMatchObject({
        channel: 'wechaty',
        botAccount: 'village-a',
        address: 'wxid-张伟-新号',
        isRoom: false,
        personId: parentId,
        urgent: false,
        status: 'pending',
        dedupeKey: `contact-reminder:${parentId}:all:2026-W45`,
        nextAttemptAt: WEEK45.friday19,
        createdAt: WEEK45.friday19,
      });
    });

    it('prompt only away parents still linked to a child in the registry who have a bound chat', async () => {
      await person('张伟', 'parent', [village.childId], { worksAway: false });
      const archived = await child('赵小军');
      await person('赵刚', 'parent', [archived]);
      await database.db.child.update({ where: { id: archived }, data: { archivedAt: LINKED_SINCE } });
      const former = await child('孙小丽');
      const formerParent = await person('孙强', 'parent', [former]);
      await database.db.childLink.updateMany({ where: { personId: formerParent }, data: { endedAt: LINKED_SINCE } });
      await person('周勇', 'parent', [await child('周小宇')], { chat: false });

      expect(await run(contactReminderJob, WEEK45.friday19)).toMatchObject({ parents: 0, prompted: 0 });
      expect(await run(contactLastCallJob, WEEK45.sunday19)).toMatchObject({ parents: 0, prompted: 0 });
      expect(await outboxSize()).toBe(0);
      expect(await run(contactWeekCloseJob, MONDAY_CLOSE[1]!)).toMatchObject({ closed: 1, missed: 1 }); // 周勇 still owes the week
    });
  });

  describe('closing the week on Monday', () => {
    const weeks = async (parentId: number) =>
      (await database.db.contactWeek.findMany({ where: { parentId }, orderBy: { weekKey: 'asc' } })).map(({ weekKey, status, contactCount, missedStreak }) => ({
        weekKey,
        status,
        contactCount,
        missedStreak,
      }));

    it('mark each week kept or missed, with the run of missed weeks', async () => {
      const zhang = await person('张伟', 'parent', [village.childId]);
      const li = await person('李娜', 'parent', [village.childId], { chat: false });
      await person('王奶奶', 'guardian', [village.childId]);

      await run(contactWeekCloseJob, MONDAY_CLOSE[0]!); // W44: nobody called
      await says('张伟', '已联系 视频', WEEK45.wednesday);
      await says('张伟', '已联系 电话', WEEK45.saturday);
      await says('王奶奶', '已联系 李娜 见面', WEEK45.thursday); // 李娜 came home; grandma confirms
      expect(await run(contactWeekCloseJob, MONDAY_CLOSE[1]!)).toEqual(expect.objectContaining({ closed: 2, kept: 2, missed: 0 }));
      await run(contactWeekCloseJob, MONDAY_CLOSE[2]!); // W46: nobody called

      expect(await weeks(zhang)).toEqual([
        { weekKey: '2026-W44', status: 'missed', contactCount: 0, missedStreak: 1 },
        { weekKey: '2026-W45', status: 'kept', contactCount: 2, missedStreak: 0 },
        { weekKey: '2026-W46', status: 'missed', contactCount: 0, missedStreak: 1 },
      ]);
      expect(await weeks(li)).toEqual([
        { weekKey: '2026-W44', status: 'missed', contactCount: 0, missedStreak: 1 },
        { weekKey: '2026-W45', status: 'kept', contactCount: 1, missedStreak: 0 },
        { weekKey: '2026-W46', status: 'missed', contactCount: 0, missedStreak: 1 },
      ]);
    });

    it('not judge a parent for the week in which they were linked to the child', async () => {
      const zhang = await person('张伟', 'parent', [village.childId]);
      // Invited on the Saturday of W45: that week is not theirs to have missed.
      await database.db.childLink.updateMany({ where: { personId: zhang }, data: { startedAt: WEEK45.saturday } });
      await run(contactWeekCloseJob, MONDAY_CLOSE[1]!);
      await run(contactWeekCloseJob, MONDAY_CLOSE[2]!);
      expect(await weeks(zhang)).toEqual([{ weekKey: '2026-W46', status: 'missed', contactCount: 0, missedStreak: 1 }]);
    });

    it('write the same verdicts when the close runs again, even later in the week', async () => {
      const zhang = await person('张伟', 'parent', [village.childId]);
      await run(contactWeekCloseJob, MONDAY_CLOSE[0]!);
      await run(contactWeekCloseJob, MONDAY_CLOSE[1]!);
      await run(contactWeekCloseJob, MONDAY_CLOSE[1]!);
      await run(contactWeekCloseJob, SHANGHAI('2026-11-12T15:00:00'));
      expect(await weeks(zhang)).toEqual([
        { weekKey: '2026-W44', status: 'missed', contactCount: 0, missedStreak: 1 },
        { weekKey: '2026-W45', status: 'missed', contactCount: 0, missedStreak: 2 },
      ]);
    });

    it('tell the guardian and the director once when a parent misses two weeks in a row', async () => {
      await person('张伟', 'parent', [village.childId]);
      await person('王奶奶', 'guardian', [village.childId]);

      await run(contactWeekCloseJob, MONDAY_CLOSE[0]!);
      expect(await textsTo('wxid-王奶奶')).toEqual([]);
      expect(await textsTo('wxid-李主任')).toEqual([]);

      expect(await run(contactWeekCloseJob, MONDAY_CLOSE[1]!)).toMatchObject({ twoWeekAlerts: 1, notices: 2 });
      await run(contactWeekCloseJob, MONDAY_CLOSE[1]!);
      expect(await textsTo('wxid-王奶奶')).toEqual([
        '王奶奶您好，张伟已连续2周没有记录与张小明的联系。如果其实联系过，请回复：已联系 张伟 电话；也请提醒张伟多和孩子联系。',
      ]);
      expect(await textsTo('wxid-李主任')).toEqual(['【亲情联系提醒】张伟已连续2周（10月26日至11月8日）没有与张小明联系，请了解情况并督促家长。']);

      await run(contactWeekCloseJob, MONDAY_CLOSE[2]!); // a third missed week adds nothing
      expect(await textsTo('wxid-王奶奶')).toHaveLength(1);
      expect(await textsTo('wxid-李主任')).toHaveLength(1);
    });

    it('not alert anyone when the missed weeks are not in a row', async () => {
      await person('张伟', 'parent', [village.childId]);
      await person('王奶奶', 'guardian', [village.childId]);
      await run(contactWeekCloseJob, MONDAY_CLOSE[0]!);
      await says('张伟', '已联系 电话', WEEK45.friday19);
      await run(contactWeekCloseJob, MONDAY_CLOSE[1]!);
      await run(contactWeekCloseJob, MONDAY_CLOSE[2]!);
      expect(await textsTo('wxid-王奶奶')).toEqual([]);
      expect(await textsTo('wxid-李主任')).toEqual([]);
    });

    it('file one 亲情联系缺失 report for the director after four missed weeks in a row', async () => {
      await person('张伟', 'parent', [village.childId]);
      for (const monday of MONDAY_CLOSE.slice(0, 3)) await run(contactWeekCloseJob, monday);
      expect(await database.db.report.count()).toBe(0);

      expect(await run(contactWeekCloseJob, MONDAY_CLOSE[3]!)).toMatchObject({ reportsFiled: 1 });
      expect(await run(contactWeekCloseJob, MONDAY_CLOSE[3]!)).toMatchObject({ reportsFiled: 0 });
      await run(contactWeekCloseJob, MONDAY_CLOSE[4]!); // fifth week: still the one case

      const reports = await database.db.report.findMany({ include: { steps: true } });
      expect(reports).toHaveLength(1);
      const report = reports[0]!;
      expect(report).toMatchObject({
        childId: village.childId,
        areaId: village.villageId,
        type: 'contact_gap',
        severity: 'normal',
        state: 'reported',
        source: 'system',
        reporterId: null,
        reportedAt: MONDAY_CLOSE[3],
        description: '亲情联系缺失：张伟已连续4周（10月26日至11月22日）没有与张小明的联系记录（系统自动通报）。',
      });
      expect(report.number).toMatch(/^TV-2026-\d{6}$/);
      expect(report.steps).toEqual([expect.objectContaining({ toState: 'reported', actorId: null, actorLabel: 'system' })]);

      const director = await textsTo('wxid-李主任');
      expect(director).toEqual([
        expect.stringContaining('【亲情联系提醒】张伟已连续2周'),
        `【亲情联系缺失】${report.number}\n孩子：张小明\n张伟已连续4周没有联系孩子，系统已自动通报。\n请及时核实（回复“案件 ${report.number}”查看）。`,
      ]);
    });
  });
});

describeEachEngine('streaming away parents in batches', (engine) => {
  let database: TestDatabase;
  afterAll(() => database.drop());

  it('visits every away parent once, with all their children in the same batch', async () => {
    database = await createTestDatabase(engine);
    const village = await createVillage(database.db, LINKED_SINCE);
    const expected: Array<{ name: string; children: string[] }> = [];
    for (let i = 1; i <= 7; i += 1) {
      const parent = await database.db.person.create({ data: { name: `家长${i}`, role: 'parent', areaId: village.villageId } });
      const children: string[] = [];
      for (let k = 1; k <= (i % 3) + 1; k += 1) {
        const kid = await database.db.child.create({ data: { name: `孩子${i}-${k}`, birthDate: `201${k}-01-01`, areaId: village.villageId } });
        await database.db.childLink.create({ data: { childId: kid.id, personId: parent.id, kind: 'parent', worksAway: true, startedAt: LINKED_SINCE } });
        children.push(kid.name);
      }
      expected.push({ name: parent.name, children });
    }
    const batches = [];
    for await (const batch of awayParentBatches(database.db, { period: { current: true }, withChatIdentity: false, batchSize: 3 })) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((parent) => ({ name: parent.name, children: parent.children.map((kid) => kid.name) }))).toEqual(expected);
  });

  it("visits, for the weekly prompts, every away parent with a chat once, with all their children eldest first, this week's contacts and care rooms", async () => {
    database = await createTestDatabase(engine);
    const { db } = database;
    const village = await createVillage(db, LINKED_SINCE);
    const expected: Array<{ name: string; address: string; children: Array<[string, boolean, string[]]> }> = [];
    for (let i = 1; i <= 8; i += 1) {
      const parent = await db.person.create({ data: { name: `家长${i}`, role: 'parent', areaId: village.villageId } });
      const withChat = i !== 4;
      if (withChat) await db.chatIdentity.create({ data: { personId: parent.id, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${i}` } });
      const children: Array<[string, boolean, string[]]> = [];
      for (let k = (i % 3) + 1; k >= 1; k -= 1) {
        const kid = await db.child.create({ data: { name: `孩子${i}-${k}`, birthDate: `201${k}-01-01`, areaId: village.villageId } });
        await db.childLink.create({ data: { childId: kid.id, personId: parent.id, kind: 'parent', worksAway: true, startedAt: LINKED_SINCE } });
        const contacted = k === 2;
        if (contacted) {
          await db.contactLog.create({ data: { childId: kid.id, parentId: parent.id, loggedById: parent.id, method: 'video', contactedAt: WEEK45.wednesday, weekKey: '2026-W45' } });
        }
        const rooms = k === 1 && i % 2 === 0 ? [`room-${i}-a`, `room-${i}-b`] : [];
        for (const room of rooms) await db.careRoom.create({ data: { childId: kid.id, channel: 'wechaty', botAccount: 'village-a', externalId: room, boundById: village.directorId } });
        children.unshift([kid.name, contacted, rooms]);
      }
      if (withChat) expected.push({ name: parent.name, address: `wxid-${i}`, children });
    }
    const batches = [];
    for await (const batch of awayParentWeekBatches(db, '2026-W45', 3)) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual([3, 2, 2]); // 家长4 has no chat
    expect(
      batches.flat().map((parent) => ({
        name: parent.name,
        address: parent.address.address,
        children: parent.children.map((kid) => [kid.name, kid.contacted, kid.rooms.map((room) => room.address)]),
      })),
    ).toEqual(expected);
  });
});

describeEachEngine('a district with more away parents than one batch of a thousand', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    const { db } = database;
    const village = await createVillage(db, LINKED_SINCE);
    const range = Array.from({ length: 1200 }, (_, i) => i + 1);
    const parents = await db.person.createManyAndReturn({ data: range.map((i) => ({ name: `家长${i}`, role: 'parent' as const, areaId: village.villageId })), select: { id: true } });
    const kids = await db.child.createManyAndReturn({ data: range.map((i) => ({ name: `孩子${i}`, birthDate: '2016-01-01', areaId: village.villageId })), select: { id: true } });
    await db.childLink.createMany({ data: parents.map((parent, i) => ({ childId: kids[i]!.id, personId: parent.id, kind: 'parent' as const, worksAway: true, startedAt: LINKED_SINCE })) });
    await db.chatIdentity.createMany({ data: parents.map((parent) => ({ personId: parent.id, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${parent.id}` })) });
  });
  afterEach(() => database.drop());

  const remind = (db: Db) => contactReminderJob.run({ db, engine, now: WEEK45.friday19, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
  const promptsPerParent = async () =>
    (await database.db.outboxMessage.groupBy({ by: ['personId'], where: { dedupeKey: { not: null } }, _count: { _all: true } })).map((group) => group._count._all);

  it('reminds every one of 1,200 away parents who has not been in touch', async () => {
    expect(await remind(database.db)).toMatchObject({ parents: 1200, prompted: 1200 });
    expect(await promptsPerParent()).toEqual(Array(1200).fill(1));
  });

  it('prompts each parent once when two instances run the same reminder at once, and neither run fails', async () => {
    const second = await openDatabase(database.target);
    try {
      const runs = await Promise.all([remind(database.db), remind(second.db)]);
      expect(runs.map(({ prompted = 0, alreadyQueued = 0 }) => prompted + alreadyQueued)).toEqual([1200, 1200]);
      expect(runs.reduce((total, { prompted = 0 }) => total + prompted, 0)).toBe(1200);
    } finally {
      await second.close();
    }
    expect(await promptsPerParent()).toEqual(Array(1200).fill(1));
  });
});
