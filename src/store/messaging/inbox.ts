import type { InboundMessage } from '../../channel';
import { Prisma, type Db, type Tx } from '../db/database';
import { keyringOf } from '../crypto/sealedTexts';

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

/** Writes the message before anything handles it; a platform id seen before is reported as a duplicate. */
export async function recordInbound(db: Db, message: InboundMessage, attachment: InboxAttachment | null = null): Promise<{ id: number; duplicate: boolean }> {
  const key = { channel: message.channel, platformMessageId: message.platformMessageId };
  try {
    const row = await db.inboxMessage.create({
      data: {
        ...key,
        botAccount: message.botAccount,
        kind: message.kind ?? 'message',
        fromExternalId: message.from.externalId,
        fromName: message.from.name ?? null,
        roomExternalId: message.room?.externalId ?? null,
        mentionsBot: message.room?.mentionsBot ?? false,
        fromTag: message.from.tag ?? null,
        text: message.text,
        attachmentKind: attachment?.kind ?? null,
        attachmentPath: attachment?.path ?? null,
        attachmentSha256: attachment?.sha256 ?? null,
        attachmentSize: attachment?.size ?? null,
        attachmentMime: attachment?.mimeType ?? null,
        receivedAt: message.receivedAt,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: false };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
    const existing = await db.inboxMessage.findUniqueOrThrow({ where: { channel_platformMessageId: key }, select: { id: true } });
    return { id: existing.id, duplicate: true };
  }
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
  const [claimed] = await tx.$queryRaw<ClaimedRow[]>`
    UPDATE "InboxMessage" SET "status" = 'handled', "handledAt" = ${now}
    WHERE "id" = ${id} AND "status" = 'received'
    RETURNING "id", "channel", "botAccount", "kind", "fromExternalId", "fromName", "roomExternalId", "mentionsBot", "fromTag", "text", "receivedAt",
      "attachmentKind", "attachmentPath", "attachmentSha256", "attachmentSize", "attachmentMime"`;
  if (!claimed) return null;
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
