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

/** Batches read ahead while the current one is checked: the database serves them while this process hashes. */
const READ_AHEAD = 3;
/** The largest value of an INTEGER column on PostgreSQL. */
const MAX_SEQ = 2_147_483_647;

/** Sealed rows with seq in (from, to], in order; raw SQL, as Prisma's model reads cost twice the time here. */
function sealedRows(db: Db, from: number, to: number): Promise<StoredChainRow[]> {
  return db.$queryRaw<StoredChainRow[]>`
    SELECT "id", "seq", "at", "actor", "action", "subjectType", "subjectId", "detail", "hash"
    FROM "AuditLog" WHERE "seq" > ${from} AND "seq" <= ${to} ORDER BY "seq"`;
}

/**
 * Reads the sealed rows in seq order, in ranges of batchSize seqs (memory stays flat at any
 * size, a few ranges fetched ahead), and checks each one's hash against its fields and its
 * predecessor's, then the end against the head row. A row's check needs only the stored hash
 * before it, so ranges can be read independently; the verifier still takes them in order.
 */
export async function verifyAuditChain(db: Db, options: { batchSize: number; onProgress?: (checked: number) => void }): Promise<ChainReport> {
  const stored = await db.auditChainHead.findUnique({ where: { id: HEAD_ID } });
  const head = { lastSeq: stored?.lastSeq ?? 0, lastHash: stored?.lastHash ?? GENESIS_HASH };
  const verifier = new ChainVerifier();
  const ranges: Array<Promise<StoredChainRow[]>> = [];
  let next = 0;
  const readAhead = () => {
    while (ranges.length < READ_AHEAD && next < head.lastSeq) {
      const from = next;
      next = Math.min(from + options.batchSize, head.lastSeq);
      const read = sealedRows(db, from, next);
      // Checked in order below; a range read ahead of a break is dropped, its failure with it.
      read.catch(() => undefined);
      ranges.push(read);
    }
  };
  readAhead();
  let intact = true;
  while (intact && ranges.length > 0) {
    const rows = await ranges.shift()!;
    readAhead();
    intact = verifier.accept(rows);
    options.onProgress?.(verifier.rowsChecked);
  }
  // Rows past the head were sealed by no sealer.
  if (intact) verifier.accept(await sealedRows(db, head.lastSeq, MAX_SEQ));
  const unsealed = await db.auditLog.count({ where: { seq: null } });
  return { checked: verifier.rowsChecked, unsealed, head, break: verifier.finish(head) };
}
