import type { VacationKind } from '../../src/domain/schoolCalendar';
import { awayParentAddressBatches, awayParentBatches, usedDedupeKeys } from '../../src/store/contact/contactWeeks';
import { holidayQuestionsAskedBefore, type HolidayQuestion } from '../../src/store/contact/schoolCalendars';
import { freshestAddresses } from '../../src/store/messaging/identities';
import { pausedAmong } from '../../src/store/privacy/privacy';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const SINCE = new Date('2026-10-01T00:00:00Z');
const NOW = new Date('2026-12-01T02:00:00Z');

describeEachEngine('the holiday question’s SQL reader beside its typed twin', (engine) => {
  let database: TestDatabase;
  afterEach(() => database.drop());

  it('reads the same parents, addresses, pauses and children, leaving out ended, archived and not-away links, guardians and parents without a chat', async () => {
    database = await createTestDatabase(engine);
    const { db } = database;
    const village = await createVillage(db, SINCE);
    const child = async (name: string, birthDate: string, archived = false) =>
      (await db.child.create({ data: { name, birthDate, areaId: village.villageId, archivedAt: archived ? SINCE : null } })).id;
    const person = async (name: string, role: 'parent' | 'guardian', chats: Array<{ id: string; seen: string; unreachable?: boolean }>, pausedUntil: Date | null = null) => {
      const id = (await db.person.create({ data: { name, role, areaId: village.villageId, promptsPausedUntil: pausedUntil } })).id;
      for (const chat of chats) {
        await db.chatIdentity.create({
          data: { personId: id, channel: 'wechaty', botAccount: 'village-a', externalId: chat.id, lastSeenAt: new Date(chat.seen), unreachableAt: chat.unreachable ? new Date(chat.seen) : null },
        });
      }
      return id;
    };
    const link = (childId: number, personId: number, options: { kind?: 'parent' | 'guardian'; worksAway?: boolean; ended?: boolean } = {}) =>
      db.childLink.create({
        data: { childId, personId, kind: options.kind ?? 'parent', worksAway: (options.kind ?? 'parent') === 'parent' ? (options.worksAway ?? true) : null, startedAt: SINCE, endedAt: options.ended ? SINCE : null },
      });

    const elder = await child('王大', '2012-03-01');
    const younger = await child('王二', '2016-03-01');
    const archived = await child('王三', '2014-03-01', true);
    const father = await person('王父', 'parent', [{ id: 'wx-old', seen: '2026-10-02T00:00:00Z' }, { id: 'wx-new', seen: '2026-11-02T00:00:00Z' }]);
    for (const id of [younger, elder, archived]) await link(id, father);
    const mother = await person('王母', 'parent', [{ id: 'wx-mother', seen: '2026-10-02T00:00:00Z' }, { id: 'wx-mother-gone', seen: '2026-11-20T00:00:00Z', unreachable: true }]);
    await link(elder, mother);
    await link(younger, mother, { ended: true });
    await link(village.childId, await person('张父', 'parent', [{ id: 'wx-home', seen: '2026-10-02T00:00:00Z' }]), { worksAway: false });
    await link(village.childId, await person('张母', 'parent', []));
    await link(village.childId, await person('张前父', 'parent', [{ id: 'wx-ended', seen: '2026-10-02T00:00:00Z' }]), { ended: true });
    await link(village.childId, await person('张奶奶', 'guardian', [{ id: 'wx-grandma', seen: '2026-10-02T00:00:00Z' }]), { kind: 'guardian' });
    // Paused for two weeks (暂停提醒 2周), unsubscribed (退订), and a pause that ended this morning.
    const pauses = [new Date('2026-12-14T00:00:00Z'), new Date('9999-12-31T00:00:00Z'), new Date('2026-12-01T00:00:00Z')];
    for (let i = 1; i <= 3; i += 1) {
      await link(await child(`李${i}`, `201${i}-01-01`), await person(`李父${i}`, 'parent', [{ id: `wx-li-${i}`, seen: '2026-10-02T00:00:00Z' }], pauses[i - 1]));
    }

    const fromSql = [];
    for await (const batch of awayParentAddressBatches(db, NOW, 2)) fromSql.push(...batch);
    const typed = [];
    for await (const batch of awayParentBatches(db, { period: { current: true }, withChatIdentity: true, batchSize: 2 })) {
      const ids = batch.map((parent) => parent.id);
      const [addresses, paused] = [await freshestAddresses(db, ids), await pausedAmong(db, ids, NOW)];
      typed.push(...batch.map((parent) => ({ id: parent.id, name: parent.name, address: addresses.get(parent.id)!, paused: paused.has(parent.id), children: parent.children })));
    }

    expect(fromSql).toEqual(typed);
    expect(fromSql.map((parent) => [parent.name, parent.address.address, parent.paused, parent.children.map((kid) => kid.name)])).toEqual([
      ['王父', 'wx-new', false, ['王大', '王二']],
      ['王母', 'wx-mother', false, ['王大']],
      ['李父1', 'wx-li-1', true, ['李1']],
      ['李父2', 'wx-li-2', true, ['李2']],
      ['李父3', 'wx-li-3', false, ['李3']],
    ]);
  });

  it('finds the holiday questions asked before as the outbox keys and the plans read apart do, whatever calendar a plan was asked on', async () => {
    database = await createTestDatabase(engine);
    const { db } = database;
    const village = await createVillage(db, SINCE);
    const parent = async (name: string) => (await db.person.create({ data: { name, role: 'parent', areaId: village.villageId } })).id;
    const child = async (name: string) => (await db.child.create({ data: { name, birthDate: '2015-01-01', areaId: village.villageId } })).id;
    const calendar = async (areaId: number, year: number, vacation: VacationKind) =>
      (await db.schoolCalendar.create({ data: { areaId, year, vacation, startsOn: `${year}-${vacation === 'winter' ? '01-20' : '07-10'}`, endsOn: `${year}-${vacation === 'winter' ? '02-20' : '08-31'}` } })).id;
    const plan = (parentId: number, childId: number, calendarId: number) => db.holidayPlan.create({ data: { parentId, childId, calendarId, askedAt: SINCE } });
    const [zhang, wang, li] = [await parent('张伟'), await parent('王强'), await parent('李娜')];
    const [sister, wangChild] = [await child('张小红'), await child('王小军')];
    const defaultWinter = await calendar(village.districtId, 2027, 'winter');
    const townshipWinter = await calendar(village.townshipId, 2027, 'winter');
    const summer = await calendar(village.districtId, 2027, 'summer');
    const lastWinter = await calendar(village.districtId, 2026, 'winter');
    await plan(zhang, village.childId, defaultWinter); // asked on the defaults, before the township set its own dates
    await plan(zhang, sister, summer); // another vacation of the same year
    await plan(wang, wangChild, lastWinter); // last year's winter
    await plan(li, wangChild, townshipWinter); // another parent of the same child
    const key = (parentId: number, childId: number, year: number, vacation: VacationKind) => `holiday-prompt:${parentId}:${childId}:${year}-${vacation}`;
    await db.outboxMessage.create({
      data: { channel: 'wechaty', botAccount: 'village-a', address: 'wxid-王强', text: '寒假', dedupeKey: key(wang, village.childId, 2027, 'winter'), nextAttemptAt: SINCE, createdAt: SINCE },
    }); // the prompt queued, its plan gone
    const questions: HolidayQuestion[] = [];
    for (const parentId of [zhang, wang, li]) {
      for (const childId of [village.childId, sister, wangChild]) {
        for (const [year, vacation] of [[2027, 'winter'], [2027, 'summer'], [2026, 'winter']] as const) questions.push({ parentId, childId, year, vacation, dedupeKey: key(parentId, childId, year, vacation) });
      }
    }

    const fromSql = await holidayQuestionsAskedBefore(db, engine, questions);
    const used = await usedDedupeKeys(db, questions.map((question) => question.dedupeKey));
    const plans = await db.holidayPlan.findMany({
      where: { parentId: { in: [zhang, wang, li] }, calendar: { year: { in: [2026, 2027] } } },
      select: { parentId: true, childId: true, calendar: { select: { year: true, vacation: true } } },
    });
    const typed = new Set([...used, ...plans.map((row) => key(row.parentId, row.childId, row.calendar.year, row.calendar.vacation))]);

    expect([...fromSql].sort()).toEqual([...typed].sort());
    expect([...fromSql].sort()).toEqual(
      [
        key(zhang, village.childId, 2027, 'winter'),
        key(zhang, sister, 2027, 'summer'),
        key(wang, wangChild, 2026, 'winter'),
        key(li, wangChild, 2027, 'winter'),
        key(wang, village.childId, 2027, 'winter'),
      ].sort(),
    );
  });
});
