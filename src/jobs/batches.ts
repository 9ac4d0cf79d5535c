/** What the jobs share: one batch's transaction limit, the length of a list message, queueing each message once. */
import { usedDedupeKeys } from '../store/contact/contactWeeks';
import { queueMessage, type Address, type Outgoing } from '../store/messaging/outbox';
import type { JobContext } from './job';
import { inTransaction } from '../store/db/database';

/** How long one batch's writes may take before the transaction is abandoned. */
export const BATCH_TRANSACTION_TIMEOUT_MS = 60_000;

/** Names shown in one list message; a longer list ends with 等共N名 (the director sees the rest as they go). */
export const MAX_NAMES_IN_LIST = 100;

/** A message a job means to queue, once per dedupe key. */
export interface Pending {
  to: Address;
  text: Outgoing;
  dedupeKey: string;
}

/** Queues the messages whose dedupe keys are still unused, in one transaction; returns how many. */
export async function queueFresh(context: JobContext, messages: Pending[]): Promise<{ queued: number; alreadyQueued: number }> {
  const used = await usedDedupeKeys(
    context.db,
    messages.map((message) => message.dedupeKey),
  );
  const fresh = messages.filter((message) => !used.has(message.dedupeKey));
  if (fresh.length > 0) {
    await inTransaction(
      context.db,
      async (tx) => {
        for (const message of fresh) await queueMessage(tx, message.to, message.text, { now: context.now, dedupeKey: message.dedupeKey });
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
    );
  }
  return { queued: fresh.length, alreadyQueued: messages.length - fresh.length };
}
