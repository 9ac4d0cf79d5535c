import { keyed } from '../texts/keyedMessages';
import { contactWeekOf } from '../domain/contactWeek';
import { localDate } from '../domain/schoolCalendar';
import { childrenMissingAgreement } from '../store/agreements/guardianshipAgreements';
import { groupBy, peopleWithChatBatches } from '../store/registry/villageDirectors';
import { MAX_NAMES_IN_LIST, queueFresh } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { freshestAddresses } from '../store/messaging/identities';

const JOB_NAME = 'agreement-missing';

/**
 * Each week, every village director with a bound chat gets the village's children whose parents
 * both work away and who have no valid guardianship agreement, one message per director and week,
 * until each child has one (a child with an approved agreement drops off the next list).
 */
export async function listChildrenMissingAgreement(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const today = localDate(now, timeZone);
  const week = contactWeekOf(now, timeZone).key;
  const summary = { directors: 0, prompted: 0, childrenListed: 0, alreadyQueued: 0 };
  for await (const directors of peopleWithChatBatches(db, { role: 'director' })) {
    summary.directors += directors.length;
    const missing = groupBy(
      await childrenMissingAgreement(db, { villageIds: directors.map((director) => director.areaId) }, today),
      (child) => child.areaId,
    );
    const waiting = directors.filter((director) => missing.has(director.areaId));
    const addresses = await freshestAddresses(
      db,
      waiting.map((director) => director.id),
    );
    const messages = waiting.flatMap((director) => {
      const children = missing.get(director.areaId)!;
      const to = addresses.get(director.id);
      if (!to) return [];
      summary.childrenListed += children.length;
      const names = children.slice(0, MAX_NAMES_IN_LIST).map((child) => child.name);
      return [{ to, text: keyed.agreementMissing(names, children.length), dedupeKey: `${JOB_NAME}:${director.id}:${week}` }];
    });
    const { queued, alreadyQueued } = await queueFresh(context, messages);
    summary.prompted += queued;
    summary.alreadyQueued += alreadyQueued;
  }
  logger.info({ job: JOB_NAME, week, ...summary }, 'children without a guardianship agreement listed for directors');
  return summary;
}

export const agreementMissingJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '0 9 * * 1',
  description: '每周一：把父母双方外出务工、还没有有效委托监护确认书的孩子名单发给各村儿童主任，直到补齐',
  run: listChildrenMissingAgreement,
};
