import { returnHomePeriod } from '../domain/returnHome';
import { awayParentBatches } from '../store/contact/contactWeeks';
import { freshestAddresses } from '../store/messaging/identities';
import { queueMessage } from '../store/messaging/outbox';
import { pausedAmong } from '../store/privacy/privacy';
import { askedAbout, markReturnHomeAsked } from '../store/contact/returnHomeWishes';
import { keyed } from '../texts/keyedMessages';
import type { Job, JobContext, JobSummary } from './job';
import { inTransaction } from '../store/db/database';

const JOB_NAME = 'return-home-question';

/**
 * Twice a year every away parent with a bound chat is asked whether they would come back to work
 * or start a business near home, and what would help (人社's 返乡就业创业扶持). The question's row
 * (askedAt) and the prompt are written together per parent, keyed by parent and half-year, so a
 * re-run or a resumed run asks nobody twice. A parent who paused prompts (暂停提醒, 退订) is not
 * asked nor marked asked: they may still answer with 返乡 whenever they like.
 */
export async function askReturnHome(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const period = returnHomePeriod(now, timeZone);
  const summary = { parents: 0, asked: 0, alreadyAsked: 0, unreachable: 0, paused: 0 };
  for await (const parents of awayParentBatches(db, { period: { current: true }, withChatIdentity: true })) {
    summary.parents += parents.length;
    const ids = parents.map((parent) => parent.id);
    const [addresses, asked, paused] = await Promise.all([freshestAddresses(db, ids), askedAbout(db, ids, period), pausedAmong(db, ids, now)]);
    await inTransaction(db, async (tx) => {
      for (const parent of parents) {
        const to = addresses.get(parent.id);
        if (!to) summary.unreachable += 1;
        else if (paused.has(parent.id)) summary.paused += 1;
        else if (asked.has(parent.id) || !(await markReturnHomeAsked(tx, parent.id, period, now))) summary.alreadyAsked += 1;
        else {
          await queueMessage(tx, to, keyed.returnHomeQuestion(parent.name), { now, dedupeKey: `${JOB_NAME}:${parent.id}:${period}` });
          summary.asked += 1;
        }
      }
    });
  }
  logger.info({ job: JOB_NAME, period, ...summary }, 'return-home questions queued');
  return summary;
}

/** 15 March and 15 September: away parents are asked about coming home to work or start a business. */
export const returnHomeQuestionJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '0 10 15 3,9 *',
  description: '每年3月、9月15日询问外出务工家长是否考虑返乡就业创业、需要什么帮助（每人每半年只问一次）',
  run: askReturnHome,
};
