import { randomBytes, randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { contactWeekCloseJob } from '../../src/jobs/contactWeekClose';
import { createLogger } from '../../src/log';
import { updateChild } from '../../src/store/registry/childRecords';
import { areaByCode } from '../../src/store/ledgers/areas';
import { closedWeeks, contactComplianceLedger, contactWeekCounts, liveContactWeekCounts } from '../../src/store/ledgers/contactCompliance';
import type { LedgerRow, LedgerScope } from '../../src/store/ledgers/ledger';
import { NationalIdCipher } from '../../src/store/crypto/nationalIdCipher';
import { addVillages } from '../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';
import { sortedWeekCounts, weekCountList } from '../support/weekCounts';

// Weeks in Asia/Shanghai (UTC+8), November 2026: W45 runs Mon 11-02 to Sun 11-08.
const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const LINKED_SINCE = SHANGHAI('2026-10-01T00:00:00');
const W45_WEDNESDAY = SHANGHAI('2026-11-04T12:00:00');
const W45_SATURDAY = SHANGHAI('2026-11-07T10:00:00');
/** Before the 09:00 close of W45: a pause said now is not W45's. */
const W46_MONDAY_EARLY = SHANGHAI('2026-11-09T08:00:00');
/** Monday 09:00 closes the week before it: W44, W45, W46. */
const CLOSE = ['2026-11-02', '2026-11-09', '2026-11-16'].map((day) => SHANGHAI(`${day}T09:00:00`));
/** Thursday of W48: the ledger's last four closed weeks are W44–W47, and W47 is not closed. */
const NOW = SHANGHAI('2026-11-26T10:00:00');
const WEEKS = ['2026-W44', '2026-W45', '2026-W46', '2026-W47'];

describeEachEngine('contact weeks: paused parents and the per-village summaries', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: InboxProcessor;
  let clock: Date;
  let scope: LedgerScope;

  const close = (now: Date) => contactWeekCloseJob.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });

  async function parentOf(childName: string, parentName: string): Promise<{ childId: number; parentId: number }> {
    const childId = (await database.db.child.create({ data: { name: childName, birthDate: '2016-05-01', areaId: village.villageId } })).id;
    const parentId = (await database.db.person.create({ data: { name: parentName, role: 'parent', areaId: village.villageId } })).id;
    await database.db.childLink.create({ data: { childId, personId: parentId, kind: 'parent', worksAway: true, startedAt: LINKED_SINCE } });
    await database.db.chatIdentity.create({ data: { personId: parentId, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${parentName}`, boundAt: LINKED_SINCE, lastSeenAt: LINKED_SINCE } });
    return { childId, parentId };
  }

  async function says(name: string, text: string, at: Date): Promise<void> {
    clock = at;
    await inbox.receive({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId: `wxid-${name}` }, text, receivedAt: at });
  }

  const statuses = async (parentId: number) =>
    Object.fromEntries((await database.db.contactWeek.findMany({ where: { parentId }, orderBy: { weekKey: 'asc' } })).map((week) => [week.weekKey, week.status]));

  async function ledger(periods = WEEKS.length): Promise<Record<string, LedgerRow>> {
    const rows: LedgerRow[] = [];
    for await (const batch of contactComplianceLedger.rows(database.db, scope, { now: NOW, timeZone: 'Asia/Shanghai', periods })) rows.push(...batch);
    return Object.fromEntries(rows.map((row) => [`${row.village} ${row.week}`, row]));
  }

  let parents: Record<string, { childId: number; parentId: number }>;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, LINKED_SINCE);
    scope = (await areaByCode(database.db, '880101'))!;
    clock = LINKED_SINCE;
    inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => clock });
    parents = {
      kept: await parentOf('张小红', '张伟'), // calls in W45
      missed: await parentOf('周小宇', '周勇'), // never calls, never pauses
      paused: await parentOf('陈小兰', '陈明'), // 暂停提醒 2周 on W45's Wednesday: W45 and W46 end paused
      resumed: await parentOf('刘小东', '刘强'), // 退订 then 恢复提醒 before W45 ends: W45 is missed
      late: await parentOf('赵小军', '赵刚'), // pauses on Monday morning before W45 is closed: W45 missed, W46 paused
      pausedCaller: await parentOf('孙小丽', '孙涛'), // pauses and still calls: paused, not judged
    };

    await close(CLOSE[0]!); // W44: nobody called, nobody paused
    await says('张伟', '已联系 视频', W45_WEDNESDAY);
    await says('陈明', '暂停提醒 2周', W45_WEDNESDAY);
    await says('刘强', '退订', W45_WEDNESDAY);
    await says('刘强', '恢复提醒', W45_SATURDAY);
    await says('孙涛', '暂停提醒 1周', W45_WEDNESDAY);
    await says('孙涛', '已联系 电话', W45_SATURDAY);
    await says('赵刚', '暂停提醒 1周', W46_MONDAY_EARLY);
  });
  afterEach(() => database.drop());

  it('records a paused week apart from a missed one, by whether the prompts were paused when the week ended', async () => {
    expect(await close(CLOSE[1]!)).toMatchObject({ closed: 6, kept: 1, missed: 3, paused: 2 });
    await close(CLOSE[2]!);
    expect(await statuses(parents.kept!.parentId)).toEqual({ '2026-W44': 'missed', '2026-W45': 'kept', '2026-W46': 'missed' });
    expect(await statuses(parents.missed!.parentId)).toEqual({ '2026-W44': 'missed', '2026-W45': 'missed', '2026-W46': 'missed' });
    expect(await statuses(parents.paused!.parentId)).toEqual({ '2026-W44': 'missed', '2026-W45': 'paused', '2026-W46': 'paused' });
    expect(await statuses(parents.resumed!.parentId)).toEqual({ '2026-W44': 'missed', '2026-W45': 'missed', '2026-W46': 'missed' });
    expect(await statuses(parents.late!.parentId)).toEqual({ '2026-W44': 'missed', '2026-W45': 'missed', '2026-W46': 'paused' });
    expect(await statuses(parents.pausedCaller!.parentId)).toEqual({ '2026-W44': 'missed', '2026-W45': 'paused', '2026-W46': 'missed' });
    // The run of weeks without contact goes on under a pause: the alerts about the child never pause.
    const paused = await database.db.contactWeek.findFirstOrThrow({ where: { parentId: parents.paused!.parentId, weekKey: '2026-W46' } });
    expect(paused.missedStreak).toBe(3);
  });

  it('shows paused parents in their own column of the ledger, out of the rate', async () => {
    await close(CLOSE[1]!);
    await close(CLOSE[2]!);
    const rows = await ledger();
    expect(rows['测试村 2026-W44']).toMatchObject({ kept: 0, missed: 6, paused: 0, rate: 0 });
    expect(rows['测试村 2026-W45']).toMatchObject({ kept: 1, missed: 3, paused: 2, rate: 25 });
    expect(rows['测试村 2026-W46']).toMatchObject({ kept: 0, missed: 4, paused: 2, rate: 0 });
    expect(rows['测试村 2026-W47']).toMatchObject({ kept: 0, missed: 0, paused: 0, rate: null });
    expect(rows['测试区合计 2026-W45']).toMatchObject({ kept: 1, missed: 3, paused: 2 });
    expect(Object.keys(rows['测试村 2026-W45']!)).toContain('paused');
  });

  it('gives from the summaries what counting the verdicts live gives, for closed, unsummarized and unclosed weeks', async () => {
    await close(CLOSE[1]!);
    await close(CLOSE[2]!);
    // W44 closed before summaries existed (as after the migration): counted live, like W47, which nobody closed.
    await database.db.contactWeekSummarized.delete({ where: { weekKey: '2026-W44' } });
    await database.db.contactWeekSummary.deleteMany({ where: { weekKey: '2026-W44' } });
    const summarized = (await database.db.contactWeekSummarized.findMany({ orderBy: { weekKey: 'asc' } })).map((week) => week.weekKey);
    expect(summarized).toEqual(['2026-W45', '2026-W46']);

    const live = sortedWeekCounts(await liveContactWeekCounts(database.db, scope, WEEKS));
    expect(live.length).toBeGreaterThan(0);
    expect(weekCountList(await contactWeekCounts(database.db, scope, WEEKS), WEEKS)).toEqual(live);

    // A re-run of a close rewrites the same summary.
    await close(CLOSE[2]!);
    expect(weekCountList(await contactWeekCounts(database.db, scope, WEEKS), WEEKS)).toEqual(live);
  });

  it('reads two years of summarized weeks, the longest the API asks for, as counting live does', async () => {
    await close(CLOSE[1]!);
    await close(CLOSE[2]!);
    const weeks = closedWeeks(NOW, 'Asia/Shanghai', 104).map((week) => week.key);
    // The weeks before the families were linked, closed with nothing to count: summarized, with no summary rows.
    const empty = weeks.filter((week) => week < '2026-W44');
    expect(empty).toHaveLength(100);
    await database.db.contactWeekSummarized.createMany({ data: empty.map((weekKey) => ({ weekKey, summarizedAt: NOW })) });

    const live = sortedWeekCounts(await liveContactWeekCounts(database.db, scope, weeks));
    expect(live.map((count) => count.weekKey)).toContain('2026-W46');
    expect(weekCountList(await contactWeekCounts(database.db, scope, weeks), weeks)).toEqual(live);
    const rows = await ledger(104);
    expect(rows['测试村 2026-W46']).toMatchObject({ kept: 0, missed: 4, paused: 2 });
    expect(rows['测试村 2025-W48']).toMatchObject({ kept: 0, missed: 0, paused: 0, rate: null });
  });

  it('moves a child’s summarized weeks with the child to another village, as the live count does', async () => {
    await close(CLOSE[1]!);
    await close(CLOSE[2]!);
    const { eastId } = await addVillages(database.db, village.townshipId);
    const before = await ledger();
    await updateChild(database.db, new NationalIdCipher(randomBytes(32)), {
      id: parents.kept!.childId,
      fields: {},
      areaId: eastId,
      actor: 'test',
      now: NOW,
      timeZone: 'Asia/Shanghai',
      scope: { path: scope.path },
    });
    expect(weekCountList(await contactWeekCounts(database.db, scope, WEEKS), WEEKS)).toEqual(sortedWeekCounts(await liveContactWeekCounts(database.db, scope, WEEKS)));
    const after = await ledger();
    expect(after['东山村 2026-W45']).toMatchObject({ kept: 1, missed: 0 });
    expect(after['测试村 2026-W45']).toMatchObject({ kept: 0, missed: 3, paused: 2 });
    expect(after['测试区合计 2026-W45']).toEqual(before['测试区合计 2026-W45']);
  });
});
