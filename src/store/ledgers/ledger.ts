import type { Department } from '../../domain/departments';
import { Prisma, type Db } from '../db/database';

/** A cell of a ledger: what a spreadsheet cell can hold. */
export type LedgerCell = string | number | boolean | null;
export type LedgerRow = Record<string, LedgerCell>;

export interface LedgerColumn {
  key: string;
  /** The Chinese header of exports. */
  header: string;
}

/** The area a ledger covers: everything whose path starts with this one's. */
export interface LedgerScope {
  id: number;
  code: string;
  name: string;
  path: string;
}

export interface LedgerOptions {
  now: Date;
  timeZone: string;
  /** How many past periods (weeks, rounds) trend ledgers cover. */
  periods?: number;
  /** Only the scope's total rows (a ledger with `totals`): what the overview shows, without a city's thousand village rows. */
  totalOnly?: boolean;
}

/** One 台账: a name for URLs and the CLI, a Chinese title, its columns and its rows in batches. */
export interface Ledger {
  name: string;
  title: string;
  columns: readonly LedgerColumn[];
  /** The column naming the village of a row: exports split the rows into one sheet per village by it. */
  sheetBy?: string;
  /** Department staff who may read it too (it holds no child's details). */
  departments?: readonly Department[];
  /** Ends with the scope's total rows, which `totalOnly` asks for alone. */
  totals?: boolean;
  /** One row per child: too long for a JSON answer, so only exported. */
  exportOnly?: boolean;
  /** Rows in batches, so a large ledger never sits in memory at once. */
  rows(db: Db, scope: LedgerScope, options: LedgerOptions): AsyncIterable<LedgerRow[]>;
}

/** A percentage with one decimal, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** COUNT and SUM come back as bigint on PostgreSQL and as number on SQLite. */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** The LIKE pattern of an area's subtree (paths are digits and slashes, so no escaping is needed). */
export function subtreePattern(scope: LedgerScope): string {
  return `${scope.path}%`;
}

/**
 * `<column> IN (the scope's area ids)`: the query starts from the scope's children (by the areaId
 * index) instead of joining every child of the city to its area and filtering the paths, so a
 * village's ledger costs a village's rows.
 */
export function areaIdInScope(column: 'c."areaId"' | 'r."areaId"' | 's."areaId"', scope: LedgerScope): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(column)} IN (SELECT s.id FROM "Area" s WHERE s.path LIKE ${subtreePattern(scope)})`;
}
