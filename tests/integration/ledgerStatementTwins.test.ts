import { areaPath } from '../../src/domain/areaScope';
import { CHILD_CATEGORIES, FOCUS_FLAGS, type ChildCategory, type FocusFlag } from '../../src/domain/child';
import { contactWeekByKey } from '../../src/domain/contactWeek';
import { summarizeContactWeek } from '../../src/store/contact/contactWeeks';
import type { ContactWeekStatus, Db, LinkKind } from '../../src/store/db/database';
import { areaByCode, areasAlongAndUnder } from '../../src/store/ledgers/areas';
import { childCategoryCounts, type CategoryCounts } from '../../src/store/ledgers/childCategories';
import { ledgerChildren, relatedOf, type ChildRelated, type LedgerChild } from '../../src/store/ledgers/childLedgerReads';
import { contactWeekCounts, liveContactWeekCounts, type AreaWeekCount } from '../../src/store/ledgers/contactCompliance';
import type { LedgerScope } from '../../src/store/ledgers/ledger';
import { staleRecordCounts } from '../../src/store/ledgers/staleRecords';
import { addVillages } from '../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';
import { sortedWeekCounts, weekCountList } from '../support/weekCounts';

/**
 * The ledgers' raw SQL statements (contact weeks, stale records, categories, the child ledger's
 * links), each beside a typed twin written with Prisma's typed API, run on the same mixed data:
 * archived children, ended links, parents at home, guardians and directors, children of another
 * township and another district, a child moved to another village, weeks summarized and not. A
 * rule changed in the SQL and not in the twin (or the other way round) fails here.
 */
const SINCE = new Date('2026-09-01T00:00:00Z');
const ENDED = new Date('2026-11-10T00:00:00Z');
const NOW = new Date('2026-11-26T02:00:00Z');
const WEEKS = ['2026-W44', '2026-W45', '2026-W46', '2026-W47'];
const SUMMARIZED = ['2026-W45', '2026-W46'];
/** The district, its two townships, one village, and the district outside. */
const SCOPE_CODES = ['880101', '880101001', '880101002', '880101001001', '880102'];
const LINK_KINDS: LinkKind[] = ['parent', 'guardian', 'teacher'];

const inScope = (scope: LedgerScope) => ({ area: { path: { startsWith: scope.path } } });

