import type { Db } from '../db/database';
import { AREA_COLUMNS, ledgerRow, totalCells, shownVillages } from './areas';
import { toNumber, type Ledger, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

/** The plan's ceilings on dropout rates, in percent. */
export const DROPOUT_TARGETS = { primary: 0.6, junior: 1.8 } as const;
type Stage = keyof typeof DROPOUT_TARGETS;

/** A rate in percent with two decimals (targets are fractions of a percent). */
function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;
}

/**
 * 控辍保学: per village, children of primary and junior stage who dropped out (the dropout flag,
 * or a dropout report not dismissed) over the in-school children of that stage, against the
 * plan's ceilings. A child who dropped out keeps the stage he or she left on the record.
 */
export const dropoutLedger: Ledger = {
  name: 'dropout',
  title: '控辍保学',
  totals: true,
  columns: [
    ...AREA_COLUMNS,
    ...(['primary', 'junior'] as const).flatMap((stage) => {
      const name = stage === 'primary' ? '小学' : '初中';
      return [
        { key: `${stage}InSchool`, header: `${name}在校` },
        { key: `${stage}Dropouts`, header: `${name}辍学` },
        { key: `${stage}Rate`, header: `${name}辍学率(%)` },
        { key: `${stage}Target`, header: `${name}控制目标(%)` },
        { key: `${stage}Met`, header: `${name}达标` },
      ];
    }),
  ],
  async *rows(db, scope, options) {
    const villages = await shownVillages(db, scope, options);
    const counts = await dropoutsPerVillage(db, scope);
    type Count = { children: number; dropouts: number };
    const zero = (): Record<Stage, Count> => ({ primary: { children: 0, dropouts: 0 }, junior: { children: 0, dropouts: 0 } });
    const byArea = new Map<number, Record<Stage, Count>>();
    const total = zero();
    for (const row of counts) {
      const area = byArea.get(row.areaId) ?? zero();
      for (const into of [area, total]) {
        into[row.stage].children += row.children;
        into[row.stage].dropouts += row.dropouts;
      }
      byArea.set(row.areaId, area);
    }
    const cells = (count: Record<Stage, Count>): LedgerRow => {
      const row: LedgerRow = {};
      for (const stage of ['primary', 'junior'] as const) {
        const inSchool = count[stage].children - count[stage].dropouts;
        const dropoutRate = rate(count[stage].dropouts, inSchool);
        row[`${stage}InSchool`] = inSchool;
        row[`${stage}Dropouts`] = count[stage].dropouts;
        row[`${stage}Rate`] = dropoutRate;
        row[`${stage}Target`] = DROPOUT_TARGETS[stage];
        row[`${stage}Met`] = dropoutRate === null ? null : dropoutRate <= DROPOUT_TARGETS[stage] ? '是' : '否';
      }
      return row;
    };
    const rows: LedgerRow[] = [];
    for (const [areaId, names] of villages) rows.push(ledgerRow(names, cells(byArea.get(areaId) ?? zero())));
    rows.push(ledgerRow(totalCells(scope), cells(total)));
    yield rows;
  },
};

/**
 * Children on the register (not archived) of primary and junior stage per village, and how many
 * of them dropped out: the dropout flag, or a dropout report not dismissed.
 */
export async function dropoutsPerVillage(db: Db, scope: LedgerScope): Promise<Array<{ areaId: number; stage: Stage; children: number; dropouts: number }>> {
  const rows = await db.$queryRaw<Array<{ areaId: number; stage: Stage; children: unknown; dropouts: unknown }>>`
    SELECT c."areaId" AS "areaId", c."schoolStage" AS stage, COUNT(*) AS children,
      SUM(CASE WHEN EXISTS (SELECT 1 FROM "ChildFocusFlag" f WHERE f."childId" = c.id AND f.flag = 'dropout')
                 OR EXISTS (SELECT 1 FROM "Report" r WHERE r."childId" = c.id AND r.type = 'dropout' AND r.state <> 'dismissed')
          THEN 1 ELSE 0 END) AS dropouts
    FROM "Child" c
    WHERE ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL AND c."schoolStage" IN ('primary', 'junior')
    GROUP BY c."areaId", c."schoolStage"`;
  return rows.map((row) => ({ areaId: row.areaId, stage: row.stage, children: toNumber(row.children), dropouts: toNumber(row.dropouts) }));
}
