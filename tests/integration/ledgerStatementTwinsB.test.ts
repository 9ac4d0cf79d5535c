import { areaPath } from '../../src/domain/areaScope';
import { CASE_STATES } from '../../src/domain/caseWorkflow';
import { SEVERITIES } from '../../src/domain/caseDeadlines';
import { REPORT_TYPES } from '../../src/domain/reportType';
import type { Db } from '../../src/store/db/database';
import { areaByCode } from '../../src/store/ledgers/areas';
import { assessmentsPerVillage, childrenPerVillage } from '../../src/store/ledgers/assessmentRounds';
import { casesPerVillage } from '../../src/store/ledgers/cases';
import { dropoutsPerVillage } from '../../src/store/ledgers/dropout';
import type { LedgerScope } from '../../src/store/ledgers/ledger';
import { checkInAnswers, latestCheckInRounds, teacherCoverage } from '../../src/store/ledgers/teacherCheckIns';
import { addVillages } from '../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const NOW = new Date('2026-11-28T02:00:00Z');

/** 测试区 (two townships), 测试镇 (测试村 and 东山村), 测试村 alone, 西村 alone, and 外区 (another district). */
const SCOPES = ['880101', '880101001', '880101001001', '880101002001', '880102'];

/** Rows in one order whatever order an engine returns them in, so two readers compare row by row. */
const sorted = <T>(rows: T[]): T[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** How many items share each key, as rows: the typed twins' GROUP BY. */
function countBy<T>(items: T[], keyOf: (item: T) => Record<string, unknown>, counts: (item: T) => Record<string, number>): Array<Record<string, unknown>> {
  const groups = new Map<string, Record<string, unknown>>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(JSON.stringify(key)) ?? { ...key };
    for (const [name, n] of Object.entries(counts(item))) group[name] = ((group[name] as number | undefined) ?? 0) + n;
    groups.set(JSON.stringify(key), group);
  }
  return [...groups.values()];
}

const inScope = (scope: LedgerScope) => ({ area: { path: { startsWith: scope.path } } });

/**
 * The four ledgers' raw statements (assessments, teacher check-ins, cases, dropout) beside typed
 * twins written here with Prisma's typed API, run over the same mixed district for several scopes:
 * archived children and cases, villages of another township and district, a child who moved,
 * ended and non-teacher links, answered and unanswered prompts, dismissed and archived reports.
 * A rule changed in a statement and not in its twin fails here.
 */
