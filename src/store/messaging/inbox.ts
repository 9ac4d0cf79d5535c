import type { InboundMessage } from '../../channel';
import { Prisma, type Db, type Tx } from '../db/database';
import type { Engine } from '../db/providers';
import { keyringOf, sealedTextColumn } from '../crypto/sealedTexts';
import { anythingWaitingFor } from './outboxLeases';
import { markIdentitySeen, SEEN_IDENTITY_COLUMNS, seenSender, type Sender, type SeenIdentityRow } from './identities';

export interface InboxRecord {
  id: number;
  channel: string;
  botAccount: string;
  kind: string;
  fromExternalId: string;
  fromName: string | null;
  roomExternalId: string | null;
  mentionsBot: boolean;
  /** The contact's remark tag as it arrived: recognises the sender again when the row is handled after a crash. */
  fromTag: string | null;
  text: string;
  attachment: InboxAttachment | null;
  receivedAt: Date;
}

/**
 * What came with a message: where it was saved, or (path null) that it was not kept. A sha256
 * without a path: the file arrived whole but the attachment folder would not take it.
 */
export interface InboxAttachment {
  kind: string;
  path: string | null;
  sha256: string | null;
  size: number | null;
  mimeType: string | null;
}

export interface RecordedInbound {
  id: number;
  /** The platform id was seen before: nothing was written. */
  duplicate: boolean;
  /** Messages to the sender wait for their next message (a platform's window); false for a duplicate, which is no new message. */
  waiting: boolean;
}

/**
 * Writes the message before anything handles it; a platform id seen before is reported as a
 * duplicate. One raw INSERT … ON CONFLICT DO NOTHING: every inbound message writes one, the typed
 * client spends three times its CPU (BENCHMARKS.md "Chat path, round three"), and a duplicate is
 * no failed statement (which would abort a PostgreSQL transaction around it). The text and the
 * sender's name are sealed as the typed client's extension seals them (sealedTexts.ts). The same
 * statement says whether messages wait in the outbox for the sender to write (`waiting`), so the
 * common message, with nothing waiting, needs no read of its own. Its typed twin is in
 * tests/integration/chatPathSql.test.ts.
 */
export async function recordInbound(db: Db, message: InboundMessage, attachment: InboxAttachment | null = null): Promise<RecordedInbound> {
  const fromName = message.from.name ?? null;
  const [inserted] = await db.$queryRaw<Array<{ id: number | bigint; waiting: boolean | number | bigint }>>`
    INSERT INTO "InboxMessage" ("channel", "platformMessageId", "botAccount", "kind", "fromExternalId", "fromName", "roomExternalId", "mentionsBot", "fromTag", "text",
      "attachmentKind", "attachmentPath", "attachmentSha256", "attachmentSize", "attachmentMime", "receivedAt")
    VALUES (${message.channel}, ${message.platformMessageId}, ${message.botAccount}, ${message.kind ?? 'message'}, ${message.from.externalId}, ${fromName === null ? null : sealedTextColumn(db, fromName)},
      ${message.room?.externalId ?? null}, ${message.room?.mentionsBot ?? false}, ${message.from.tag ?? null}, ${sealedTextColumn(db, message.text)},
      ${attachment?.kind ?? null}, ${attachment?.path ?? null}, ${attachment?.sha256 ?? null}, ${attachment?.size ?? null}, ${attachment?.mimeType ?? null}, ${message.receivedAt})
    ON CONFLICT ("channel", "platformMessageId") DO NOTHING
    RETURNING "id", ${anythingWaitingFor({ channel: message.channel, botAccount: message.botAccount, address: message.from.externalId })} AS "waiting"`;
  if (inserted) return { id: Number(inserted.id), duplicate: false, waiting: Boolean(inserted.waiting) };
  const [existing] = await db.$queryRaw<Array<{ id: number | bigint }>>`
    SELECT "id" FROM "InboxMessage" WHERE "channel" = ${message.channel} AND "platformMessageId" = ${message.platformMessageId}`;
  if (!existing) throw new Error(`Inbound message ${message.channel}/${message.platformMessageId} was neither written nor found.`);
  return { id: Number(existing.id), duplicate: true, waiting: false };
}

interface ClaimedRow {
  id: number | bigint;
  channel: string;
  botAccount: string;
  kind: string;
  fromExternalId: string;
  fromName: string | null;
  roomExternalId: string | null;
  mentionsBot: boolean | number | bigint;
  fromTag: string | null;
  text: string;
  receivedAt: Date | string;
  attachmentKind: string | null;
  attachmentPath: string | null;
  attachmentSha256: string | null;
  attachmentSize: number | bigint | null;
  attachmentMime: string | null;
}

/**
 * Claims a received row for handling inside the handler's transaction; null if another run got it
 * first. One raw UPDATE … RETURNING: a claim is on every inbound message's path, and the typed
 * client spends three times the raw statement's CPU on it (BENCHMARKS.md "Chat path, round
 * three"). The text and the sender's name are opened here as the typed client's extension opens it (sealedTexts.ts).
 * Its typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function claimInbound(tx: Tx, id: number, now: Date): Promise<InboxRecord | null> {
  const [claimed] = await tx.$queryRaw<ClaimedRow[]>`${claimStatement(id, now)}`;
  return claimed ? inboxRecord(tx, claimed) : null;
}

const claimStatement = (id: number, now: Date) => Prisma.sql`
  UPDATE "InboxMessage" SET "status" = 'handled', "handledAt" = ${now}
  WHERE "id" = ${id} AND "status" = 'received'
  RETURNING "id", "channel", "botAccount", "kind", "fromExternalId", "fromName", "roomExternalId", "mentionsBot", "fromTag", "text", "receivedAt",
    "attachmentKind", "attachmentPath", "attachmentSha256", "attachmentSize", "attachmentMime"`;

/** A claimed row, and its sender when their identity is known, marked seen (markIdentitySeen). */
export interface ClaimedInbound {
  message: InboxRecord;
  knownSender: Sender | null;
}

