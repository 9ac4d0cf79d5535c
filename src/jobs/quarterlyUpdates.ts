import { keyed } from '../texts/keyedMessages';
import { catalog } from '../texts/catalog';
import { previousRecordQuarter, quarterLabel, recordQuarterOf } from '../domain/recordQuarter';
import { directorsOfVillages } from '../store/contact/contactWeeks';
import { markUnconfirmedStale, unconfirmedChildrenByVillage } from '../store/registry/recordConfirmations';
import { peopleWithChatBatches } from '../store/registry/villageDirectors';
import { MAX_NAMES_IN_LIST, queueFresh } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { freshestAddresses } from '../store/messaging/identities';

/**
 * The first day of a quarter: each director with a bound chat gets one message listing the
 * village's children whose record is not yet confirmed this quarter, with how to answer.
 */
export async function startQuarterlyUpdate(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const quarter = recordQuarterOf(now, timeZone);
  const summary = { directors: 0, prompted: 0, childrenListed: 0, alreadyQueued: 0 };
  for await (const directors of peopleWithChatBatches(db, { role: 'director' })) {
    summary.directors += directors.length;
    const unconfirmed = await unconfirmedChildrenByVillage(
      db,
      directors.map((director) => director.areaId),
      quarter.key,
    );
    const addresses = await freshestAddresses(
      db,
      directors.filter((director) => unconfirmed.has(director.areaId)).map((director) => director.id),
    );
    const messages = directors.flatMap((director) => {
      const children = unconfirmed.get(director.areaId);
      const to = addresses.get(director.id);
      if (!children || !to) return [];
      summary.childrenListed += children.length;
      const lines = children.slice(0, MAX_NAMES_IN_LIST).map((child, i) => catalog.recordUpdateLine(i + 1, child.name, child.schoolName, child.grade));
      return [{ to, text: keyed.recordUpdateStart(quarterLabel(quarter), lines, children.length), dedupeKey: `quarterly-update-start:${director.id}:${quarter.key}` }];
    });
    const { queued, alreadyQueued } = await queueFresh(context, messages);
    summary.prompted += queued;
    summary.alreadyQueued += alreadyQueued;
  }
  logger.info({ job: 'quarterly-update-start', quarter: quarter.key, ...summary }, 'quarterly record update lists queued');
  return summary;
}

/**
 * Just after a quarter ends: every child (not archived) with no confirmation for the quarter that
 * ended is marked recordStale (one updateMany), and each village's directors are told how many.
 * A later 更新 clears the mark. Re-running marks nothing new and queues nothing twice.
 */
export async function closeQuarterlyUpdate(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const quarter = previousRecordQuarter(recordQuarterOf(now, timeZone));
  const { marked, byVillage } = await markUnconfirmedStale(db, quarter.key);
  const summary = { stale: [...byVillage.values()].reduce((sum, count) => sum + count, 0), newlyStale: marked, villages: byVillage.size, notified: 0, alreadyQueued: 0 };

  const villageIds = [...byVillage.keys()];
  for (let offset = 0; offset < villageIds.length; offset += 1000) {
    const directors = await directorsOfVillages(db, villageIds.slice(offset, offset + 1000));
    const addresses = await freshestAddresses(
      db,
      [...directors.values()].flat().map((director) => director.id),
    );
    const messages = [...directors].flatMap(([villageId, people]) =>
      people.flatMap((director) => {
        const to = addresses.get(director.id);
        if (!to) return [];
        return [{ to, text: keyed.recordStaleNotice(quarterLabel(quarter), byVillage.get(villageId)!), dedupeKey: `quarterly-update-close:${director.id}:${quarter.key}` }];
      }),
    );
    const { queued, alreadyQueued } = await queueFresh(context, messages);
    summary.notified += queued;
    summary.alreadyQueued += alreadyQueued;
  }
  logger.info({ job: 'quarterly-update-close', quarter: quarter.key, ...summary }, 'unconfirmed records marked stale');
  return summary;
}

export const quarterlyUpdateStartJob: Job = {
  name: 'quarterly-update-start',
  defaultSchedule: '0 9 1 1,4,7,10 *',
  description: '每季度第一天：请各村儿童主任核对孩子档案（更新 <孩子> 无变化 / 字段修改）',
  run: startQuarterlyUpdate,
};

export const quarterlyUpdateCloseJob: Job = {
  name: 'quarterly-update-close',
  defaultSchedule: '0 1 1 1,4,7,10 *',
  description: '每季度结束后：把上季度未确认的孩子档案标记为待更新，并告知儿童主任',
  run: closeQuarterlyUpdate,
};
