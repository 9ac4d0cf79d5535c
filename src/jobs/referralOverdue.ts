import { overdueLevel } from '../domain/caseWorkflow';
import { inTransaction, type Tx } from '../store/db/database';
import { queueToPerson, type Outgoing } from '../store/messaging/outbox';
import { departmentStaffFor, markReferralEscalated, officersOfArea, overdueReferrals, type OverdueReferral } from '../store/cases/referrals';
import { keyed } from '../texts/keyedMessages';
import type { Job, JobContext, JobSummary } from './job';

const JOB_NAME = 'referral-overdue';
const BATCH = 200;

async function tell(tx: Tx, people: number[], overdue: OverdueReferral, level: 1 | 2, text: Outgoing, now: Date): Promise<number> {
  let told = 0;
  for (const personId of people) if (await queueToPerson(tx, personId, text, { now, dedupeKey: `${JOB_NAME}:${overdue.id}:${level}:${personId}` })) told += 1;
  return told;
}

/**
 * An unanswered referral past its deadline reminds the department's staff once; past twice its
 * deadline (or at once when no staff member can be reached) the township's civil-affairs officers
 * are told, so someone chases the department.
 */
export async function escalateOverdueReferrals(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const summary = { overdue: 0, departmentsReminded: 0, townshipsTold: 0, unreachable: 0 };
  for (let afterId = 0; ; ) {
    const batch = await overdueReferrals(db, now, afterId, BATCH);
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1]!.id;
    for (const overdue of batch) {
      const level = overdueLevel({ stateSince: overdue.sentAt, dueAt: overdue.dueAt }, now);
      if (level === 0 || level <= overdue.escalations) continue;
      summary.overdue += 1;
      await inTransaction(db, async (tx) => {
        if (!(await markReferralEscalated(tx, overdue, level, now))) return;
        const { caseNumber, parentName, villageName } = overdue;
        // A case names its number; a return-home wish (人社's) names the parent.
        const townshipText =
          caseNumber === null
            ? keyed.returnHomeReferralOverdueForTownship(parentName!, villageName, overdue.dueAt, timeZone)
            : keyed.referralOverdueForTownship(overdue.department, caseNumber, villageName, overdue.dueAt, timeZone);
        const departmentText =
          caseNumber === null
            ? keyed.returnHomeReferralOverdue(parentName!, villageName, overdue.dueAt, timeZone)
            : keyed.referralOverdueForDepartment(overdue.department, caseNumber, overdue.dueAt, timeZone);
        const officers = overdue.townshipId === null ? [] : await officersOfArea(tx, overdue.townshipId);
        let toTownship = level === 2;
        if (overdue.escalations < 1) {
          const staff = await departmentStaffFor(tx, overdue.department, overdue.villagePath);
          const told = await tell(tx, staff, overdue, 1, departmentText, now);
          summary.departmentsReminded += told;
          if (told === 0) toTownship = true;
        }
        if (toTownship) {
          if ((await tell(tx, officers, overdue, 2, townshipText, now)) > 0) summary.townshipsTold += 1;
          else summary.unreachable += 1;
        }
      });
    }
  }
  logger.info({ job: JOB_NAME, ...summary }, 'overdue referrals escalated');
  return summary;
}

/** Hourly: a department's unanswered referral reminds it at the deadline, then tells the township. */
export const referralOverdueJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '15 * * * *',
  description: '转介部门超期未反馈：提醒该部门一次；超过两倍期限：报告乡镇民政工作人员一次',
  run: escalateOverdueReferrals,
};