describeEachEngine('the assessment, check-in, case and dropout ledgers’ SQL beside typed twins', (engine) => {
  let database: TestDatabase;
  let scopes: LedgerScope[];
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await seedMixedDistrict(database.db);
    scopes = await Promise.all(SCOPES.map(async (code) => (await areaByCode(database.db, code))!));
  });
  afterAll(() => database.drop());

  it('counts the same children on the register and the same assessments per village, round and level', async () => {
    const { db } = database;
    for (const rounds of [['2026-03', '2026-09'], ['2025-09', '2026-03', '2026-09'], ['2026-09']]) {
      for (const scope of scopes) {
        const children = await db.child.findMany({ where: { archivedAt: null, ...inScope(scope) }, select: { areaId: true } });
        expect(sorted(await childrenPerVillage(db, scope))).toEqual(sorted(countBy(children, ({ areaId }) => ({ areaId }), () => ({ children: 1 }))));

        const assessments = await db.riskAssessment.findMany({ where: { round: { in: rounds } }, select: { round: true, level: true, child: { select: { areaId: true, archivedAt: true, area: { select: { path: true } } } } } });
        const current = assessments.filter(({ child }) => child.archivedAt === null && child.area.path.startsWith(scope.path));
        const typed = countBy(current, ({ child, round, level }) => ({ areaId: child.areaId, round, level }), () => ({ assessed: 1 }));
        expect(sorted(await assessmentsPerVillage(db, scope, rounds))).toEqual(sorted(typed));
      }
    }

    const [, township] = scopes;
    const ids = await villageIds(db);
    expect(sorted(await assessmentsPerVillage(db, township!, ['2026-03', '2026-09']))).toEqual(
      sorted([
        { areaId: ids.test, round: '2026-03', level: 'low', assessed: 1 },
        { areaId: ids.test, round: '2026-09', level: 'high', assessed: 1 },
        { areaId: ids.test, round: '2026-09', level: 'medium', assessed: 1 },
        { areaId: ids.test, round: '2026-09', level: 'low', assessed: 1 },
        // 何小船 was assessed in 测试村 and counts where she lives now.
        { areaId: ids.east, round: '2026-03', level: 'medium', assessed: 1 },
        { areaId: ids.east, round: '2026-09', level: 'high', assessed: 1 },
      ]),
    );
  });

  it('finds the same in-school children with a teacher now, latest check-in rounds and answered prompts', async () => {
    const { db } = database;
    for (const scope of scopes) {
      const children = await db.child.findMany({
        where: { archivedAt: null, ...inScope(scope) },
        select: { areaId: true, schoolStage: true, links: { select: { kind: true, endedAt: true } } },
      });
      const inSchool = children.filter(({ schoolStage }) => schoolStage !== null && schoolStage !== 'not_in_school');
      const withTeacher = (links: Array<{ kind: string; endedAt: Date | null }>) => links.some((link) => link.kind === 'teacher' && link.endedAt === null);
      const coverage = countBy(inSchool, ({ areaId }) => ({ areaId }), ({ links }) => ({ inSchool: 1, withTeacher: withTeacher(links) ? 1 : 0 }));
      expect(sorted(await teacherCoverage(db, scope))).toEqual(sorted(coverage));

      const checkIns = await db.teacherCheckIn.findMany({ where: { child: inScope(scope) }, select: { round: true, status: true, child: { select: { areaId: true } } } });
      const everyRound = [...new Set(checkIns.map(({ round }) => round))].sort();
      for (const count of [4, 10]) {
        const rounds = await latestCheckInRounds(db, scope, count);
        expect(rounds).toEqual(everyRound.slice(-count));
        const answers = countBy(
          checkIns.filter(({ round }) => rounds.includes(round)),
          ({ child, round }) => ({ areaId: child.areaId, round }),
          ({ status }) => ({ prompted: 1, answered: status === 'pending' ? 0 : 1 }),
        );
        expect(sorted(await checkInAnswers(db, scope, rounds))).toEqual(sorted(answers));
      }
    }

    const [district, township] = scopes;
    const ids = await villageIds(db);
    expect(await latestCheckInRounds(db, district!, 4)).toEqual(['2026-11-04', '2026-11-11', '2026-11-18', '2026-11-25']);
    expect(sorted(await teacherCoverage(db, township!))).toEqual(
      sorted([
        { areaId: ids.test, inSchool: 6, withTeacher: 3 },
        { areaId: ids.east, inSchool: 3, withTeacher: 1 },
      ]),
    );
  });

  it('counts the same cases per village, state, severity and type, archived ones too', async () => {
    const { db } = database;
    for (const scope of scopes) {
      const reports = await db.report.findMany({ where: inScope(scope), select: { areaId: true, state: true, severity: true, type: true } });
      const typed = countBy(reports, ({ areaId, state, severity, type }) => ({ areaId, state, severity, type }), () => ({ cases: 1 }));
      expect(sorted(await casesPerVillage(db, scope))).toEqual(sorted(typed));
    }

    const [district] = scopes;
    const rows = await casesPerVillage(db, district!);
    expect(new Set(rows.map((row) => row.state))).toEqual(new Set(CASE_STATES));
    expect(new Set(rows.map((row) => row.severity))).toEqual(new Set(SEVERITIES));
    expect(rows.some((row) => row.cases > 1)).toBe(true);
  });

  it('counts the same primary and junior children and dropouts per village: the flag, or a dropout case not dismissed', async () => {
    const { db } = database;
    for (const scope of scopes) {
      const children = await db.child.findMany({
        where: { archivedAt: null, schoolStage: { in: ['primary', 'junior'] }, ...inScope(scope) },
        select: { areaId: true, schoolStage: true, focusFlags: { select: { flag: true } }, reports: { select: { type: true, state: true } } },
      });
      const droppedOut = (child: (typeof children)[number]) =>
        child.focusFlags.some(({ flag }) => flag === 'dropout') || child.reports.some(({ type, state }) => type === 'dropout' && state !== 'dismissed');
      const typed = countBy(children, ({ areaId, schoolStage }) => ({ areaId, stage: schoolStage }), (child) => ({ children: 1, dropouts: droppedOut(child) ? 1 : 0 }));
      expect(sorted(await dropoutsPerVillage(db, scope))).toEqual(sorted(typed));
    }

    const [, township] = scopes;
    const ids = await villageIds(db);
    expect(sorted(await dropoutsPerVillage(db, township!))).toEqual(
      sorted([
        { areaId: ids.test, stage: 'primary', children: 2, dropouts: 1 },
        { areaId: ids.test, stage: 'junior', children: 2, dropouts: 1 },
        { areaId: ids.east, stage: 'primary', children: 2, dropouts: 2 },
        { areaId: ids.east, stage: 'junior', children: 1, dropouts: 0 },
      ]),
    );
  });
});

