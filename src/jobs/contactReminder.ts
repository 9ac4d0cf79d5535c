import { catalog } from '../chat/catalog';
import { contactWeekOf } from '../domain/contactWeek';
import {
  addressesOfPeople,
  awayParentBatches,
  careRoomsOfChildren,
  contactCountsForWeek,
  pairKey,
  usedDedupeKeys,
} from '../store/contactWeeks';
import { queueMessage, type Address } from '../store/outbox';
import type { Job, JobContext, JobSummary } from './job';

/** How long one batch's writes may take before the transaction is abandoned. */
export const BATCH_TRANSACTION_TIMEOUT_MS = 60_000;

interface PromptVariant {
  job: string;
  /** The parent's personal prompt, naming all of their children still missing this week. */
  personal: (parent: string, children: string[]) => string;
  /** The family-visible line in each of a child's care rooms. */
  room: (parent: string, child: string) => string;
}

interface PendingMessage {
  to: Address;
  text: string;
  dedupeKey: string;
  personal: boolean;
}

/**
 * Prompts every away parent with a bound chat who has logged no contact this week with one or more
 * of their children: one personal message per parent naming all those children (a parent with two
 * children gets one message, not two), and a short line in each such child's care rooms.
 * Dedupe keys are (job, parent, child or 'all', week), so a re-run or a resumed run of the same week
 * writes nothing new.
 */
export async function promptMissingContact(context: JobContext, variant: PromptVariant): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const week = contactWeekOf(now, timeZone);
  const summary = { parents: 0, missingParents: 0, missingChildren: 0, prompted: 0, roomPosts: 0, alreadyQueued: 0 };

  for await (const parents of awayParentBatches(db, { period: { current: true }, withChatIdentity: true })) {
    summary.parents += parents.length;
    const counts = await contactCountsForWeek(
      db,
      week.key,
      parents.map((parent) => parent.id),
    );
    const missing = parents
      .map((parent) => ({ parent, children: parent.children.filter((child) => !counts.get(pairKey(parent.id, child.id))) }))
      .filter((entry) => entry.children.length > 0);
    if (missing.length === 0) continue;

    const addresses = await addressesOfPeople(
      db,
      missing.map((entry) => entry.parent.id),
    );
    const rooms = await careRoomsOfChildren(db, [...new Set(missing.flatMap((entry) => entry.children.map((child) => child.id)))]);
    const messages: PendingMessage[] = [];
    for (const { parent, children } of missing) {
      summary.missingParents += 1;
      summary.missingChildren += children.length;
      const address = addresses.get(parent.id);
      if (address) {
        messages.push({
          to: address,
          text: variant.personal(parent.name, children.map((child) => child.name)),
          dedupeKey: `${variant.job}:${parent.id}:all:${week.key}`,
          personal: true,
        });
      }
      for (const child of children) {
        for (const room of rooms.get(child.id) ?? []) {
          // same key shape as queueToCareRooms: <key>:room<id>
          messages.push({
            to: room,
            text: variant.room(parent.name, child.name),
            dedupeKey: `${variant.job}:${parent.id}:${child.id}:${week.key}:room${room.roomId}`,
            personal: false,
          });
        }
      }
    }

    const used = await usedDedupeKeys(
      db,
      messages.map((message) => message.dedupeKey),
    );
    const fresh = messages.filter((message) => !used.has(message.dedupeKey));
    summary.alreadyQueued += messages.length - fresh.length;
    if (fresh.length === 0) continue;
    await db.$transaction(
      async (tx) => {
        for (const message of fresh) await queueMessage(tx, message.to, message.text, { now, dedupeKey: message.dedupeKey });
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
    );
    summary.prompted += fresh.filter((message) => message.personal).length;
    summary.roomPosts += fresh.filter((message) => !message.personal).length;
  }

  logger.info({ job: variant.job, week: week.key, ...summary }, 'weekly contact prompts queued');
  return summary;
}

/** Friday evening: a warm reminder to every away parent who has not yet been in touch this week. */
export const contactReminderJob: Job = {
  name: 'contact-reminder',
  defaultSchedule: '0 19 * * 5',
  description: '每周五提醒本周尚未与孩子联系的外出务工家长（同时发到孩子的关爱群）',
  run: (context) =>
    promptMissingContact(context, { job: 'contact-reminder', personal: catalog.contactReminder, room: catalog.contactReminderForRoom }),
};
