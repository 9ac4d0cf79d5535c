import type { Db, Prisma, Tx } from '../db/database';
import { personIdOfTag } from './identities';

/** A multi-step chat in progress (the guided 报告): survives a restart because it lives here. */
export interface ChatDialogState {
  kind: string;
  step: string;
  data: Prisma.JsonValue;
  expiresAt: Date;
}

/**
 * The person's dialog, if any. One that timed out is removed and returned as `expired`, so the
 * caller can say the draft is gone and handle the message normally.
 */
export async function dialogOf(
  tx: Tx,
  personId: number,
  now: Date,
  kinds?: readonly string[],
): Promise<{ open: ChatDialogState } | { expired: string } | null> {
  // One read: this runs for every private message of a bound sender, and almost always finds nothing.
  const dialogs = await tx.chatDialog.findMany({ where: { personId, ...(kinds ? { kind: { in: [...kinds] } } : {}) }, orderBy: { updatedAt: 'desc' }, select: { kind: true, step: true, data: true, expiresAt: true } });
  const expired = dialogs.find((dialog) => dialog.expiresAt <= now);
  if (expired) await tx.chatDialog.deleteMany({ where: { personId, expiresAt: { lte: now }, ...(kinds ? { kind: { in: [...kinds] } } : {}) } });
  const open = dialogs.find((dialog) => dialog.expiresAt > now);
  if (open) return { open };
  return expired ? { expired: expired.kind } : null;
}

/**
 * What the bot remembers of a person's last free-text turn under a kind (the question it just asked,
 * the record it may undo): kept in the dialog table so it survives a restart, expiring like drafts.
 * Null when there is none or it has expired.
 */
export async function memoryOf(tx: Tx, personId: number, kind: string, now: Date): Promise<ChatDialogState | null> {
  const row = await tx.chatDialog.findUnique({ where: { personId_kind: { personId, kind } }, select: { kind: true, step: true, data: true, expiresAt: true } });
  if (!row) return null;
  if (row.expiresAt > now) return row;
  await endDialog(tx, personId, kind);
  return null;
}

/**
 * Starts or moves a dialog on; every answer gives it a new lease of life. One raw INSERT … ON
 * CONFLICT DO UPDATE: free text writes its undo memory on every record it makes, and the typed
 * upsert costs three times the CPU. updatedAt is the wall clock, as the typed client's
 * @updatedAt sets it. Its typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function saveDialog(tx: Tx, personId: number, dialog: { kind: string; step: string; data: Prisma.InputJsonValue; expiresAt: Date }): Promise<void> {
  // A JSON column takes JSON text on both engines.
  const data = JSON.stringify(dialog.data);
  await tx.$executeRaw`
    INSERT INTO "ChatDialog" ("personId", "kind", "step", "data", "expiresAt", "updatedAt")
    VALUES (${personId}, ${dialog.kind}, ${dialog.step}, ${data}, ${dialog.expiresAt}, ${new Date()})
    ON CONFLICT ("personId", "kind") DO UPDATE SET "step" = excluded."step", "data" = excluded."data", "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`;
}

/**
 * Ends a dialog, if there is one. Raw: every report filed ends its draft inside the filing's
 * transaction (BENCHMARKS.md "Report filing, raw"); its typed twin is in tests/integration/filingSql.test.ts.
 */
export async function endDialog(tx: Tx, personId: number, kind: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "ChatDialog" WHERE "personId" = ${personId} AND "kind" = ${kind}`;
}

/**
 * Whether the sender of an incoming message has a dialog open, read before the message is
 * recorded: only then are the bytes of a photo or voice note worth keeping.
 */
export async function senderHasOpenDialog(db: Db, from: { channel: string; botAccount: string; externalId: string; tag?: string }, now: Date): Promise<boolean> {
  const identity = await db.chatIdentity.findUnique({
    where: { channel_botAccount_externalId: { channel: from.channel, botAccount: from.botAccount, externalId: from.externalId } },
    select: { personId: true },
  });
  const personId = identity?.personId ?? personIdOfTag(from.tag);
  if (personId === null) return false;
  return (await db.chatDialog.count({ where: { personId, expiresAt: { gt: now } } })) > 0;
}
