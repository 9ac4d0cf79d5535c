import { Prisma, type Db } from '../db/database';
import { subtreePattern, type LedgerColumn, type LedgerOptions, type LedgerRow, type LedgerScope } from './ledger';

/** An area by code, usable as a ledger scope or an import's area; null when no area has the code. */
export function areaByCode(db: Db, code: string): Promise<(LedgerScope & { level: string }) | null> {
  return db.area.findUnique({ where: { code }, select: { id: true, code: true, name: true, path: true, level: true } });
}

export interface VillageNames {
  district: string | null;
  township: string | null;
  village: string;
  code: string;
}

/** The three name columns every per-village ledger starts with. */
export const AREA_COLUMNS: readonly LedgerColumn[] = [
  { key: 'district', header: '区' },
  { key: 'township', header: '乡镇（街道）' },
  { key: 'village', header: '村（社区）' },
];

interface AreaRow {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}

/**
 * The scope's areas and its ancestors, in path order. Raw: every per-village ledger reads them,
 * and a province's ten thousand villages cost the typed client a few hundred milliseconds
 * (BENCHMARKS.md, issue 17 at 1,000,000 children); its typed twin is in
 * tests/integration/ledgerStatementTwins.test.ts.
 */
export async function areasAlongAndUnder(db: Db, scope: LedgerScope): Promise<AreaRow[]> {
  const codes = scope.path.slice(1, -1).split('/');
  const rows = await db.$queryRaw<Array<Omit<AreaRow, 'id'> & { id: number | bigint }>>`
    SELECT "id", "code", "name", "level", "path" FROM "Area"
    WHERE "path" LIKE ${subtreePattern(scope)} OR "code" IN (${Prisma.join(codes)})
    ORDER BY "path" ASC`;
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/**
 * Every village of the scope with its township and district names, in path order. Areas are
 * few (thousands for a city), so they are read once and joined in memory.
 */
export async function villagesOf(db: Db, scope: LedgerScope): Promise<Map<number, VillageNames>> {
  const areas = await areasAlongAndUnder(db, scope);
  const byCode = new Map(areas.map((area) => [area.code, area]));
  const villages = new Map<number, VillageNames>();
  for (const area of areas) {
    if (area.level !== 'village' || !area.path.startsWith(scope.path)) continue;
    const ancestors = area.path.slice(1, -1).split('/').map((code) => byCode.get(code));
    villages.set(area.id, {
      district: ancestors.find((a) => a?.level === 'district')?.name ?? null,
      township: ancestors.find((a) => a?.level === 'township')?.name ?? null,
      village: area.name,
      code: area.code,
    });
  }
  return villages;
}

/** The villages a ledger with totals shows rows for: none when only the total is asked for. */
export async function shownVillages(db: Db, scope: LedgerScope, options: LedgerOptions): Promise<Map<number, VillageNames>> {
  return options.totalOnly ? new Map() : villagesOf(db, scope);
}

/** The three name cells of a ledger row: a village's, or a scope-wide total's. */
export interface AreaCells {
  district: string | null;
  township: string | null;
  village: string | null;
}

/**
 * A ledger row: the area's name cells, then the ledger's own, assigned in order. Not written as
 * `{ ...area, week, … }`: V8 adds every property after a leading spread on its slow path, about
 * 30 µs a row, seconds for a province's ledgers (BENCHMARKS.md, "Ledger rows without a leading spread").
 */
export function ledgerRow(area: AreaCells, ...cells: object[]): LedgerRow {
  const row: LedgerRow = { district: area.district, township: area.township, village: area.village };
  for (const part of cells) Object.assign(row, part);
  return row;
}

/** The label of a scope-wide total row. */
export function totalCells(scope: LedgerScope): AreaCells {
  return { district: null, township: null, village: `${scope.name}合计` };
}