/**
 * Claims a received row and marks its sender's known identity seen; null if another run got the row
 * first. Both are on every message's path, and on PostgreSQL each was a round trip: there they are
 * one statement, a data-modifying WITH whose second UPDATE reads the first's row. SQLite has no such
 * WITH, and a statement there is no round trip, so it runs claimInbound and markIdentitySeen. The
 * PostgreSQL statement is checked against them in tests/integration/chatPathSql.test.ts.
 */
export async function claimInboundFromSender(tx: Tx, engine: Engine, id: number, now: Date): Promise<ClaimedInbound | null> {
  if (engine === 'sqlite') {
    const message = await claimInbound(tx, id, now);
    if (!message) return null;
    return { message, knownSender: await markIdentitySeen(tx, { channel: message.channel, botAccount: message.botAccount, externalId: message.fromExternalId }, now) };
  }
  // The sender's columns are null when their identity is not known.
  const [claimed] = await tx.$queryRaw<Array<ClaimedRow & SeenIdentityRow>>`
    WITH "claimed" AS (${claimStatement(id, now)}),
    "seen" AS (
      UPDATE "ChatIdentity" SET "lastSeenAt" = ${now}, "unreachableAt" = NULL FROM "claimed"
      WHERE "ChatIdentity"."channel" = "claimed"."channel" AND "ChatIdentity"."botAccount" = "claimed"."botAccount" AND "ChatIdentity"."externalId" = "claimed"."fromExternalId"
      RETURNING ${SEEN_IDENTITY_COLUMNS})
    SELECT * FROM "claimed" LEFT JOIN "seen" ON true`;
  if (!claimed) return null;
  const { identityId, personId, name, role, areaId, dialogs, ...row } = claimed;
  const knownSender = identityId === null ? null : seenSender({ identityId, personId, name, role, areaId, dialogs });
  return { message: inboxRecord(tx, row), knownSender };
}

/** A claimed row as handling reads it: the text and the sender's name opened as the typed client's extension opens them (sealedTexts.ts). */
function inboxRecord(tx: Tx, claimed: ClaimedRow): InboxRecord {
  const { attachmentKind, attachmentPath, attachmentSha256, attachmentSize, attachmentMime, ...row } = claimed;
  const attachment = attachmentKind === null ? null : { kind: attachmentKind, path: attachmentPath, sha256: attachmentSha256, size: attachmentSize === null ? null : Number(attachmentSize), mimeType: attachmentMime };
  const keyring = keyringOf(tx);
  return {
    ...row,
    id: Number(row.id),
    mentionsBot: Boolean(Number(row.mentionsBot)),
    text: keyring ? (keyring.open(row.text) as string) : row.text,
    fromName: keyring && row.fromName !== null ? (keyring.open(row.fromName) as string) : row.fromName,
    receivedAt: new Date(row.receivedAt),
    attachment,
  };
}

export async function markInboundFailed(db: Db, id: number, error: string, now: Date): Promise<void> {
  await db.inboxMessage.updateMany({ where: { id, status: 'received' }, data: { status: 'failed', error: error.slice(0, 2000), handledAt: now } });
}

/** Rows a crash left between the inbox write and their handling, oldest first. */
export async function unhandledInbound(db: Db, limit = 500): Promise<number[]> {
  const rows = await db.inboxMessage.findMany({ where: { status: 'received' }, orderBy: { id: 'asc' }, take: limit, select: { id: true } });
  return rows.map((row) => row.id);
}

/** A platform user's last message (or follow, or scan): it opens the 服务号's 48-hour window for free text. */
export async function lastInbound(db: Db, from: { channel: string; botAccount: string; externalId: string }): Promise<{ id: number; receivedAt: Date } | null> {
  return db.inboxMessage.findFirst({
    where: { channel: from.channel, botAccount: from.botAccount, fromExternalId: from.externalId },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    select: { id: true, receivedAt: true },
  });
}

/** The most rows countInboundStartingWith opens: a sender's day of messages, with room to spare. */
const RECENT_TEXTS_READ = 1000;

/**
 * How many of a sender's recent messages begin with a word (the bind command's tries a day).
 * Texts are sealed at rest, so the database cannot compare them: the sender's latest are opened
 * and read here.
 */
export async function countInboundStartingWith(tx: Tx, from: { channel: string; externalId: string }, word: string, since: Date): Promise<number> {
  const rows = await tx.inboxMessage.findMany({
    where: { channel: from.channel, fromExternalId: from.externalId, receivedAt: { gt: since } },
    orderBy: { id: 'desc' },
    take: RECENT_TEXTS_READ,
    select: { text: true },
  });
  return rows.filter((row) => row.text.startsWith(word)).length;
}

/** Where an inbound message came from: where an answer to it goes. */
export function inboundOrigin(db: Db, id: number): Promise<{ channel: string; botAccount: string; fromExternalId: string; roomExternalId: string | null }> {
  return db.inboxMessage.findUniqueOrThrow({ where: { id }, select: { channel: true, botAccount: true, fromExternalId: true, roomExternalId: true } });
}
