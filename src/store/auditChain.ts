import { ChainVerifier, chainHash, GENESIS_HASH, type ChainBreak, type StoredChainRow } from '../domain/auditChain';
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

/**
 * Reads the sealed rows in seq order, in batches (memory stays flat at any size), and checks
 * each one's hash against its fields and its predecessor's, then the end against the head row.
 */
export async function verifyAuditChain(db: Db, options: { batchSize: number; onProgress?: (checked: number) => void }): Promise<ChainReport> {
  const stored = await db.auditChainHead.findUnique({ where: { id: HEAD_ID } });
  const head = { lastSeq: stored?.lastSeq ?? 0, lastHash: stored?.lastHash ?? GENESIS_HASH };
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const rows = await db.auditLog.findMany({ where: { seq: { gt: after } }, orderBy: { seq: 'asc' }, take: options.batchSize, select: ROW_FIELDS });
    if (rows.length === 0) break;
    const intact = verifier.accept(rows as StoredChainRow[]);
    options.onProgress?.(verifier.rowsChecked);
    if (!intact) break;
    after = rows[rows.length - 1]!.seq!;
  }
  const unsealed = await db.auditLog.count({ where: { seq: null } });
  return { checked: verifier.rowsChecked, unsealed, head, break: verifier.finish(head) };
}
