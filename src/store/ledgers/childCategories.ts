import { CHILD_CATEGORIES, FOCUS_FLAGS } from '../../domain/child';
import { CHILD_CATEGORY_LABELS, FOCUS_FLAG_LABELS } from '../../domain/labels';
import type { Db } from '../db/database';
import { AREA_COLUMNS, ledgerRow, totalCells, shownVillages } from './areas';
import { toNumber, type Ledger, type LedgerRow, type LedgerOptions, type LedgerScope, areaIdInScope } from './ledger';

type Counted = { areaId: number; value: string | null; n: unknown };

/** 儿童分类统计: children of each village by category and key-focus flag (a child may count in several). */
export const childCategoriesLedger: Ledger = {
  name: 'categories',
  title: '儿童分类统计',
  totals: true,
  columns: [
    ...AREA_COLUMNS,
    { key: 'children', header: '儿童总数' },
    ...CHILD_CATEGORIES.map((category) => ({ key: category, header: CHILD_CATEGORY_LABELS[category] })),
    ...FOCUS_FLAGS.map((flag) => ({ key: flag, header: FOCUS_FLAG_LABELS[flag] })),
  ],
  async *rows(db, scope, options) {
    yield await childCategoryRows(db, scope, options);
  },
};

const COUNTED = ['children', ...CHILD_CATEGORIES, ...FOCUS_FLAGS] as const;

/** What the ledger counts per area: children on the register, and those carrying each category and flag. */
export type CategoryCounts = Record<(typeof COUNTED)[number], number>;

const noCounts = (): CategoryCounts => Object.fromEntries(COUNTED.map((key) => [key, 0])) as CategoryCounts;

async function childCategoryRows(db: Db, scope: LedgerScope, options: LedgerOptions): Promise<LedgerRow[]> {
  const villages = await shownVillages(db, scope, options);
  const counts = await childCategoryCounts(db, scope);
  const total = noCounts();
  for (const village of counts.values()) for (const key of COUNTED) total[key] += village[key];
  const rows: LedgerRow[] = [];
  for (const [areaId, names] of villages) rows.push(ledgerRow(names, counts.get(areaId) ?? noCounts()));
  rows.push(ledgerRow(totalCells(scope), total));
  return rows;
}

/** The counts of each area of the scope that has children on the register (archived children not counted). */
export async function childCategoryCounts(db: Db, scope: LedgerScope): Promise<Map<number, CategoryCounts>> {
  // Three grouped counts: children, their category tags and their flags, each per village.
  const totals = await db.$queryRaw<Counted[]>`
    SELECT c."areaId" AS "areaId", NULL AS value, COUNT(*) AS n
    FROM "Child" c
    WHERE ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL
    GROUP BY c."areaId"`;
  const categories = await db.$queryRaw<Counted[]>`
    SELECT c."areaId" AS "areaId", t.category AS value, COUNT(*) AS n
    FROM "ChildCategoryTag" t JOIN "Child" c ON c.id = t."childId"
    WHERE ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL
    GROUP BY c."areaId", t.category`;
  const flags = await db.$queryRaw<Counted[]>`
    SELECT c."areaId" AS "areaId", f.flag AS value, COUNT(*) AS n
    FROM "ChildFocusFlag" f JOIN "Child" c ON c.id = f."childId"
    WHERE ${areaIdInScope('c."areaId"', scope)} AND c."archivedAt" IS NULL
    GROUP BY c."areaId", f.flag`;

  const counts = new Map<number, CategoryCounts>();
  for (const { areaId, value, n } of [...totals, ...categories, ...flags]) {
    const key = (value === null ? 'children' : String(value)) as keyof CategoryCounts;
    const area = counts.get(areaId) ?? noCounts();
    area[key] = (area[key] ?? 0) + toNumber(n);
    counts.set(areaId, area);
  }
  return counts;
}
