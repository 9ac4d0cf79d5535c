import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../../config';
import { chainHash, GENESIS_HASH, type ChainBreak } from '../../domain/auditChain';
import { checkAuditRange, MAX_SEQ, type RangeResult, type SeqRange } from './auditChainRead';
import { Prisma, type Db } from '../db/database';

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

/** Below this many rows one range in-process is quicker than starting workers. */
const ROWS_PER_WORKER = 100_000;
const MAX_WORKERS = 4;

/**
 * One range checked in a worker thread. Under tsx (the CLI, the bench, the tests) the worker
 * loads tsx first to read the TypeScript; compiled, it needs nothing.
 */
function rangeInWorker(target: DatabaseTarget, range: SeqRange, batchSize: number, onChecked: (checked: number) => void): { result: Promise<RangeResult>; stop: () => Promise<number> } {
  const file = path.join(__dirname, `auditChainWorker${path.extname(__filename)}`);
  const source = `${file.endsWith('.ts') ? "require('tsx/cjs');" : ''}require(${JSON.stringify(file)});`;
  const worker = new Worker(source, { eval: true, workerData: { target, range, batchSize } });
  const result = new Promise<RangeResult>((resolve, reject) => {
    worker.on('message', (message: { checked: number } | { result: RangeResult }) => ('result' in message ? resolve(message.result) : onChecked(message.checked)));
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`an audit verify worker exited (${code}) before its result`)));
  });
  return { result, stop: () => worker.terminate() };
}

/**
 * The sealed rows split into ranges of seq, each checked after its predecessor's stored hash, so
 * each core reads and hashes a part (one range in-process for a small chain). The first range
 * with a break, in seq order, gives the verdict a walk from the start would give.
 */
function rangesOf(lastSeq: number, workers: number): SeqRange[] {
  const ranges: SeqRange[] = [];
  const size = Math.ceil(lastSeq / workers);
  for (let after = 0; after + size < lastSeq; after += size) ranges.push({ after, upTo: after + size });
  ranges.push({ after: ranges.at(-1)?.upTo ?? 0, upTo: MAX_SEQ });
  return ranges;
}

/** The chain's verdict from its ranges' results, in seq order. */
function combine(ranges: readonly SeqRange[], results: readonly RangeResult[], head: { lastSeq: number }): { checked: number; found: ChainBreak | null } {
  let checked = 0;
  for (const [i, result] of results.entries()) {
    checked += result.checked;
    if (result.broken) return { checked, found: result.broken };
    if (i === results.length - 1 || result.endSeq === ranges[i]!.upTo) continue;
    // The range ends short: rows are missing before the next row found, or at the chain's end.
    const beforeId = results.slice(i + 1).find((later) => later.firstId !== null)?.firstId ?? null;
    const found: ChainBreak = beforeId === null ? { kind: 'truncated', lastSeq: result.endSeq, expectedLastSeq: head.lastSeq } : { kind: 'missing', seq: result.endSeq + 1, beforeId };
    return { checked, found };
  }
  return { checked, found: null };
}

/**
 * Reads the sealed rows in seq order (memory stays flat at any size) and checks each one's hash
 * against its fields and its predecessor's, then the end against the head row. The rows come as
 * the driver's arrays and are encoded from their text, in worker threads for a large chain (one
 * per core, up to four; `workers` overrides).
 */
export async function verifyAuditChain(
  database: { db: Db; target: DatabaseTarget },
  options: { batchSize: number; workers?: number; onProgress?: (checked: number) => void },
): Promise<ChainReport> {
  const { db, target } = database;
  const stored = await db.auditChainHead.findUnique({ where: { id: HEAD_ID } });
  const head = { lastSeq: stored?.lastSeq ?? 0, lastHash: stored?.lastHash ?? GENESIS_HASH };
  const workers = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), MAX_WORKERS, Math.floor(head.lastSeq / ROWS_PER_WORKER)), head.lastSeq));
  const ranges = rangesOf(head.lastSeq, workers);
  ranges.at(-1)!.head = head;
  let results: RangeResult[];
  if (ranges.length === 1) {
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    results = [await checkAuditRange(target, ranges[0]!, { batchSize: options.batchSize, pause, onProgress: options.onProgress })];
  } else {
    const checked = ranges.map(() => 0);
    const running = ranges.map((range, i) =>
      rangeInWorker(target, range, options.batchSize, (rows) => {
        checked[i] = rows;
        options.onProgress?.(checked.reduce((sum, part) => sum + part, 0));
      }),
    );
    try {
      results = await Promise.all(running.map((worker) => worker.result));
    } finally {
      await Promise.all(running.map((worker) => worker.stop()));
    }
  }
  const { checked, found } = combine(ranges, results, head);
  const unsealed = await db.auditLog.count({ where: { seq: null } });
  return { checked, unsealed, head, break: found };
}
