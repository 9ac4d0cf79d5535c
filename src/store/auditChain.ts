import Sqlite from 'better-sqlite3';
import { Pool } from 'pg';
import type { DatabaseTarget } from '../config';
import { canonicalJson, canonicalParts, ChainVerifier, chainHash, GENESIS_HASH, type ChainBreak } from '../domain/auditChain';
import { Prisma, type Db } from './database';

const HEAD_ID = 1;
const ROW_FIELDS = { id: true, seq: true, at: true, actor: true, action: true, subjectType: true, subjectId: true, detail: true, hash: true } as const;

export interface SealRequest {
  instance: string;
  now: Date;
  /** The lease is held this long past `now`; another instance takes over once it has run out. */
  leaseMs: number;
  /** Rows sealed in one transaction. */
  batchSize: number;
}

export type SealResult = { sealed: number; lastSeq: number; lastHash: string } | { sealed: 0; leaseHeldBy: string };

/** The head row, made on first use: the chain starts empty. */
async function ensureHead(db: Db): Promise<void> {
  if (await db.auditChainHead.findUnique({ where: { id: HEAD_ID }, select: { id: true } })) return;
  try {
    await db.auditChainHead.create({ data: { id: HEAD_ID, lastSeq: 0, lastHash: GENESIS_HASH } });
  } catch (error) {
    // Another instance made it first.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
  }
}

/**
 * Takes one batch of unsealed rows (oldest id first) into the chain, if this instance holds or
 * can take the sealer's lease. Writers never wait on the chain: they insert unsealed rows, and
 * one instance at a time appends them here. The head is updated only if it is still the one
 * read, so a sealer whose lease ran out mid-batch rolls back rather than forking the chain.
 */
export async function sealAuditBatch(db: Db, request: SealRequest): Promise<SealResult> {
  await ensureHead(db);
  const { instance, now, leaseMs, batchSize } = request;
  const taken = await db.auditChainHead.updateMany({
    where: { id: HEAD_ID, OR: [{ leaseOwner: null }, { leaseOwner: instance }, { leaseExpiresAt: { lt: now } }] },
    data: { leaseOwner: instance, leaseExpiresAt: new Date(now.getTime() + leaseMs) },
  });
  if (taken.count === 0) {
    const head = await db.auditChainHead.findUniqueOrThrow({ where: { id: HEAD_ID } });
    return { sealed: 0, leaseHeldBy: head.leaseOwner ?? '' };
  }
  return db.$transaction(async (tx) => {
    const head = await tx.auditChainHead.findUniqueOrThrow({ where: { id: HEAD_ID } });
    const rows = await tx.auditLog.findMany({ where: { seq: null }, orderBy: { id: 'asc' }, take: batchSize, select: ROW_FIELDS });
    let { lastSeq, lastHash } = head;
    for (const row of rows) {
      lastSeq += 1;
      lastHash = chainHash(lastHash, { ...row, seq: lastSeq });
      await tx.auditLog.update({ where: { id: row.id }, data: { seq: lastSeq, hash: lastHash } });
    }
    const moved = await tx.auditChainHead.updateMany({ where: { id: HEAD_ID, lastSeq: head.lastSeq, leaseOwner: instance }, data: { lastSeq, lastHash } });
    if (moved.count !== 1) throw new Error('the audit chain head moved during sealing: another sealer took over');
    return { sealed: rows.length, lastSeq, lastHash };
  });
}

/** Seals batches until none is left or the lease is elsewhere: how many rows, and the chain's end after them. */
export async function sealAuditLog(db: Db, request: SealRequest): Promise<{ sealed: number; head: { lastSeq: number; lastHash: string } | null }> {
  let sealed = 0;
  let head: { lastSeq: number; lastHash: string } | null = null;
  for (;;) {
    const result = await sealAuditBatch(db, request);
    sealed += result.sealed;
    if ('lastHash' in result) head = { lastSeq: result.lastSeq, lastHash: result.lastHash };
    if (result.sealed < request.batchSize) return { sealed, head };
  }
}

export interface ChainReport {
  /** Sealed rows checked, up to the break if there is one. */
  checked: number;
  /** Rows written but not yet sealed (the sealer takes them in within seconds). */
  unsealed: number;
  head: { lastSeq: number; lastHash: string };
  break: ChainBreak | null;
}

/** A sealed row as the driver gives it: id, seq, at (ISO 8601), actor, action, subjectType, subjectId, detail (JSON text), hash. */
type RawRow = [number | string, number | string, string, string, string, string, string | null, string | null, string | null];

const SQLITE_ROWS = `SELECT "id", "seq", "at", "actor", "action", "subjectType", "subjectId", "detail", "hash"
  FROM "AuditLog" WHERE "seq" > 0 ORDER BY "seq"`;

/**
 * Every sealed row in seq order, straight from better-sqlite3 as arrays on a read-only connection
 * of its own: one statement walks the seq index, with no Prisma row mapping (that mapping cost
 * 60 % of the time, BENCHMARKS.md). The walk pauses between batches so signals are heard.
 */