async function villageIds(db: Db): Promise<{ test: number; east: number }> {
  const [test, east] = await Promise.all(['880101001001', '880101001002'].map((code) => db.area.findUniqueOrThrow({ where: { code } })));
  return { test: test!.id, east: east!.id };
}

type Stage = 'preschool' | 'primary' | 'junior' | 'senior' | 'vocational' | 'not_in_school';

/**
 * 测试村, 东山村 (测试镇), 西村 (西镇, the district's other township) and 外区村 (another district),
 * each with children at every stage, in school and not, archived and not; 何小船 moved from 测试村
 * to 东山村 after being assessed, prompted and reported there.
 */
async function seedMixedDistrict(db: Db): Promise<void> {
  const village = await createVillage(db, NOW);
  const { eastId, outsideId } = await addVillages(db, village.townshipId);
  const district = await db.area.findUniqueOrThrow({ where: { id: village.districtId } });
  const west = await db.area.create({ data: { code: '880101002', name: '西镇', level: 'township', parentId: district.id, path: areaPath(district.path, '880101002') } });
  const westId = (await db.area.create({ data: { code: '880101002001', name: '西村', level: 'village', parentId: west.id, path: areaPath(west.path, '880101002001') } })).id;
  const testId = village.villageId;
  await db.child.update({ where: { id: village.childId }, data: { schoolStage: null } });

  const person = async (name: string, role: 'teacher' | 'parent' | 'guardian', areaId: number) => (await db.person.create({ data: { name, role, areaId } })).id;
  const teacher = await person('林老师', 'teacher', testId);
  const formerTeacher = await person('前任老师', 'teacher', testId);
  const parent = await person('在家的父亲', 'parent', testId);
  const guardian = await person('奶奶', 'guardian', eastId);

  type Seed = {
    stage?: Stage;
    archived?: boolean;
    teacher?: 'current' | 'ended' | 'both';
    parentAtHome?: boolean;
    guardian?: boolean;
    flag?: boolean;
    assessments?: Array<[string, 'low' | 'medium' | 'high']>;
    checkIns?: Array<[string, 'pending' | 'normal' | 'concern' | 'urgent']>;
    dropoutCases?: Array<{ state: (typeof CASE_STATES)[number]; archived?: boolean }>;
  };
  let reportNumber = 0;
  const report = (data: { childId?: number; areaId: number; type: (typeof REPORT_TYPES)[number]; severity: (typeof SEVERITIES)[number]; state: (typeof CASE_STATES)[number]; archived?: boolean }) =>
    db.report.create({
      data: {
        number: `TV-2026-${String((reportNumber += 1)).padStart(6, '0')}`,
        childId: data.childId ?? null,
        subjectName: data.childId ? null : '未登记的孩子',
        areaId: data.areaId,
        type: data.type,
        severity: data.severity,
        state: data.state,
        description: '情况',
        source: 'director',
        reportedAt: new Date('2026-11-01T00:00:00Z'),
        archivedAt: data.archived ? NOW : null,
      },
    });
  const child = async (name: string, areaId: number, seed: Seed): Promise<number> => {
    const { id } = await db.child.create({
      data: { name, birthDate: '2014-01-01', areaId, schoolStage: seed.stage ?? null, archivedAt: seed.archived ? NOW : null, focusFlags: seed.flag ? { create: [{ flag: 'dropout' }] } : undefined },
    });
    const ended = new Date('2026-09-01T00:00:00Z');
    if (seed.teacher === 'current' || seed.teacher === 'both') await db.childLink.create({ data: { childId: id, personId: teacher, kind: 'teacher' } });
    if (seed.teacher === 'ended' || seed.teacher === 'both') await db.childLink.create({ data: { childId: id, personId: formerTeacher, kind: 'teacher', endedAt: ended } });
    if (seed.parentAtHome) await db.childLink.create({ data: { childId: id, personId: parent, kind: 'parent', worksAway: false } });
    if (seed.guardian) await db.childLink.create({ data: { childId: id, personId: guardian, kind: 'guardian' } });
    for (const [round, level] of seed.assessments ?? []) {
      await db.riskAssessment.create({ data: { childId: id, assessorId: village.directorId, round, level, assessedAt: NOW } });
    }
    for (const [position, [round, status]] of (seed.checkIns ?? []).entries()) {
      await db.teacherCheckIn.create({ data: { childId: id, teacherId: teacher, round, position: position + 1, status, answeredAt: status === 'pending' ? null : NOW } });
    }
    for (const dropout of seed.dropoutCases ?? []) {
      await report({ childId: id, areaId, type: 'dropout', severity: 'normal', state: dropout.state, archived: dropout.archived });
    }
    return id;
  };

  // 测试村: in school 6 (3 with a teacher now), primary 2 and junior 2 (one dropout each).
  await child('王小红', testId, { stage: 'primary', teacher: 'current', flag: true, assessments: [['2026-03', 'low'], ['2026-09', 'high']], checkIns: [['2026-11-04', 'normal'], ['2026-11-11', 'pending']] });
  await child('李小刚', testId, { stage: 'junior', teacher: 'ended', assessments: [['2026-09', 'medium'], ['2025-09', 'high'], ['2025-03', 'low']], checkIns: [['2026-10-28', 'concern']] });
  await child('赵小花', testId, { stage: 'primary', teacher: 'both', dropoutCases: [{ state: 'dismissed' }], checkIns: [['2026-11-04', 'pending'], ['2026-11-18', 'urgent']] });
  await child('孙小军', testId, { stage: 'junior', parentAtHome: true, dropoutCases: [{ state: 'referred' }, { state: 'dismissed' }] });
  await child('周小雨', testId, { stage: 'not_in_school', teacher: 'current', assessments: [['2026-09', 'low']], checkIns: [['2026-11-18', 'normal']] });
  await child('吴小丽', testId, { stage: 'preschool', teacher: 'current' });
  await child('冯小北', testId, { stage: 'senior', parentAtHome: true });
  await child('郑小东', testId, { stage: 'primary', archived: true, teacher: 'current', flag: true, assessments: [['2026-09', 'high']], checkIns: [['2026-11-25', 'pending'], ['2026-11-18', 'normal']] });
  // 东山村: the one who moved, one with a closed and archived dropout case, one whose teacher left.
  const moved = await child('何小船', testId, {
    stage: 'primary',
    assessments: [['2026-03', 'medium'], ['2026-09', 'high']],
    checkIns: [['2026-11-11', 'normal']],
    dropoutCases: [{ state: 'assisting' }],
  });
  await db.child.update({ where: { id: moved }, data: { areaId: eastId } });
  await child('陈小乐', eastId, { stage: 'primary', teacher: 'current', dropoutCases: [{ state: 'closed', archived: true }], checkIns: [['2026-11-25', 'normal']] });
  await child('卫小南', eastId, { stage: 'junior', teacher: 'ended', guardian: true, dropoutCases: [{ state: 'dismissed', archived: true }] });
  await child('蒋小西', eastId, { stage: 'junior', archived: true, flag: true, dropoutCases: [{ state: 'reported' }] });
  // 西村 and 外区村: outside the township's and the village's scopes.
  await child('韩小星', westId, { stage: 'primary', teacher: 'current', flag: true, assessments: [['2026-09', 'low']], checkIns: [['2026-11-25', 'normal'], ['2026-10-21', 'pending']] });
  await child('杨小月', westId, { stage: 'junior', dropoutCases: [{ state: 'verified' }] });
  await child('钱多多', outsideId, {
    stage: 'primary',
    teacher: 'current',
    flag: true,
    assessments: [['2026-09', 'high']],
    checkIns: [['2026-12-02', 'pending'], ['2026-11-25', 'concern']],
    dropoutCases: [{ state: 'reported' }],
  });
  await child('钱少少', outsideId, { stage: 'junior', teacher: 'ended', dropoutCases: [{ state: 'closed', archived: true }] });

  // Cases of every state, severity and a few types across the four villages, some about a child not
  // on the register, the closed and dismissed ones archived, and two that fall in one group.
  const villages = [testId, eastId, westId, outsideId];
  for (let i = 0; i < 30; i += 1) {
    const state = CASE_STATES[i % CASE_STATES.length]!;
    await report({
      areaId: villages[i % villages.length]!,
      childId: i % villages.length === 0 && i % 5 !== 0 ? village.childId : undefined,
      type: REPORT_TYPES[i % 7]!,
      severity: SEVERITIES[i % SEVERITIES.length]!,
      state,
      archived: (state === 'closed' || state === 'dismissed') && i % 2 === 0,
    });
  }
  await report({ areaId: testId, type: REPORT_TYPES[0], severity: SEVERITIES[0], state: 'reported' });
}
