import Sqlite from 'better-sqlite3';
import { Client } from 'pg';
import type { DatabaseTarget } from '../../config';
import { canonicalJson, canonicalParts, ChainVerifier, type ChainBreak } from '../../domain/auditChain';
import { readingAhead } from '../db/readingAhead';

/**
 * Reading and checking one range of the sealed audit rows straight from the driver, without
 * Prisma (its row mapping cost 60 % of the time, BENCHMARKS.md): what `audit verify` runs in
 * each worker thread, or in-process for a small chain. Kept apart from Prisma so a worker loads
 * only the driver.
 */

/** The largest value of an INTEGER column: the last range's end, so rows sealed past the head are seen. */
export const MAX_SEQ = 2_147_483_647;

/** The rows with after < seq <= upTo; the range holding the head also gets the head to check its end against. */
export interface SeqRange {
  after: number;
  upTo: number;
  head?: { lastSeq: number; lastHash: string };
}

export interface RangeResult {
  /** Rows of the range found intact, up to the break if there is one. */
  checked: number;
  /** The last intact row (the range's start when none was). */
  endSeq: number;
  /** The id of the range's first row: where a gap at the end of the range before it ends. */
  firstId: number | null;
  broken: ChainBreak | null;
}

/** A sealed row as the driver gives it: id, seq, at, actor, action, subjectType, subjectId, detail (JSON text), hash. */
type RawRow = [number | string, number | string, string, string, string, string, string | null, string | null, string | null];

/** Prisma writes SQLite's DateTime as `…T…:SS.mmm+00:00`; anything else is parsed. */
function isoOfSqlite(at: string): string {
  return at.length === 29 && at.endsWith('+00:00') ? `${at.slice(0, 23)}Z` : new Date(at).toISOString();
}

/** PostgreSQL's text of a UTC timestamp(3), `YYYY-MM-DD HH:MM:SS[.f[f[f]]]` (trailing zeros dropped), as ISO 8601. */
function isoOfPostgres(at: string): string {
  if (at.length < 19 || at.length > 23) return new Date(`${at}Z`).toISOString();
  return `${at.slice(0, 10)}T${at.slice(11, 19)}.${at.length === 19 ? '000' : at.slice(20).padEnd(3, '0')}Z`;
}

const SQLITE_ROWS = `SELECT "id", "seq", "at", "actor", "action", "subjectType", "subjectId", "detail", "hash"
  FROM "AuditLog" WHERE "seq" > ? AND "seq" <= ? ORDER BY "seq"`;
const POSTGRES_ROWS = `SELECT "id", "seq", "at", "actor", "action", "subjectType", "subjectId", "detail"::text, "hash"
  FROM "AuditLog" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "seq"`;
const HASH_AT = { sqlite: 'SELECT "hash" FROM "AuditLog" WHERE "seq" = ?', postgresql: 'SELECT "hash" FROM "AuditLog" WHERE "seq" = $1' };
/** Every column as the server's text: no type parsing. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/** The rows of a range in seq order, in batches; one connection of the reader's own. */
interface RangeReader {
  hashAt(seq: number): Promise<string | null>;
  batches(range: SeqRange, batchSize: number): AsyncGenerator<RawRow[]>;
  close(): Promise<void>;
}

