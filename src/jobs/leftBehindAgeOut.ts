import { DateTime } from 'luxon';
import { LEFT_BEHIND_AGE_LIMIT } from '../domain/leftBehind';
import { leftBehindBornBy, recomputeLeftBehind } from '../store/registry/childRecords';
import type { Job, JobContext, JobSummary } from './job';
import { inTransaction } from '../store/db/database';

const JOB_NAME = 'left-behind-age-out';
const BATCH = 200;

/**
 * A left-behind child who turns 16 stops being one (the plan's age limit) without anyone writing
 * to the record: each day such children are recomputed, so the trend counts them as come of age
 * in the quarter of their birthday. A re-run finds nobody left to change.
 */
export async function ageOutLeftBehind(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  // Born on or before this date: 16 full years today (birth dates are calendar dates).
  const bornBy = DateTime.fromJSDate(now, { zone: timeZone }).minus({ years: LEFT_BEHIND_AGE_LIMIT }).toISODate()!;
  const summary = { cameOfAge: 0 };
  for (let afterId = 0; ; ) {
    const children = await leftBehindBornBy(db, bornBy, afterId, BATCH);
    if (children.length === 0) break;
    afterId = children[children.length - 1]!;
    await inTransaction(db, async (tx) => {
      for (const childId of children) if (!(await recomputeLeftBehind(tx, childId, now, timeZone))) summary.cameOfAge += 1;
    });
  }
  logger.info({ job: JOB_NAME, ...summary }, 'left-behind children come of age recounted');
  return summary;
}

/** Daily: children who turned 16 leave the left-behind count, with that reason. */
export const leftBehindAgeOutJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '30 1 * * *',
  description: '留守儿童年满16周岁：每日重新认定，计入“年满16周岁”退出',
  run: ageOutLeftBehind,
};
