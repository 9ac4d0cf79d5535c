import type { Db } from '../db/database';
import { AREA_COLUMNS, ledgerRow, totalCells, shownVillages } from './areas';
import { percent, toNumber, type Ledger, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

/** 档案待更新: children whose quarterly record refresh is overdue (Child.recordStale), per village. */
export const staleRecordsLedger: Ledger = {
  name: 'stale',
  title: '档案动态更新',
  totals: true,
  columns: [
    ...AREA_COLUMNS,
    { key: 'children', header: '儿童总数' },
    { key: 'stale', header: '待更新' },
    { key: 'staleRate', header: '待更新比例(%)' },
  ],
  async *rows(db, scope, options) {
    const villages = await shownVillages(db, scope, options);
    const byArea = new Map((await staleRecordCounts(db, scope)).map(({ areaId, ...count }) => [areaId, count]));
    const rows: LedgerRow[] = [];
    const total = { children: 0, stale: 0 };
    for (const [areaId, names] of villages) {
      const count = byArea.get(areaId) ?? { children: 0, stale: 0 };
      total.children += count.children;
      total.stale += count.stale;
      rows.push(ledgerRow(names, count, { staleRate: percent(count.stale, count.children) }));
    }
    rows.push(ledgerRow(totalCells(scope), total, { staleRate: percent(total.stale, total.children) }));
    yield rows;
  },
};

/** Per area of the scope: its children on the register (archived ones not) and how many of them have a stale record. */
export async function staleRecordCounts(db: Db, scope: LedgerScope): Promise<Array<{ areaId: number; children: number; stale: number }>> {
  const counts = await db.$queryRaw<Array<{ areaId: unknown; children: unknown; stale: unknown }>>`
    SELECT c."areaId" AS "areaId", COUNT(*) AS children, SUM(CASE WHEN c."recordStale" THEN 1 ELSE 0 END) AS stale
    FROM "Child" c
    WHERE ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL
    GROUP BY c."areaId"`;
  return counts.map((row) => ({ areaId: toNumber(row.areaId), children: toNumber(row.children), stale: toNumber(row.stale) }));
}