/** One read-only better-sqlite3 statement walking the seq index, as arrays. */
function sqliteReader(file: string): RangeReader {
  const sqlite = new Sqlite(file, { readonly: true, fileMustExist: true });
  return {
    hashAt: async (seq) => ((sqlite.prepare(HASH_AT.sqlite).pluck().get(seq) as string | null | undefined) ?? null),
    async *batches(range, batchSize) {
      let batch: RawRow[] = [];
      for (const row of sqlite.prepare(SQLITE_ROWS).raw(true).iterate(range.after, range.upTo) as IterableIterator<RawRow>) {
        batch.push(row);
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    close: async () => void sqlite.close(),
  };
}

/**
 * Pages of batchSize seqs as text arrays on one connection, the next page asked for before the
 * current one is checked, so the server reads while this thread hashes. Past the head, one
 * query to the range's end.
 */
async function postgresReader(url: string): Promise<RangeReader> {
  const client = new Client({ connectionString: url, types: TEXT_TYPES });
  await client.connect();
  const page = (after: number, upTo: number) => client.query<RawRow>({ text: POSTGRES_ROWS, values: [after, upTo], rowMode: 'array' }).then((result) => result.rows);
  return {
    hashAt: async (seq) => (await client.query<[string | null]>({ text: HASH_AT.postgresql, values: [seq], rowMode: 'array' })).rows[0]?.[0] ?? null,
    async *batches(range, batchSize) {
      const pagedUpTo = Math.min(range.upTo, range.head?.lastSeq ?? range.upTo);
      const bounds: Array<[number, number]> = [];
      for (let after = range.after; after < pagedUpTo; after = Math.min(after + batchSize, pagedUpTo)) bounds.push([after, Math.min(after + batchSize, pagedUpTo)]);
      if (range.upTo > pagedUpTo) bounds.push([Math.max(pagedUpTo, range.after), range.upTo]);
      const pages = readingAhead(
        bounds.length > 0 ? 0 : null,
        (index) => page(...bounds[index]!),
        (_, index) => (index + 1 < bounds.length ? index + 1 : null),
      );
      for await (const { page: rows } of pages) yield rows;
    },
    close: () => client.end(),
  };
}

/**
 * Checks the rows of one range against their hashes, each after its predecessor's stored hash
 * (so ranges are checked apart, in parallel), from the driver's text: one string per row is
 * encoded and hashed, nothing else allocated here. `pause` runs between batches (in-process, so
 * signals are heard); `onProgress` gets the rows checked so far.
 */
export async function checkAuditRange(
  target: DatabaseTarget,
  range: SeqRange,
  options: { batchSize: number; pause?: () => Promise<void>; onProgress?: (checked: number) => void },
): Promise<RangeResult> {
  const reader = target.engine === 'sqlite' ? sqliteReader(target.file) : await postgresReader(target.url);
  try {
    // A missing predecessor fails the first row here; the range before reports the gap first.
    const startHash = range.after === 0 ? undefined : ((await reader.hashAt(range.after)) ?? '');
    const verifier = new ChainVerifier(startHash === undefined ? undefined : { seq: range.after, hash: startHash });
    const at = target.engine === 'sqlite' ? isoOfSqlite : isoOfPostgres;
    // PostgreSQL's jsonb text has its own key order and spacing: never canonical as read.
    const canonicalText = target.engine === 'sqlite';
    let firstId: number | null = null;
    reading: for await (const rows of reader.batches(range, options.batchSize)) {
      firstId ??= rows.length > 0 ? Number(rows[0]![0]) : null;
      for (const [id, seq, atText, actor, action, subjectType, subjectId, detail, hash] of rows) {
        const encode = (canonicalDetail: string) => canonicalParts(id, seq, at(atText), actor, action, subjectType, subjectId, canonicalDetail);
        const exactly = () => encode(detail === null ? 'null' : canonicalJson(JSON.parse(detail)));
        // A detail written in canonical order (SQLite keeps the text as written) is hashed as it is;
        // only a mismatch pays for parsing and re-encoding it. Either match means the row is intact.
        const intact = detail !== null && canonicalText ? verifier.accept(Number(seq), Number(id), hash, encode(detail), exactly) : verifier.accept(Number(seq), Number(id), hash, exactly());
        if (!intact) break reading;
      }
      options.onProgress?.(verifier.rowsChecked);
      await options.pause?.();
    }
    return { checked: verifier.rowsChecked, endSeq: verifier.end.seq, firstId, broken: range.head ? verifier.finish(range.head) : verifier.found };
  } finally {
    await reader.close();
  }
}
