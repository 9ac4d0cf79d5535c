import { Prisma, type Db } from '../db/database';
import { AREA_COLUMNS, ledgerRow, totalCells, shownVillages, type AreaCells } from './areas';
import { percent, toNumber, type Ledger, type LedgerOptions, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

/** Check-in rounds shown when the caller names no number. */
export const DEFAULT_CHECK_IN_ROUNDS = 4;

/**
 * 帮扶教师覆盖: in-school children with a helping teacher (the plan wants every one), and per
 * check-in round how many prompts the teachers answered.
 */
export const teacherCheckInLedger: Ledger = {
  name: 'teacher-checkins',
  title: '帮扶教师覆盖与定期交流',
  totals: true,
  columns: [
    ...AREA_COLUMNS,
    { key: 'inSchool', header: '在校儿童' },
    { key: 'withTeacher', header: '有帮扶教师' },
    { key: 'coverage', header: '覆盖率(%)' },
    { key: 'round', header: '交流轮次' },
    { key: 'prompted', header: '应反馈' },
    { key: 'answered', header: '已反馈' },
    { key: 'answerRate', header: '反馈率(%)' },
  ],
  async *rows(db, scope, options) {
    yield await teacherCheckInRows(db, scope, options);
  },
};

type Coverage = { inSchool: number; withTeacher: number };
type Answers = { prompted: number; answered: number };

async function teacherCheckInRows(db: Db, scope: LedgerScope, options: LedgerOptions): Promise<LedgerRow[]> {
  const villages = await shownVillages(db, scope, options);
  const coverage = await teacherCoverage(db, scope);
  const rounds = await latestCheckInRounds(db, scope, options.periods ?? DEFAULT_CHECK_IN_ROUNDS);
  const answers = await checkInAnswers(db, scope, rounds);

  const coverageOf = new Map<number, Coverage>(coverage.map(({ areaId, ...counts }) => [areaId, counts]));
  const answersOf = new Map<string, Answers>(answers.map(({ areaId, round, ...counts }) => [`${areaId} ${round}`, counts]));
  const totalCoverage: Coverage = { inSchool: 0, withTeacher: 0 };
  for (const row of coverageOf.values()) {
    totalCoverage.inSchool += row.inSchool;
    totalCoverage.withTeacher += row.withTeacher;
  }
  const totalAnswers = new Map<string, Answers>();
  for (const row of answers) {
    const total = totalAnswers.get(row.round) ?? { prompted: 0, answered: 0 };
    total.prompted += row.prompted;
    total.answered += row.answered;
    totalAnswers.set(row.round, total);
  }

  const rows: LedgerRow[] = [];
  const areaRows = (area: AreaCells, cover: Coverage, answered: (round: string) => Answers): void => {
    const coverage = { coverage: percent(cover.withTeacher, cover.inSchool) };
    if (rounds.length === 0) rows.push(ledgerRow(area, cover, coverage, { round: null, prompted: null, answered: null, answerRate: null }));
    for (const round of rounds) {
      const count = answered(round);
      rows.push(ledgerRow(area, cover, coverage, { round }, count, { answerRate: percent(count.answered, count.prompted) }));
    }
  };
  const none = { prompted: 0, answered: 0 };
  for (const [areaId, names] of villages) {
    areaRows(names, coverageOf.get(areaId) ?? { inSchool: 0, withTeacher: 0 }, (round) => answersOf.get(`${areaId} ${round}`) ?? none);
  }
  areaRows(totalCells(scope), totalCoverage, (round) => totalAnswers.get(round) ?? none);
  return rows;
}

/** In-school children (a stage other than not in school) per village, and how many of them have a teacher now; archived children left out. */
export async function teacherCoverage(db: Db, scope: LedgerScope): Promise<Array<{ areaId: number } & Coverage>> {
  const rows = await db.$queryRaw<Array<{ areaId: number; inSchool: unknown; withTeacher: unknown }>>`
    SELECT c."areaId" AS "areaId", COUNT(*) AS "inSchool",
      SUM(CASE WHEN EXISTS (SELECT 1 FROM "ChildLink" l WHERE l."childId" = c.id AND l.kind = 'teacher' AND l."endedAt" IS NULL) THEN 1 ELSE 0 END) AS "withTeacher"
    FROM "Child" c
    WHERE ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL AND c."schoolStage" IS NOT NULL AND c."schoolStage" <> 'not_in_school'
    GROUP BY c."areaId"`;
  return rows.map((row) => ({ areaId: row.areaId, inSchool: toNumber(row.inSchool), withTeacher: toNumber(row.withTeacher) }));
}

/** The latest `count` check-in rounds that prompted a teacher about a child of the scope, oldest first. */
export async function latestCheckInRounds(db: Db, scope: LedgerScope, count: number): Promise<string[]> {
  // DISTINCT in SQL: Prisma's `distinct` reads every check-in of the scope and drops the repeats in memory.
  const latest = await db.$queryRaw<Array<{ round: string }>>`
    SELECT DISTINCT k.round AS round
    FROM "TeacherCheckIn" k JOIN "Child" c ON c.id = k."childId"
    WHERE ${areaIdInScope('c."areaId"', scope)}
    ORDER BY k.round DESC
    LIMIT ${count}`;
  return latest.map(({ round }) => round).reverse();
}

/** Check-in prompts of these rounds per village of the child now, and how many the teachers answered; archived children count. */
export async function checkInAnswers(db: Db, scope: LedgerScope, rounds: readonly string[]): Promise<Array<{ areaId: number; round: string } & Answers>> {
  if (rounds.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ areaId: number; round: string; prompted: unknown; answered: unknown }>>`
    SELECT c."areaId" AS "areaId", k.round AS round, COUNT(*) AS prompted,
      SUM(CASE WHEN k.status <> 'pending' THEN 1 ELSE 0 END) AS answered
    FROM "TeacherCheckIn" k JOIN "Child" c ON c.id = k."childId"
    WHERE k.round IN (${Prisma.join(rounds)}) AND ${areaIdInScope('c."areaId"', scope)}
    GROUP BY c."areaId", k.round`;
  return rows.map((row) => ({ areaId: row.areaId, round: row.round, prompted: toNumber(row.prompted), answered: toNumber(row.answered) }));
}
