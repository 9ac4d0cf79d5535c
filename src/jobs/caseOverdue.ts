import { keyed } from '../texts/keyedMessages';
import { DateTime } from 'luxon';
import { overdueLevel } from '../domain/caseWorkflow';
import { markCaseEscalated, overdueCases, peopleOfArea, type OverdueCase } from '../store/cases/cases';
import { inTransaction, type Tx } from '../store/db/database';
import { queueToPerson, type Outgoing } from '../store/messaging/outbox';
import type { Job, JobContext, JobSummary } from './job';
import { CASE_STATE_LABELS, REPORT_TYPE_LABELS, SEVERITY_LABELS } from '../domain/labels';

const JOB_NAME = 'case-overdue';
const BATCH = 200;

/** One key per case, step (state and when it began), level and recipient: a re-run queues nothing twice. */
const keyOf = (overdue: OverdueCase, level: 1 | 2, personId: number) =>
  `${JOB_NAME}:${overdue.id}:${overdue.state}:${overdue.stateSince.getTime()}:${level}:${personId}`;

async function tell(tx: Tx, people: number[], overdue: OverdueCase, level: 1 | 2, text: Outgoing, now: Date): Promise<number> {
  let told = 0;
  // Urgent cases do not wait out quiet hours: a child may be in danger.
  for (const personId of people) if (await queueToPerson(tx, personId, text, { now, dedupeKey: keyOf(overdue, level, personId), urgent: overdue.severity === 'urgent' })) told += 1;
  return told;
}

/**
 * Reminds the village's directors once when an open case's step is past its deadline (escalation
 * 1), and tells the officers of the township above once when it is overdue by twice its deadline
 * (escalation 2). A village whose directors cannot be reached is reported to the township at once.
 * Moving the case resets its escalations (src/store/cases/cases.ts), so the next step starts afresh.
 */
export async function escalateOverdueCases(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const summary = { overdue: 0, directorsReminded: 0, townshipsTold: 0, unreachable: 0 };
  const time = (date: Date) => DateTime.fromJSDate(date, { zone: timeZone }).toFormat('M月d日 HH:mm');

  for (let afterId = 0; ; ) {
    const batch = await overdueCases(db, now, afterId, BATCH);
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1]!.id;
    for (const overdue of batch) {
      const level = overdueLevel(overdue, now);
      if (level === 0 || level <= overdue.escalations) continue;
      summary.overdue += 1;
      const type = REPORT_TYPE_LABELS[overdue.type];
      const severity = SEVERITY_LABELS[overdue.severity];
      const state = CASE_STATE_LABELS[overdue.state];
      const townshipText = keyed.caseOverdueForTownship(overdue.number, overdue.villageName, overdue.childName, type, severity, state, time(overdue.dueAt));
      await inTransaction(db, async (tx) => {
        if (!(await markCaseEscalated(tx, overdue, level, now))) return;
        const officers = overdue.townshipId === null ? [] : await peopleOfArea(tx, overdue.townshipId, 'officer');
        if (overdue.escalations < 1) {
          const directors = await peopleOfArea(tx, overdue.villageId, 'director');
          const text = keyed.caseOverdueForDirector(overdue.number, overdue.childName, type, severity, state, time(overdue.dueAt));
          const told = await tell(tx, directors, overdue, 1, text, now);
          summary.directorsReminded += told;
          // Nobody in the village can be reached: the township hears now, not only at twice the deadline.
          if (told === 0 && level === 1) {
            if ((await tell(tx, officers, overdue, 1, townshipText, now)) > 0) summary.townshipsTold += 1;
            else summary.unreachable += 1;
          }
        }
        if (level === 2) {
          if ((await tell(tx, officers, overdue, 2, townshipText, now)) > 0) summary.townshipsTold += 1;
          else summary.unreachable += 1;
        }
      });
    }
  }

  logger.info({ job: JOB_NAME, ...summary }, 'overdue cases escalated');
  return summary;
}

/** Hourly: overdue case steps remind the village director, and at twice the deadline the township. */
export const caseOverdueJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '5 * * * *',
  description: '个案某一步超过期限：提醒村儿童主任一次；超过两倍期限：报告乡镇工作人员一次',
  run: escalateOverdueCases,
};
