import { keyed } from '../texts/keyedMessages';
import { CHECK_IN_WEEK_PARITY, checkInRoundOf, checkInWeekDates, isCheckInWeek } from '../domain/teacherCheckIn';
import { usedDedupeKeys } from '../store/contact/contactWeeks';
import { queueMessage } from '../store/messaging/outbox';
import { assignedTeacherBatches, openCheckIn, teachersWithRoundBetween } from '../store/contact/teacherCheckIns';
import { BATCH_TRANSACTION_TIMEOUT_MS } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { freshestAddresses } from '../store/messaging/identities';
import { inTransaction } from '../store/db/database';

const JOB_NAME = 'teacher-checkin';

/** The dedupe key of a teacher's prompt for a round: one prompt per (teacher, round), ever. */
export const checkInPromptKey = (teacherId: number, round: string): string => `${JOB_NAME}:${teacherId}:${round}`;

/**
 * Opens a check-in round (定期交流沟通): every teacher with a bound chat gets one message listing
 * their assigned children, numbered, and a pending TeacherCheckIn row per child (round = the run's
 * local date, position = the number). Runs weekly by cron but works only in ISO weeks of parity
 * CHECK_IN_WEEK_PARITY, which makes it every other week. Idempotent: rows are unique per (teacher,
 * child, round), the prompt is keyed per (teacher, round), and a teacher who already has a round in
 * this ISO week (a re-run on a later day) is left alone. Rows and prompt of a batch are one
 * transaction, so a crashed run resumes without duplicates.
 */
export async function openCheckInRound(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const summary = { offWeek: 0, teachers: 0, prompted: 0, checkIns: 0, alreadyPrompted: 0 };
  if (!isCheckInWeek(now, timeZone)) {
    summary.offWeek = 1;
    logger.info({ job: JOB_NAME, parity: CHECK_IN_WEEK_PARITY }, 'not a check-in week: nothing to do');
    return summary;
  }
  const round = checkInRoundOf(now, timeZone);
  const week = checkInWeekDates(now, timeZone);

  for await (const teachers of assignedTeacherBatches(db)) {
    summary.teachers += teachers.length;
    const ids = teachers.map((teacher) => teacher.id);
    const promptedThisWeek = await teachersWithRoundBetween(db, ids, week.first, week.last);
    const used = await usedDedupeKeys(
      db,
      ids.map((id) => checkInPromptKey(id, round)),
    );
    const due = teachers.filter((teacher) => !promptedThisWeek.has(teacher.id) && !used.has(checkInPromptKey(teacher.id, round)));
    summary.alreadyPrompted += teachers.length - due.length;
    if (due.length === 0) continue;
    const addresses = await freshestAddresses(
      db,
      due.map((teacher) => teacher.id),
    );

    await inTransaction(
      db,
      async (tx) => {
        for (const teacher of due) {
          const to = addresses.get(teacher.id);
          if (!to) continue; // unbound between the two queries
          for (const [index, child] of teacher.children.entries()) {
            await openCheckIn(tx, { teacherId: teacher.id, childId: child.id, round, position: index + 1, promptedAt: now });
          }
          await queueMessage(
            tx,
            to,
            keyed.teacherCheckInPrompt(
              teacher.name,
              teacher.children.map((child) => child.name),
            ),
            { now, dedupeKey: checkInPromptKey(teacher.id, round) },
          );
        }
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
    );
    const sent = due.filter((teacher) => addresses.has(teacher.id));
    summary.prompted += sent.length;
    summary.checkIns += sent.reduce((total, teacher) => total + teacher.children.length, 0);
  }

  logger.info({ job: JOB_NAME, round, ...summary }, 'teacher check-in round opened');
  return summary;
}

/** Every other Wednesday afternoon (even ISO weeks): each teacher's numbered list of children. */
export const teacherCheckInJob: Job = {
  name: JOB_NAME,
  // cron has no "every other week": weekly here, and the job skips odd ISO weeks (CHECK_IN_WEEK_PARITY)
  defaultSchedule: '30 16 * * 3',
  description: '隔周三（ISO偶数周）请帮扶教师逐一反馈所帮扶孩子的情况（定期交流沟通）',
  run: openCheckInRound,
};