async function* sqliteRows(file: string, batchSize: number): AsyncGenerator<RawRow[]> {
  const sqlite = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    let batch: RawRow[] = [];
    for (const row of sqlite.prepare(SQLITE_ROWS).raw(true).iterate() as IterableIterator<RawRow>) {
      batch.push(row);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    sqlite.close();
  }
}

/** Every column as the server's text, in arrays: no per-row objects or type parsing here. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };
const POSTGRES_ROWS = `SELECT "id", "seq", "at", "actor", "action", "subjectType", "subjectId", "detail"::text, "hash"
  FROM "AuditLog" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "seq"`;
/** Ranges read ahead, each on its own connection, while the current one is hashed. */
const READ_AHEAD = 2;
/** The largest value of an INTEGER column on PostgreSQL. */
const MAX_SEQ = 2_147_483_647;

/**
 * Sealed rows in seq order, in ranges of batchSize seqs read a few ahead on a small pool of the
 * verifier's own (a row's check needs only the stored hash before it, so ranges are independent),
 * then whatever was sealed past the head.
 */
async function* postgresRows(url: string, lastSeq: number, batchSize: number): AsyncGenerator<RawRow[]> {
  const pool = new Pool({ connectionString: url, max: READ_AHEAD + 1, types: TEXT_TYPES });
  const range = (from: number, to: number) => pool.query<RawRow>({ text: POSTGRES_ROWS, values: [from, to], rowMode: 'array' }).then((result) => result.rows);
  const ranges: Array<Promise<RawRow[]>> = [];
  let next = 0;
  const readAhead = () => {
    while (ranges.length <= READ_AHEAD && next < lastSeq) {
      const from = next;
      next = Math.min(from + batchSize, lastSeq);
      const read = range(from, next);
      // Taken in order below; a range read ahead of a break is dropped, its failure with it.
      read.catch(() => undefined);
      ranges.push(read);
    }
  };
  try {
    readAhead();
    while (ranges.length > 0) {
      const rows = await ranges.shift()!;
      readAhead();
      yield rows;
    }
    yield await range(lastSeq, MAX_SEQ);
  } finally {
    await pool.end();
  }
}

/** Prisma writes SQLite's DateTime as `…T…:SS.mmm+00:00`; anything else is parsed. */
function isoOfSqlite(at: string): string {
  return at.length === 29 && at.endsWith('+00:00') ? `${at.slice(0, 23)}Z` : new Date(at).toISOString();
}

/** PostgreSQL's text of a UTC timestamp(3), `YYYY-MM-DD HH:MM:SS[.f[f[f]]]` (trailing zeros dropped), as ISO 8601. */
function isoOfPostgres(at: string): string {
  if (at.length < 19 || at.length > 23) return new Date(`${at}Z`).toISOString();
  return `${at.slice(0, 10)}T${at.slice(11, 19)}.${at.length === 19 ? '000' : at.slice(20).padEnd(3, '0')}Z`;
}

/**
 * Reads the sealed rows in seq order (memory stays flat at any size) and checks each one's hash
 * against its fields and its predecessor's, then the end against the head row. The rows come as
 * the driver's arrays and are encoded from their text: the verifier allocates one string per row
 * to hash and nothing else of its own.
 */
export async function verifyAuditChain(
  database: { db: Db; target: DatabaseTarget },
  options: { batchSize: number; onProgress?: (checked: number) => void },
): Promise<ChainReport> {
  const { db, target } = database;
  const stored = await db.auditChainHead.findUnique({ where: { id: HEAD_ID } });
  const head = { lastSeq: stored?.lastSeq ?? 0, lastHash: stored?.lastHash ?? GENESIS_HASH };
  const verifier = new ChainVerifier();
  const batches = target.engine === 'sqlite' ? sqliteRows(target.file, options.batchSize) : postgresRows(target.url, head.lastSeq, options.batchSize);
  const at = target.engine === 'sqlite' ? isoOfSqlite : isoOfPostgres;
  // PostgreSQL's jsonb text has its own key order and spacing: never canonical as read.
  const canonicalText = target.engine === 'sqlite';
  reading: for await (const rows of batches) {
    for (const [id, seq, atText, actor, action, subjectType, subjectId, detail, hash] of rows) {
      const encode = (canonicalDetail: string) => canonicalParts(id, seq, at(atText), actor, action, subjectType, subjectId, canonicalDetail);
      const exactly = () => encode(detail === null ? 'null' : canonicalJson(JSON.parse(detail)));
      // A detail written in canonical order (SQLite keeps the text as written) is hashed as it is;
      // only a mismatch pays for parsing and re-encoding it. Either match means the row is intact.
      const intact = detail !== null && canonicalText ? verifier.accept(Number(seq), Number(id), hash, encode(detail), exactly) : verifier.accept(Number(seq), Number(id), hash, exactly());
      if (!intact) break reading;
    }
    options.onProgress?.(verifier.rowsChecked);
  }
  const unsealed = await db.auditLog.count({ where: { seq: null } });
  return { checked: verifier.rowsChecked, unsealed, head, break: verifier.finish(head) };
}
