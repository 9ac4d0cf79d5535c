import { keyed } from '../texts/keyedMessages';
import { contactWeekOf } from '../domain/contactWeek';
import { awayParentWeekBatches, contactPromptKey, type AwayParentWeek, type ContactPromptJob } from '../store/contact/contactWeeks';
import { queuePromptsOnce, type KeyedText, type Prompt } from '../store/messaging/outbox';
import type { Job, JobContext, JobSummary } from './job';
import { writingBehind } from './writingBehind';

interface PromptVariant {
  job: ContactPromptJob;
  /** The parent's personal prompt, naming all of their children still missing this week. */
  personal: (parent: string, children: string[]) => KeyedText;
  /** The family-visible line in each of a child's care rooms. */
  room: (parent: string, child: string) => KeyedText;
}

/**
 * Prompts every away parent with a bound chat who has logged no contact this week with one or more
 * of their children: one personal message per parent naming all those children (a parent with two
 * children gets one message, not two), and a short line in each such child's care rooms.
 * Dedupe keys are (job, parent, child or 'all', week), so a re-run or a resumed run of the same week
 * writes nothing new.
 */
export async function promptMissingContact(context: JobContext, variant: PromptVariant): Promise<JobSummary> {
  const { db, engine, now, timeZone, logger } = context;
  const week = contactWeekOf(now, timeZone);
  const summary = { parents: 0, missingParents: 0, missingChildren: 0, prompted: 0, roomPosts: 0, alreadyQueued: 0 };

  /** A batch's personal prompts and care-room lines: for each parent, the children not contacted this week. */
  const promptsFor = (parents: AwayParentWeek[]) => {
    const personal: Prompt[] = [];
    const roomPosts: Prompt[] = [];
    for (const parent of parents) {
      const children = parent.children.filter((child) => !child.contacted);
      if (children.length === 0) continue;
      summary.missingParents += 1;
      summary.missingChildren += children.length;
      personal.push({
        to: parent.address,
        text: variant.personal(parent.name, children.map((child) => child.name)),
        dedupeKey: contactPromptKey(variant.job, parent.id, week.key),
      });
      for (const child of children) {
        for (const room of child.rooms) {
          // same key shape as queueToCareRooms: <key>:room<id>
          roomPosts.push({
            to: room,
            text: variant.room(parent.name, child.name),
            dedupeKey: `${variant.job}:${parent.id}:${child.id}:${week.key}:room${room.roomId}`,
          });
        }
      }
    }
    return { personal, roomPosts };
  };
  // Each INSERT skips keys already used, so a re-run, or another instance running the same
  // occurrence, writes nothing twice; a batch cut short by a crash is finished by the next run.
  const write = async ({ personal, roomPosts }: { personal: Prompt[]; roomPosts: Prompt[] }) => {
    const prompted = await queuePromptsOnce(db, engine, personal, now);
    const posted = await queuePromptsOnce(db, engine, roomPosts, now);
    summary.prompted += prompted;
    summary.roomPosts += posted;
    summary.alreadyQueued += personal.length + roomPosts.length - prompted - posted;
  };

  // A batch's prompts are sealed while the one before is still being inserted.
  await writingBehind(
    awayParentWeekBatches(db, week.key),
    (parents) => {
      summary.parents += parents.length;
      const prompts = promptsFor(parents);
      return prompts.personal.length === 0 ? undefined : () => write(prompts);
    },
    { overlap: true },
  );

  logger.info({ job: variant.job, week: week.key, ...summary }, 'weekly contact prompts queued');
  return summary;
}

/** Friday evening: a warm reminder to every away parent who has not yet been in touch this week. */
export const contactReminderJob: Job = {
  name: 'contact-reminder',
  defaultSchedule: '0 19 * * 5',
  description: '每周五提醒本周尚未与孩子联系的外出务工家长（同时发到孩子的关爱群）',
  run: (context) =>
    promptMissingContact(context, { job: 'contact-reminder', personal: keyed.contactReminder, room: keyed.contactReminderForRoom }),
};
