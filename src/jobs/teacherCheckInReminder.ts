import { keyed } from '../texts/keyedMessages';
import { CHECK_IN_REMINDER_DELAY_HOURS, reminderCutoff } from '../domain/teacherCheckIn';
import { usedDedupeKeys } from '../store/contact/contactWeeks';
import { queueMessage } from '../store/messaging/outbox';
import { namesOf } from '../store/registry/people';
import { markCheckInsReminded, overdueCheckInBatches } from '../store/contact/teacherCheckIns';
import { BATCH_TRANSACTION_TIMEOUT_MS } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { freshestAddresses } from '../store/messaging/identities';
import { inTransaction } from '../store/db/database';

const JOB_NAME = 'teacher-checkin-reminder';

/**
 * Reminds each teacher, once, of the check-ins of their newest round still unanswered
 * CHECK_IN_REMINDER_DELAY_HOURS after the prompt: one message per teacher listing the missing
 * children with their numbers, and remindedAt set on those rows in the same transaction, so no
 * check-in is reminded twice. The message is keyed per (teacher, round) as well.
 */
export async function remindOverdueCheckIns(context: JobContext): Promise<JobSummary> {
  const { db, now, logger } = context;
  const summary = { teachers: 0, reminded: 0, checkIns: 0, unreachable: 0 };

  for await (const batch of overdueCheckInBatches(db, reminderCutoff(now))) {
    if (batch.length === 0) continue;
    summary.teachers += batch.length;
    const addresses = await freshestAddresses(
      db,
      batch.map((entry) => entry.teacherId),
    );
    const keyOf = (entry: (typeof batch)[number]) => `${JOB_NAME}:${entry.teacherId}:${entry.checkIns[0]!.round}`;
    const used = await usedDedupeKeys(db, batch.map(keyOf));
    const teacherNames = await namesOf(
      db,
      batch.map((entry) => entry.teacherId),
    );

    await inTransaction(
      db,
      async (tx) => {
        for (const entry of batch) {
          const to = addresses.get(entry.teacherId);
          if (!to) {
            summary.unreachable += 1;
            continue;
          }
          if (!used.has(keyOf(entry))) {
            const missing = entry.checkIns.map((checkIn) => ({ position: checkIn.position, child: checkIn.childName }));
            await queueMessage(tx, to, keyed.teacherCheckInReminder(teacherNames.get(entry.teacherId) ?? '', missing), { now, dedupeKey: keyOf(entry) });
            summary.reminded += 1;
          }
          await markCheckInsReminded(
            tx,
            entry.checkIns.map((checkIn) => checkIn.id),
            now,
          );
          summary.checkIns += entry.checkIns.length;
        }
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
    );
  }

  logger.info({ job: JOB_NAME, delayHours: CHECK_IN_REMINDER_DELAY_HOURS, ...summary }, 'teacher check-in reminders queued');
  return summary;
}

/** Daily: check-ins still unanswered two days after the prompt are reminded once. */
export const teacherCheckInReminderJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '30 16 * * *',
  description: '定期交流名单发出两天后仍未回复的，提醒帮扶教师一次',
  run: remindOverdueCheckIns,
};
