import type { OutboundMessage } from '../../channel';
import { recordAudit } from '../audit/auditLog';
import { inArea, type AreaScope } from '../registry/areaScopeFilter';
import { Prisma, type Db } from '../db/database';
import type { Engine } from '../db/providers';
import { keyringOf } from '../crypto/sealedTexts';

/** A row this dispatcher holds the lease on; attempts counts the failed sends so far. */
export interface LeasedMessage extends OutboundMessage {
  attempts: number;
  urgent: boolean;
}

export interface ClaimRequest {
  channel: string;
  botAccount: string;
  /** The dispatcher instance taking the lease. */
  owner: string;
  now: Date;
  leaseMs: number;
  limit: number;
  /** Quiet hours: only urgent rows (alerts, and direct answers to a person who just wrote) are claimed; the rest wait. */
  quiet?: boolean;
}

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
}

export interface SendError {
  message: string;
  /** Retrying cannot help (e.g. no such contact): dead-lettered at once. */
  permanent: boolean;
}

export interface DeadLetter {
  id: number;
  channel: string;
  botAccount: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

const ERROR_LENGTH = 2000;

/**
 * Leases up to `limit` due rows of one channel and account, urgent then oldest first: pending rows whose
 * time has come, and rows whose sender's lease ran out (it crashed or hung). One statement,
 * so no two dispatchers ever hold the same row.
 */
export async function claimOutbound(db: Db, engine: Engine, request: ClaimRequest): Promise<LeasedMessage[]> {
  const { owner, now, leaseMs } = request;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const rows = await db.$queryRaw<Array<Omit<LeasedMessage, 'params'> & { params: string | Record<string, string> | null }>>`
    UPDATE "OutboxMessage"
    SET "status" = 'sending', "leaseOwner" = ${owner}, "leaseExpiresAt" = ${leaseUntil},
      -- Taking over an expired lease means a send was interrupted: it counts as an attempt, so
      -- a message that crashes its sender every time ends dead-lettered instead of looping.
      "attempts" = "attempts" + CASE WHEN "status" = 'sending' THEN 1 ELSE 0 END
    WHERE "id" IN (${claimableIds(engine, request)})
    RETURNING "id", "channel", "botAccount", "address", "isRoom", "text", "messageKey", "params", "attempts", "urgent"`;
  // RETURNING follows no order; callers send urgent rows first, then oldest first. JSON may come
  // as its text or parsed (a sealed value is a JSON string, `sj1:…` once parsed). Raw SQL passes
  // the client's opening by: texts and parameters are opened here with its ring.
  const keyring = keyringOf(db);
  const open = (value: unknown): unknown => (keyring ? keyring.open(value) : value);
  return rows
    .map((row) => ({
      ...row,
      text: open(row.text) as string,
      isRoom: Boolean(row.isRoom),
      urgent: Boolean(row.urgent),
      params: open(typeof row.params === 'string' && /^["{[]/.test(row.params) ? JSON.parse(row.params) : row.params) as Record<string, string> | null,
    }))
    .sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.id - b.id);
}

/**
 * The ids a claim takes. The status list repeats the due condition so that SQLite reads them by
 * the (channel, botAccount, status) index, unsent rows only: without it SQLite walked every row
 * the account ever sent, on every dispatcher round (BENCHMARKS.md, the 30-minute soak).
 */
export function claimableIds(engine: Engine, request: Pick<ClaimRequest, 'channel' | 'botAccount' | 'now' | 'limit' | 'quiet'>): Prisma.Sql {
  const { channel, botAccount, now, limit, quiet = false } = request;
  return Prisma.sql`SELECT "id" FROM "OutboxMessage"
    WHERE "channel" = ${channel} AND "botAccount" = ${botAccount} AND "status" IN ('pending', 'sending') AND (${dueCondition(engine, now)})
      ${quiet ? Prisma.sql`AND "urgent" = TRUE` : Prisma.empty}
    -- Urgent alerts and answers to someone who just wrote go before a backlog of prompts.
    ORDER BY "urgent" DESC, "id"
    LIMIT ${limit}
    ${engine === 'postgresql' ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty}`;
}

/**
 * PostgreSQL compares timestamp(3) columns directly. SQLite keeps DateTime as text, and rows
 * written by Prisma ("2026-01-02T03:04:05.678+00:00") and by a column default ("2026-01-02
 * 03:04:05") do not sort as text, so both sides go through julianday().
 */
function dueCondition(engine: Engine, now: Date): Prisma.Sql {
  if (engine === 'postgresql') {
    return Prisma.sql`("status" = 'pending' AND "nextAttemptAt" <= ${now}) OR ("status" = 'sending' AND "leaseExpiresAt" < ${now})`;
  }
  return Prisma.sql`("status" = 'pending' AND julianday("nextAttemptAt") <= julianday(${now}))
    OR ("status" = 'sending' AND julianday("leaseExpiresAt") < julianday(${now}))`;
}

/**
 * Marks a sent row; false when the lease was lost (it expired and another dispatcher took the row).
 * Raw: every message sent writes one, and the typed updateMany costs several times its CPU; its
 * typed twin is in tests/integration/writeStatementTwins.test.ts.
 */
export async function markSent(db: Db, id: number, owner: string, now: Date): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ${now}, "leaseOwner" = NULL, "leaseExpiresAt" = NULL
    WHERE "id" = ${id} AND "status" = 'sending' AND "leaseOwner" = ${owner}`;
  return updated === 1;
}

/**
 * Counts a failed send: the row waits retryBaseMs·2^(attempts−1) before the next try, or is
 * dead-lettered when attempts run out or the failure is permanent. Null when the lease was lost.
 */
export async function markFailed(
  db: Db,
  row: { id: number; attempts: number },
  owner: string,
  error: SendError,
  now: Date,
  policy: RetryPolicy,
): Promise<{ status: 'pending' | 'dead'; attempts: number; nextAttemptAt: Date } | null> {
  const attempts = row.attempts + 1;
  const status = error.permanent || attempts >= policy.maxAttempts ? 'dead' : 'pending';
  const nextAttemptAt = new Date(now.getTime() + policy.retryBaseMs * 2 ** (attempts - 1));
  const updated = await db.outboxMessage.updateMany({
    where: { id: row.id, status: 'sending', leaseOwner: owner },
    data: { status, attempts, nextAttemptAt, lastError: error.message.slice(0, ERROR_LENGTH), leaseOwner: null, leaseExpiresAt: null },
  });
  return updated.count === 1 ? { status, attempts, nextAttemptAt } : null;
}

/** Far enough ahead that no claim takes the row; a new message from its person wakes it. */
const UNTIL_NEXT_MESSAGE = new Date('9999-12-31T00:00:00.000Z');

/**
 * A row its platform will not take now: pending again without spending an attempt, until `until`,
 * or ('next_message') until its person writes again, marked as waiting so staff see who cannot be reached.
 */
export async function deferOutbound(db: Db, id: number, owner: string, until: Date | 'next_message', reason: string, now: Date): Promise<boolean> {
  const waiting = until === 'next_message';
  const updated = await db.outboxMessage.updateMany({
    where: { id, status: 'sending', leaseOwner: owner },
    data: {
      status: 'pending',
      leaseOwner: null,
      leaseExpiresAt: null,
      nextAttemptAt: waiting ? UNTIL_NEXT_MESSAGE : until,
      waitingSince: waiting ? now : null,
      lastError: reason.slice(0, ERROR_LENGTH),
    },
  });
  return updated.count === 1;
}

/**
 * The ids of what waits for this address's next message, in the order of the address's own index.
 * While the outbox's statistics are stale, as right after a fan-out, PostgreSQL rates the
 * dispatcher's (channel, botAccount, status) index as cheap as that one and may walk every pending
 * row: 1.4 s a message at 1,400,000 prompts (BENCHMARKS.md "1,000,000 children, quiet"). The
 * order, which only the address's index gives without a sort, and no status condition settle it.
 * The plan is pinned in tests/integration/outboxWaitingPlan.test.ts.
 */
export function waitingRowIds(address: { channel: string; botAccount: string; address: string }): Prisma.Sql {
  return Prisma.sql`SELECT "id" FROM "OutboxMessage"
    WHERE "channel" = ${address.channel} AND "botAccount" = ${address.botAccount} AND "address" = ${address.address} AND "waitingSince" IS NOT NULL
    ORDER BY "waitingSince"`;
}

/**
 * Whether anything waits for this address's next message, as an expression another statement can
 * carry (the inbox row's INSERT does, so most messages need no read of their own). The first of
 * `waitingRowIds`, not an EXISTS: PostgreSQL drops an EXISTS's ORDER BY, and with it the order
 * that keeps the address's index (plan pinned beside the read's).
 */
export function anythingWaitingFor(address: { channel: string; botAccount: string; address: string }): Prisma.Sql {
  return Prisma.sql`((${waitingRowIds(address)} LIMIT 1) IS NOT NULL)`;
}

/** The person wrote: what waited for their next message is due now. */
export async function wakeWaitingFor(db: Db, address: { channel: string; botAccount: string; address: string }, now: Date): Promise<number> {
  // Called once the inbox row's INSERT found something waiting (anythingWaitingFor). Raw, at a third
  // of the typed read's CPU (BENCHMARKS.md "Chat path, round three"); its typed twin is in
  // tests/integration/chatPathSql.test.ts. The write goes by the rows' ids, so its plan is the
  // read's (the address's index), and keeps the status condition.
  const waiting = await db.$queryRaw<Array<{ id: number | bigint }>>(waitingRowIds(address));
  if (waiting.length === 0) return 0;
  const woken = await db.outboxMessage.updateMany({
    where: { id: { in: waiting.map((row) => Number(row.id)) }, status: 'pending', waitingSince: { not: null } },
    data: { waitingSince: null, nextAttemptAt: now },
  });
  return woken.count;
}

export interface UnreachablePerson {
  person: { id: number; name: string };
  channel: string;
  waiting: number;
  waitingSince: Date;
}

/** People of a scope with messages waiting because their platform allows no message now: who cannot be reached. */
export async function unreachableWithin(db: Db, scope: AreaScope): Promise<UnreachablePerson[]> {
  const groups = await db.outboxMessage.groupBy({
    by: ['personId', 'channel'],
    where: { status: 'pending', waitingSince: { not: null }, person: inArea(scope) },
    _count: { _all: true },
    _min: { waitingSince: true },
    orderBy: { personId: 'asc' },
  });
  const people = await db.person.findMany({ where: { id: { in: groups.flatMap((group) => (group.personId === null ? [] : [group.personId])) } }, select: { id: true, name: true } });
  const byId = new Map(people.map((person) => [person.id, person]));
  return groups.flatMap((group) => {
    const person = group.personId === null ? undefined : byId.get(group.personId);
    return person ? [{ person, channel: group.channel, waiting: group._count._all, waitingSince: group._min.waitingSince! }] : [];
  });
}

/** Hands back leased rows that were not sent (rate limit reached, dispatcher stopping) without counting an attempt. */
export async function releaseLease(db: Db, ids: number[], owner: string): Promise<number> {
  if (ids.length === 0) return 0;
  const updated = await db.outboxMessage.updateMany({
    where: { id: { in: ids }, status: 'sending', leaseOwner: owner },
    data: { status: 'pending', leaseOwner: null, leaseExpiresAt: null },
  });
  return updated.count;
}

/**
 * Hands back every lease of a stopping dispatcher whose sends did not finish in time, so another
 * instance sends those rows now rather than after the lease runs out. Not an attempt: the send
 * may have been cut short before it went out (if it did go out, this one message repeats).
 */
export async function releaseLeasesOf(db: Db, owner: string): Promise<number> {
  const updated = await db.outboxMessage.updateMany({
    where: { status: 'sending', leaseOwner: owner },
    data: { status: 'pending', leaseOwner: null, leaseExpiresAt: null },
  });
  return updated.count;
}

/** Messages that will not be tried again until someone retries them, oldest first. */
export async function deadLetters(db: Db, query: { limit: number }): Promise<DeadLetter[]> {
  return db.outboxMessage.findMany({
    where: { status: 'dead' },
    orderBy: { id: 'asc' },
    take: query.limit,
    select: { id: true, channel: true, botAccount: true, attempts: true, lastError: true, createdAt: true },
  });
}

/** Puts dead letters back in the queue with a fresh set of attempts; returns the ids requeued. */
export async function retryDeadLetters(db: Db, ids: number[] | 'all', now: Date): Promise<number[]> {
  const where = ids === 'all' ? { status: 'dead' as const } : { status: 'dead' as const, id: { in: ids } };
  const rows = await db.outboxMessage.findMany({ where, orderBy: { id: 'asc' }, select: { id: true } });
  const found = rows.map((row) => row.id);
  await db.outboxMessage.updateMany({
    where: { status: 'dead', id: { in: found } },
    data: { status: 'pending', attempts: 0, nextAttemptAt: now },
  });
  return found;
}

/** How many messages an account sent since a moment, and when the last went out: restores its rate limit after a restart. */
export async function sentSince(
  db: Db,
  query: { channel: string; botAccount: string; since: Date },
): Promise<{ count: number; lastSentAt: Date | null }> {
  const result = await db.outboxMessage.aggregate({
    where: { channel: query.channel, botAccount: query.botAccount, status: 'sent', sentAt: { gte: query.since } },
    _count: { _all: true },
    _max: { sentAt: true },
  });
  return { count: result._count._all, lastSentAt: result._max.sentAt };
}

export interface ScopedDeadLetter extends DeadLetter {
  isRoom: boolean;
  person: { id: number; name: string } | null;
}

/**
 * Which dead letters a scope sees: those to people of its subtree; messages to no registered
 * person (care rooms) only from the top of the tree, since no area owns them.
 */
function deadLettersOf(scope: AreaScope): Prisma.OutboxMessageWhereInput {
  const root = scope.path.split('/').filter(Boolean).length === 1;
  return { status: 'dead', OR: [{ person: inArea(scope) }, ...(root ? [{ personId: null }] : [])] };
}

/** Dead letters of a scope, oldest first, one page (limit + 1 rows). No address or text: those may carry a phone. */
export async function deadLettersWithin(db: Db, scope: AreaScope, page: { after?: number; limit: number }): Promise<ScopedDeadLetter[]> {
  return db.outboxMessage.findMany({
    where: { ...deadLettersOf(scope), ...(page.after !== undefined ? { id: { gt: page.after } } : {}) },
    orderBy: { id: 'asc' },
    take: page.limit + 1,
    select: { id: true, channel: true, botAccount: true, attempts: true, lastError: true, createdAt: true, isRoom: true, person: { select: { id: true, name: true } } },
  });
}

/** Queues one dead letter of the scope again, with a fresh set of attempts; false when there is none. */
export async function retryDeadLetterWithin(db: Db, input: { id: number; scope: AreaScope; actor: string; now: Date }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const requeued = await tx.outboxMessage.updateMany({
      where: { id: input.id, ...deadLettersOf(input.scope) },
      data: { status: 'pending', attempts: 0, nextAttemptAt: input.now },
    });
    if (requeued.count === 0) return false;
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'outbox.retry', subjectType: 'OutboxMessage', subjectId: input.id });
    return true;
  });
}
