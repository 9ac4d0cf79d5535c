import { assessmentRoundByKey, assessmentRoundOf, type AssessmentRound } from '../../domain/assessmentRound';
import { Prisma, type Db, type RiskLevel } from '../db/database';
import { AREA_COLUMNS, ledgerRow, totalCells, shownVillages, type AreaCells } from './areas';
import { percent, toNumber, type Ledger, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

/** Rounds shown when the caller names no number: this one and the one before. */
export const DEFAULT_ASSESSMENT_ROUNDS = 2;

/** The round of now and the `count - 1` before it, oldest first. */
export function recentRounds(now: Date, timeZone: string, count: number): AssessmentRound[] {
  const rounds = [assessmentRoundOf(now, timeZone)];
  while (rounds.length < count) {
    const first = rounds[0]!;
    rounds.unshift(first.month === 9 ? assessmentRoundByKey(`${first.year}-03`, timeZone) : assessmentRoundByKey(`${first.year - 1}-09`, timeZone));
  }
  return rounds;
}

type Tally = { assessed: number; low: number; medium: number; high: number };

/**
 * 风险评估完成情况: per village and round, children assessed against the village's children
 * now on the register, with the levels found.
 */
export const assessmentRoundsLedger: Ledger = {
  name: 'assessments',
  title: '风险评估完成情况',
  totals: true,
  columns: [
    ...AREA_COLUMNS,
    { key: 'round', header: '评估轮次' },
    { key: 'children', header: '儿童总数' },
    { key: 'assessed', header: '已评估' },
    { key: 'completion', header: '完成率(%)' },
    { key: 'low', header: '低风险' },
    { key: 'medium', header: '中风险' },
    { key: 'high', header: '高风险' },
  ],
  async *rows(db, scope, options) {
    const rounds = recentRounds(options.now, options.timeZone, options.periods ?? DEFAULT_ASSESSMENT_ROUNDS).map((round) => round.key);
    const villages = await shownVillages(db, scope, options);
    const childrenOf = new Map((await childrenPerVillage(db, scope)).map((row) => [row.areaId, row.children]));
    const assessed = await assessmentsPerVillage(db, scope, rounds);
    const tallies = new Map<string, Tally>();
    const tally = (key: string): Tally => {
      const found = tallies.get(key) ?? { assessed: 0, low: 0, medium: 0, high: 0 };
      tallies.set(key, found);
      return found;
    };
    for (const row of assessed) {
      for (const key of [`${row.areaId} ${row.round}`, `total ${row.round}`]) {
        const found = tally(key);
        found.assessed += row.assessed;
        found[row.level] += row.assessed;
      }
    }
    const rows: LedgerRow[] = [];
    const totalChildren = [...childrenOf.values()].reduce((sum, n) => sum + n, 0);
    const roundRows = (area: AreaCells, key: string, count: number): void => {
      for (const round of rounds) {
        const found = tally(`${key} ${round}`);
        rows.push(ledgerRow(area, { round, children: count }, found, { completion: percent(found.assessed, count) }));
      }
    };
    for (const [areaId, names] of villages) roundRows(names, String(areaId), childrenOf.get(areaId) ?? 0);
    roundRows(totalCells(scope), 'total', totalChildren);
    yield rows;
  },
};

/** Children on the register (not archived) per village of the scope. */
export async function childrenPerVillage(db: Db, scope: LedgerScope): Promise<Array<{ areaId: number; children: number }>> {
  const rows = await db.$queryRaw<Array<{ areaId: number; n: unknown }>>`
    SELECT c."areaId" AS "areaId", COUNT(*) AS n
    FROM "Child" c
    WHERE ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL
    GROUP BY c."areaId"`;
  return rows.map((row) => ({ areaId: row.areaId, children: toNumber(row.n) }));
}

/** Assessments of these rounds per level and the village the child lives in now; archived children left out. */
export async function assessmentsPerVillage(
  db: Db,
  scope: LedgerScope,
  rounds: readonly string[],
): Promise<Array<{ areaId: number; round: string; level: RiskLevel; assessed: number }>> {
  const rows = await db.$queryRaw<Array<{ areaId: number; round: string; level: RiskLevel; n: unknown }>>`
    SELECT c."areaId" AS "areaId", r.round AS round, r.level AS level, COUNT(*) AS n
    FROM "RiskAssessment" r JOIN "Child" c ON c.id = r."childId"
    WHERE r.round IN (${Prisma.join(rounds)}) AND ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL
    GROUP BY c."areaId", r.round, r.level`;
  return rows.map((row) => ({ areaId: row.areaId, round: row.round, level: row.level, assessed: toNumber(row.n) }));
}