const typed = {
  areasAlongAndUnder(db: Db, scope: LedgerScope) {
    return db.area.findMany({
      where: { OR: [{ path: { startsWith: scope.path } }, { code: { in: scope.path.slice(1, -1).split('/') } }] },
      select: { id: true, code: true, name: true, level: true, path: true },
      orderBy: { path: 'asc' },
    });
  },

  async liveContactWeekCounts(db: Db, scope: LedgerScope, weeks: string[]): Promise<AreaWeekCount[]> {
    const verdicts = await db.contactWeek.findMany({
      where: { weekKey: { in: weeks }, child: inScope(scope) },
      select: { weekKey: true, status: true, child: { select: { areaId: true } } },
    });
    const counts = new Map<string, AreaWeekCount>();
    for (const { weekKey, status, child } of verdicts) {
      const key = `${child.areaId} ${weekKey}`;
      const count = counts.get(key) ?? { areaId: child.areaId, weekKey, kept: 0, missed: 0, paused: 0 };
      count[status] += 1;
      counts.set(key, count);
    }
    return [...counts.values()];
  },

  async contactWeekCounts(db: Db, scope: LedgerScope, weeks: string[]): Promise<AreaWeekCount[]> {
    const summarized = (await db.contactWeekSummarized.findMany({ where: { weekKey: { in: weeks } } })).map((week) => week.weekKey);
    const summaries = await db.contactWeekSummary.findMany({
      where: { weekKey: { in: summarized }, ...inScope(scope) },
      select: { areaId: true, weekKey: true, kept: true, missed: true, paused: true },
    });
    return [...summaries, ...(await typed.liveContactWeekCounts(db, scope, weeks.filter((week) => !summarized.includes(week))))];
  },

  async staleRecordCounts(db: Db, scope: LedgerScope): Promise<Array<{ areaId: number; children: number; stale: number }>> {
    const groups = await db.child.groupBy({ by: ['areaId', 'recordStale'], where: { archivedAt: null, ...inScope(scope) }, _count: { _all: true } });
    const counts = new Map<number, { areaId: number; children: number; stale: number }>();
    for (const { areaId, recordStale, _count } of groups) {
      const count = counts.get(areaId) ?? { areaId, children: 0, stale: 0 };
      count.children += _count._all;
      if (recordStale) count.stale += _count._all;
      counts.set(areaId, count);
    }
    return [...counts.values()];
  },

  async childCategoryCounts(db: Db, scope: LedgerScope): Promise<Map<number, CategoryCounts>> {
    const children = await db.child.findMany({
      where: { archivedAt: null, ...inScope(scope) },
      select: { areaId: true, categories: { select: { category: true } }, focusFlags: { select: { flag: true } } },
    });
    const counts = new Map<number, CategoryCounts>();
    for (const child of children) {
      const count = counts.get(child.areaId) ?? (Object.fromEntries(['children', ...CHILD_CATEGORIES, ...FOCUS_FLAGS].map((key) => [key, 0])) as CategoryCounts);
      count.children += 1;
      for (const { category } of child.categories) count[category] += 1;
      for (const { flag } of child.focusFlags) count[flag] += 1;
      counts.set(child.areaId, count);
    }
    return counts;
  },

  ledgerChildren(db: Db, areaId: number, afterId: number, take: number): Promise<LedgerChild[]> {
    return db.child.findMany({
      where: { areaId, archivedAt: null, id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take,
      select: {
        id: true,
        name: true,
        gender: true,
        birthDate: true,
        nationalIdMasked: true,
        schoolName: true,
        schoolStage: true,
        grade: true,
        riskLevel: true,
        leftBehind: true,
        recordConfirmedAt: true,
        recordStale: true,
      },
    });
  },

  async relatedOf(db: Db, childIds: number[]): Promise<Map<number, ChildRelated>> {
    const children = await db.child.findMany({
      where: { id: { in: childIds } },
      select: {
        id: true,
        categories: { select: { category: true } },
        focusFlags: { select: { flag: true } },
        links: {
          where: { endedAt: null, kind: { in: LINK_KINDS } },
          orderBy: { id: 'asc' },
          select: { kind: true, relation: true, worksAway: true, person: { select: { name: true } } },
        },
      },
    });
    return new Map(
      children.map((child) => [
        child.id,
        {
          categories: child.categories.map((tag) => tag.category),
          flags: child.focusFlags.map((tag) => tag.flag),
          links: child.links.map((link) => ({ kind: link.kind, relation: link.relation, worksAway: link.worksAway === true, name: link.person.name })),
        },
      ]),
    );
  },
};

const areaRows = <T extends { areaId: number }>(rows: T[]) => [...rows].sort((a, b) => a.areaId - b.areaId);
const mapRows = <T>(map: Map<number, T>) => [...map].sort(([a], [b]) => a - b);
/** Tags come back in whatever order the database keeps them; the ledger sorts them for display. */
/** The raw reading leaves out children with nothing related; the ledger reads them as empty. */
const relatedRows = (map: Map<number, ChildRelated>) =>
  mapRows(map)
    .filter(([, related]) => related.categories.length + related.flags.length + related.links.length > 0)
    .map(([id, related]) => [id, { ...related, categories: [...related.categories].sort(), flags: [...related.flags].sort() }] as const);

describeEachEngine('the ledgers’ raw statements beside their typed twins', (engine) => {
  let database: TestDatabase;
  let scopes: LedgerScope[];
  let area: Record<'test' | 'east' | 'west' | 'outside', number>;
  let childIds: number[];

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    const { db } = database;
    const village = await createVillage(db, SINCE);
    const { eastId, outsideId } = await addVillages(db, village.townshipId);
    const district = await db.area.findUniqueOrThrow({ where: { id: village.districtId } });
    const westTownship = await db.area.create({ data: { code: '880101002', name: '西镇', level: 'township', parentId: district.id, path: areaPath(district.path, '880101002') } });
    const west = await db.area.create({
      data: { code: '880101002001', name: '西村', level: 'village', parentId: westTownship.id, path: areaPath(westTownship.path, '880101002001') },
    });
    area = { test: village.villageId, east: eastId, west: west.id, outside: outsideId };

    const child = async (name: string, areaId: number, record: { stale?: boolean; archived?: boolean; categories?: ChildCategory[]; flags?: FocusFlag[] } = {}) =>
      (
        await db.child.create({
          data: {
            name,
            birthDate: '2015-03-01',
            areaId,
            recordStale: record.stale ?? false,
            archivedAt: record.archived ? SINCE : null,
            categories: { create: (record.categories ?? []).map((category) => ({ category })) },
            focusFlags: { create: (record.flags ?? []).map((flag) => ({ flag })) },
          },
        })
      ).id;
    const person = async (name: string, role: 'parent' | 'guardian' | 'teacher', areaId: number) => (await db.person.create({ data: { name, role, areaId } })).id;
    const link = (childId: number, personId: number, options: { kind?: LinkKind; relation?: string; worksAway?: boolean; ended?: boolean } = {}) => {
      const kind = options.kind ?? 'parent';
      return db.childLink.create({
        data: { childId, personId, kind, relation: options.relation ?? null, worksAway: kind === 'parent' ? (options.worksAway ?? true) : null, startedAt: SINCE, endedAt: options.ended ? ENDED : null },
      });
    };
    const verdicts = (childId: number, parentId: number, weeks: Record<string, ContactWeekStatus>) =>
      db.contactWeek.createMany({
        data: Object.entries(weeks).map(([weekKey, status]) => ({ childId, parentId, weekKey, weekStart: contactWeekByKey(weekKey, 'Asia/Shanghai').start, status })),
      });

    // 测试村: 张小明 (createVillage's) with a father away, a mother at home, a grandmother, the
    // director's link and a teacher whose link ended; a verdict of a week before the ledger's.
    const zhangFather = await person('张父', 'parent', area.test);
    await link(village.childId, zhangFather, { relation: '父亲' });
    await link(village.childId, await person('张母', 'parent', area.test), { relation: '母亲', worksAway: false });
    await link(village.childId, await person('张奶奶', 'guardian', area.test), { kind: 'guardian', relation: '祖母' });
    await link(village.childId, village.directorId, { kind: 'director' });
    await link(village.childId, await person('旧老师', 'teacher', area.test), { kind: 'teacher', ended: true });
    await verdicts(village.childId, zhangFather, { '2026-W43': 'kept', '2026-W44': 'missed', '2026-W45': 'kept', '2026-W46': 'paused', '2026-W47': 'kept' });

    // 王小红: stale, two categories and two flags; a father whose link ended after his verdict.
    const hong = await child('王小红', area.test, { stale: true, categories: ['left_behind', 'economic_hardship'], flags: ['dropout', 'parent_in_prison'] });
    // Every column the child ledger reads filled in, so its raw page reads each as the typed one does.
    await db.child.update({
      where: { id: hong },
      data: { gender: 'female', nationalIdMasked: '420102********1234', schoolName: '测试小学', schoolStage: 'primary', grade: '三年级', riskLevel: 'high', leftBehind: true, recordConfirmedAt: ENDED },
    });
    const wangFather = await person('王父', 'parent', area.test);
    const wangMother = await person('王母', 'parent', area.test);
    const formerFather = await person('王前父', 'parent', area.test);
    await link(hong, wangFather, { relation: '父亲' });
    await link(hong, wangMother);
    await link(hong, formerFather, { relation: '继父', ended: true });
    await link(hong, await person('王外婆', 'guardian', area.test), { kind: 'guardian' });
    await link(hong, await person('林老师', 'teacher', area.test), { kind: 'teacher', relation: '班主任' });
    await verdicts(hong, wangFather, { '2026-W44': 'kept', '2026-W45': 'missed', '2026-W46': 'missed', '2026-W47': 'paused' });
    await verdicts(hong, wangMother, { '2026-W45': 'kept' });
    await verdicts(hong, formerFather, { '2026-W44': 'missed' });

    // 赵归档: archived, stale, tagged: off the register, yet its verdicts stay in the weeks they were given.
    const archived = await child('赵归档', area.test, { archived: true, stale: true, categories: ['left_behind'], flags: ['vagrant'] });
    const zhaoFather = await person('赵父', 'parent', area.test);
    await link(archived, zhaoFather);
    await verdicts(archived, zhaoFather, { '2026-W44': 'missed', '2026-W45': 'missed' });

    // 刘转走: moved from 测试村 to 东山村 after its verdicts; its father still lives in 测试村.
    const moved = await child('刘转走', area.test, { stale: true, categories: ['disabled'] });
    const liuFather = await person('刘父', 'parent', area.test);
    await link(moved, liuFather);
    await verdicts(moved, liuFather, { '2026-W45': 'kept', '2026-W46': 'missed' });
    await db.child.update({ where: { id: moved }, data: { areaId: area.east } });

    // 东山村: a fresh child, and an archived one that is not stale.
    const dong = await child('陈小东', area.east, { categories: ['safety_lacking'], flags: ['domestic_violence'] });
    const chenFather = await person('陈父', 'parent', area.east);
    await link(dong, chenFather);
    await verdicts(dong, chenFather, { '2026-W45': 'paused', '2026-W46': 'kept', '2026-W47': 'missed' });
    await child('陈归档', area.east, { archived: true, categories: ['disabled'], flags: ['dropout'] });

    // 西村, of the other township: in the district's ledgers, not in 测试镇's.
    const xi = await child('孙小西', area.west, { stale: true, categories: ['left_behind'], flags: ['parent_substance_abuse'] });
    const sunFather = await person('孙父', 'parent', area.west);
    await link(xi, sunFather);
    await verdicts(xi, sunFather, { '2026-W44': 'kept', '2026-W45': 'missed', '2026-W46': 'kept' });

    // 外区村, of another district: in none of 测试区's ledgers.
    const outside = await child('外区孩子', area.outside, { stale: true, categories: ['left_behind', 'economic_hardship'], flags: ['dropout'] });
    const outsideFather = await person('外区父', 'parent', area.outside);
    await link(outside, outsideFather);
    await verdicts(outside, outsideFather, { '2026-W45': 'kept', '2026-W46': 'missed', '2026-W47': 'kept' });

    // contact-week-close has summarized two of the four weeks; the others are counted live.
    for (const week of SUMMARIZED) await summarizeContactWeek(db, week, NOW);

    scopes = await Promise.all(SCOPE_CODES.map(async (code) => (await areaByCode(db, code))!));
    childIds = (await db.child.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((row) => row.id);
  });
  afterAll(() => database.drop());

  it('reads each scope’s areas and its ancestors in path order, as the typed reading does', async () => {
    const { db } = database;
    for (const scope of scopes) {
      expect({ scope: scope.name, areas: await areasAlongAndUnder(db, scope) }).toEqual({ scope: scope.name, areas: await typed.areasAlongAndUnder(db, scope) });
    }
    // the district: itself, its city and province above it, its townships and villages; not the district beside it
    const codes = (await areasAlongAndUnder(db, scopes[0]!)).map((row) => row.code);
    expect(codes).toContain('880101001001');
    expect(codes).not.toContain('880102');
    expect(codes.indexOf('880101')).toBeLessThan(codes.indexOf('880101001'));
  });

  it('counts each week’s kept, missed and paused verdicts per village (live) as the typed reading does, in every scope', async () => {
    const { db } = database;
    for (const scope of scopes) {
      expect({ scope: scope.name, rows: sortedWeekCounts(await liveContactWeekCounts(db, scope, WEEKS)) }).toEqual({
        scope: scope.name,
        rows: sortedWeekCounts(await typed.liveContactWeekCounts(db, scope, WEEKS)),
      });
    }
    // 测试村: the archived child's verdicts count, the moved child's went with it, W43 is not asked for.
    expect(sortedWeekCounts(await liveContactWeekCounts(db, scopes[3]!, WEEKS))).toEqual([
      { areaId: area.test, weekKey: '2026-W44', kept: 1, missed: 3, paused: 0 },
      { areaId: area.test, weekKey: '2026-W45', kept: 2, missed: 2, paused: 0 },
      { areaId: area.test, weekKey: '2026-W46', kept: 0, missed: 1, paused: 1 },
      { areaId: area.test, weekKey: '2026-W47', kept: 1, missed: 0, paused: 1 },
    ]);
  });

  it('reads summarized weeks from the summaries and the others live, as the typed reading does, in every scope', async () => {
    const { db } = database;
    expect((await db.contactWeekSummary.findMany({ distinct: ['weekKey'], orderBy: { weekKey: 'asc' } })).map((row) => row.weekKey)).toEqual(SUMMARIZED);
    for (const scope of scopes) {
      expect({ scope: scope.name, rows: weekCountList(await contactWeekCounts(db, scope, WEEKS), WEEKS) }).toEqual({
        scope: scope.name,
        rows: sortedWeekCounts(await typed.contactWeekCounts(db, scope, WEEKS)),
      });
    }
  });

  it('counts children on the register and their stale records per village as the typed reading does, in every scope', async () => {
    const { db } = database;
    for (const scope of scopes) {
      expect({ scope: scope.name, rows: areaRows(await staleRecordCounts(db, scope)) }).toEqual({ scope: scope.name, rows: areaRows(await typed.staleRecordCounts(db, scope)) });
    }
    expect(areaRows(await staleRecordCounts(db, scopes[0]!))).toEqual([
      { areaId: area.test, children: 2, stale: 1 },
      { areaId: area.east, children: 2, stale: 1 },
      { areaId: area.west, children: 1, stale: 1 },
    ]);
  });

  it('counts children by category and flag per village as the typed reading does, in every scope', async () => {
    const { db } = database;
    for (const scope of scopes) {
      expect({ scope: scope.name, rows: mapRows(await childCategoryCounts(db, scope)) }).toEqual({ scope: scope.name, rows: mapRows(await typed.childCategoryCounts(db, scope)) });
    }
    expect(Object.fromEntries(await childCategoryCounts(db, scopes[1]!))).toEqual({
      [area.test]: expect.objectContaining({ children: 2, left_behind: 1, economic_hardship: 1, disabled: 0, vagrant: 0, dropout: 1, parent_in_prison: 1 }),
      [area.east]: expect.objectContaining({ children: 2, disabled: 1, safety_lacking: 1, dropout: 0, domestic_violence: 1 }),
    });
  });

  it('reads the child ledger’s pages of a village’s children on the register as the typed reading does', async () => {
    const { db } = database;
    // 测试村 has 张小明 and 王小红 on the register, 赵归档 archived, 刘转走 moved away; 东山村 gained 刘转走.
    for (const areaId of Object.values(area)) {
      const all = await ledgerChildren(db, areaId, 0, 500);
      expect(all).toEqual(await typed.ledgerChildren(db, areaId, 0, 500));
      // Page by page, one child a page: the keyset gives every child once, in id order.
      for (let afterId = 0, page = 0; page <= all.length; page += 1) {
        const one = await ledgerChildren(db, areaId, afterId, 1);
        expect(one).toEqual(await typed.ledgerChildren(db, areaId, afterId, 1));
        expect(one).toEqual(all.slice(page, page + 1));
        afterId = one[0]?.id ?? afterId;
      }
    }
    expect((await ledgerChildren(db, area.test, 0, 500)).map((child) => child.name)).toEqual(['张小明', '王小红']);
    expect((await ledgerChildren(db, area.test, 0, 500))[1]).toMatchObject({ gender: 'female', leftBehind: true, recordStale: true, recordConfirmedAt: ENDED });
    expect((await ledgerChildren(db, area.east, 0, 500)).map((child) => child.name)).toEqual(['刘转走', '陈小东']);
  });

  it('gives the child ledger the same current parents, guardians and teachers, categories and flags as the typed reading, page by page', async () => {
    const { db } = database;
    for (const areaId of Object.values(area)) {
      const children = await typed.ledgerChildren(db, areaId, 0, 500);
      const ids = children.map((child) => child.id);
      const whole = await relatedOf(db, { areaId, afterId: 0, lastId: ids.at(-1) ?? 0 });
      expect(relatedRows(whole)).toEqual(relatedRows(await typed.relatedOf(db, ids)));
      // A page's bounds leave out the children of the page before it.
      if (ids.length > 1) {
        const second = await relatedOf(db, { areaId, afterId: ids[0]!, lastId: ids.at(-1)! });
        expect(relatedRows(second)).toEqual(relatedRows(await typed.relatedOf(db, ids.slice(1))));
      }
    }
    const first = await relatedOf(db, { areaId: area.test, afterId: 0, lastId: childIds[0]! });
    expect(first.get(childIds[0]!)!.links).toEqual([
      { kind: 'parent', relation: '父亲', worksAway: true, name: '张父' },
      { kind: 'parent', relation: '母亲', worksAway: false, name: '张母' },
      { kind: 'guardian', relation: '祖母', worksAway: false, name: '张奶奶' },
    ]);
    // The archived child's tags and links are not the register's.
    expect([...(await relatedOf(db, { areaId: area.test, afterId: 0, lastId: Math.max(...childIds) })).keys()].sort((a, b) => a - b)).toEqual(
      (await ledgerChildren(db, area.test, 0, 500)).map((child) => child.id),
    );
  });
});
