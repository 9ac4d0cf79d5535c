import { previousRecordQuarter, quarterLabel, recordQuarterOf } from '../domain/recordQuarter';
import { addTallies, leftBehindTrend } from '../store/ledgers/leftBehindTrend';
import { queueToPerson } from '../store/messaging/outbox';
import { officersOfArea } from '../store/cases/referrals';
import { keyed } from '../texts/keyedMessages';
import type { Job, JobContext, JobSummary } from './job';
import { inTransaction } from '../store/db/database';
import { citiesAndDistricts } from '../store/registry/areas';

const JOB_NAME = 'quarterly-report';

/**
 * At each quarter's start the civil-affairs officers of every district and of the city hear that
 * the last quarter's joint-meeting report of their area is ready (the workbook itself is built on
 * demand: GET /api/v1/reports/quarterly, `report quarterly`), with the left-behind count at the
 * quarter's start and end. Keyed by officer, area and quarter, so nobody is told twice.
 */
export async function announceQuarterlyReports(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const quarter = previousRecordQuarter(recordQuarterOf(now, timeZone));
  const summary = { areas: 0, officersTold: 0 };
  const areas = await citiesAndDistricts(db);
  for (const area of areas) {
    const trend = await leftBehindTrend(db, area, [quarter], now);
    const total = addTallies(trend.get(quarter.key)!.values());
    const text = keyed.quarterlyReportReady(area.name, quarterLabel(quarter), `${quarter.year}Q${quarter.quarter}`, area.code, total.atStart, total.atEnd);
    await inTransaction(db, async (tx) => {
      let told = 0;
      for (const officer of await officersOfArea(tx, area.id)) {
        if (await queueToPerson(tx, officer, text, { now, dedupeKey: `${JOB_NAME}:${area.id}:${quarter.key}:${officer}` })) told += 1;
      }
      if (told > 0) summary.areas += 1;
      summary.officersTold += told;
    });
  }
  logger.info({ job: JOB_NAME, quarter: quarter.key, ...summary }, 'quarterly reports announced');
  return summary;
}

/** The first day of each quarter: the last quarter's report for the joint meeting. */
export const quarterlyReportJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '0 8 1 1,4,7,10 *',
  description: '每季度第一天：告知区、市民政工作人员上季度联席会议报告已生成（含留守儿童期初、期末人数），可在平台或命令行下载',
  run: announceQuarterlyReports,
};
