import { contactWeekOf, inZone, previousContactWeek } from '../domain/contactWeek';
import { freshestAddresses } from '../store/messaging/identities';
import { summaryReaders, weeklyFigures, type WeeklyFigures } from '../store/contact/weeklySummaries';
import { keyed } from '../texts/keyedMessages';
import { queueFresh } from './batches';
import type { Job, JobContext, JobSummary } from './job';

const JOB_NAME = 'weekly-summary';

/**
 * Every Monday, each township's and district's civil-affairs officers get the week before in one
 * message: contact kept and missed, reports filed, cases open and overdue in their area. On WeCom
 * it also goes, once, to the area's staff group robot. Re-running the week queues nothing twice.
 */
export async function sendWeeklySummaries(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const week = previousContactWeek(contactWeekOf(now, timeZone));
  const period = `${inZone(week.start, week.zone).toFormat('M月d日')}至${inZone(week.start, week.zone).plus({ days: 6 }).toFormat('M月d日')}`;
  const readers = await summaryReaders(db);
  const addresses = await freshestAddresses(
    db,
    readers.map((reader) => reader.id),
  );
  const figures = new Map<number, WeeklyFigures>();
  const messages = [];
  for (const reader of readers) {
    const to = addresses.get(reader.id);
    if (!to) continue;
    if (!figures.has(reader.area.id)) figures.set(reader.area.id, await weeklyFigures(db, reader.area, week, now));
    messages.push({ to, text: keyed.weeklySummary(reader.area.name, period, figures.get(reader.area.id)!), dedupeKey: `${JOB_NAME}:${reader.id}:${week.key}` });
  }
  const { queued, alreadyQueued } = await queueFresh(context, messages);
  const summary = { areas: figures.size, queued, alreadyQueued };
  logger.info({ job: JOB_NAME, week: week.key, ...summary }, 'weekly summaries queued for township and district staff');
  return summary;
}

export const weeklySummaryJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '30 8 * * 1',
  description: '每周一：把上周的亲情联系、新报告和在办、超期个案汇总发给各乡镇、区的民政工作人员（企业微信同时发到工作群机器人）',
  run: sendWeeklySummaries,
};
