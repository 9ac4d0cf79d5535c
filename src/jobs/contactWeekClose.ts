import { keyed } from '../texts/keyedMessages';
import { catalog } from '../texts/catalog';
import { closeWeek, streakAlert, type ClosedWeek, type StreakAlert } from '../domain/contactStreak';
import { contactWeekOf, inZone, previousContactWeek, type ContactWeek } from '../domain/contactWeek';
import {
  awayParentBatches,
  contactCountsForWeek,
  contactGapReportFor,
  directorsOfVillages,
  guardiansOfChildren,
  missedStreaksForWeek,
  pairKey,
  parentsPausedAt,
  recordContactGapReport,
  saveContactWeek,
  summarizeContactWeek,
  type AwayParent} from '../store/contact/contactWeeks';
import type { LinkedChild } from '../store/registry/linkedPeople';
import { inTransaction, type Tx } from '../store/db/database';
import { queueMessage, type Address, type Outgoing } from '../store/messaging/outbox';
import { fileReport } from '../usecases/fileReport';
import { BATCH_TRANSACTION_TIMEOUT_MS } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { freshestAddresses } from '../store/messaging/identities';

const JOB_NAME = 'contact-week-close';

interface Verdict {
  parent: AwayParent;
  child: LinkedChild;
  contactCount: number;
  closed: ClosedWeek;
  alert: StreakAlert | null;
}

/** The missed run as dates people read, e.g. 11月16日至11月29日, not week keys. */
function periodOf(week: ContactWeek, missedWeeks: number): string {
  const last = inZone(week.start, week.zone);
  const first = last.minus({ weeks: missedWeeks - 1 });
  return `${first.toFormat('M月d日')}至${last.plus({ days: 6 }).toFormat('M月d日')}`;
}

/**
 * Closes the contact week that ended before `now`: every (away parent, child) linked during that
 * week becomes a ContactWeek row, kept (at least one contact logged by the parent or confirmed by a
 * guardian), missed, or paused (the parent's prompts were paused when the week ended), with the run
 * of weeks without contact; then the week's verdicts are counted per village for the trend ledger. Two in a row tell the child's guardians and the
 * village directors; four in a row file a normal-severity 亲情联系缺失 report and tell the directors.
 * Re-running the same week rewrites the same rows and queues or files nothing twice.
 */
export async function closeContactWeek(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const week = previousContactWeek(contactWeekOf(now, timeZone));
  const before = previousContactWeek(week);
  const summary = { closed: 0, kept: 0, missed: 0, paused: 0, twoWeekAlerts: 0, reportsFiled: 0, notices: 0, unreachable: 0 };

  for await (const parents of awayParentBatches(db, { period: { start: week.start, end: week.end }, withChatIdentity: false })) {
    const parentIds = parents.map((parent) => parent.id);
    const counts = await contactCountsForWeek(db, week.key, parentIds);
    const streaks = await missedStreaksForWeek(db, before.key, parentIds);
    const paused = await parentsPausedAt(db, parentIds, week.end);
    const verdicts: Verdict[] = parents.flatMap((parent) =>
      parent.children.map((child) => {
        const contactCount = counts.get(pairKey(parent.id, child.id)) ?? 0;
        const closed = closeWeek(contactCount, streaks.get(pairKey(parent.id, child.id)), paused.has(parent.id));
        return { parent, child, contactCount, closed, alert: streakAlert(closed.missedStreak) };
      }),
    );

    // Reports alert through the filing path; the two-week notices go to the family and the directors from here.
    const twoWeeks = verdicts.filter((verdict) => verdict.alert === 'notify_family_and_director');
    const guardians = await guardiansOfChildren(
      db,
      twoWeeks.map((verdict) => verdict.child.id),
    );
    const directors = await directorsOfVillages(
      db,
      twoWeeks.map((verdict) => verdict.child.areaId),
    );
    const recipientIds = [...new Set([...guardians.values(), ...directors.values()].flat().map((person) => person.id))];
    const addresses = await freshestAddresses(db, recipientIds);

    await inTransaction(
      db,
      async (tx) => {
        const notify = async (personId: number, text: Outgoing, dedupeKey: string): Promise<void> => {
          const to: Address | undefined = addresses.get(personId);
          if (!to) {
            summary.unreachable += 1;
            return;
          }
          await queueMessage(tx, to, text, { now, dedupeKey });
          summary.notices += 1;
        };
        for (const verdict of verdicts) {
          const { parent, child, closed } = verdict;
          // the row is written first: on PostgreSQL its lock makes a concurrent close of the same week wait here
          const row = await saveContactWeek(tx, {
            parentId: parent.id,
            childId: child.id,
            weekKey: week.key,
            weekStart: week.start,
            contactCount: verdict.contactCount,
            verdict: closed,
            closedAt: now,
          });
          const keyPrefix = `${JOB_NAME}:${parent.id}:${child.id}:${week.key}`;
          const period = periodOf(week, closed.missedStreak);
          if (verdict.alert === 'notify_family_and_director') {
            summary.twoWeekAlerts += 1;
            for (const guardian of guardians.get(child.id) ?? []) {
              await notify(guardian.id, keyed.contactMissedForGuardian(guardian.name, parent.name, child.name, closed.missedStreak), `${keyPrefix}:missed:to${guardian.id}`);
            }
            for (const director of directors.get(child.areaId) ?? []) {
              await notify(director.id, keyed.contactMissedForDirector(parent.name, child.name, closed.missedStreak, period), `${keyPrefix}:missed:to${director.id}`);
            }
          } else if (verdict.alert === 'file_report' && !(await contactGapReportFor(tx, row.id))) {
            summary.notices += await fileContactGapReport(tx, context, verdict, row.id, period, keyPrefix);
            summary.reportsFiled += 1;
          }
        }
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
    );
    summary.closed += verdicts.length;
    summary.kept += verdicts.filter((verdict) => verdict.closed.status === 'kept').length;
    summary.missed += verdicts.filter((verdict) => verdict.closed.status === 'missed').length;
    summary.paused += verdicts.filter((verdict) => verdict.closed.status === 'paused').length;
  }
  // Last, so the summary counts every verdict of the week; until it is written the ledger counts them live.
  await summarizeContactWeek(db, week.key, now);

  logger.info({ job: JOB_NAME, week: week.key, ...summary }, 'contact week closed');
  return summary;
}

/**
 * Files the 亲情联系缺失 report through the one filing path (its alerts keyed by the week, so
 * nothing goes twice); returns how many were alerted.
 */
async function fileContactGapReport(tx: Tx, context: JobContext, verdict: Verdict, contactWeekId: number, period: string, keyPrefix: string): Promise<number> {
  const { parent, child, closed } = verdict;
  const report = await fileReport(
    tx,
    {
      child,
      type: 'contact_gap',
      severity: 'normal',
      description: catalog.contactGapReportDescription(parent.name, child.name, closed.missedStreak, period),
      source: 'system',
      reporter: null,
    },
    {
      now: context.now,
      timeZone: context.timeZone,
      dedupeKey: `${keyPrefix}:report`,
      staffAlert: (number) => keyed.contactGapForDirector(number, parent.name, child.name, closed.missedStreak),
    },
  );
  await recordContactGapReport(tx, contactWeekId, report, context.now);
  return report.alerted;
}

/** Monday morning: the verdict on last week's contact, and the alerts a run of missed weeks calls for. */
export const contactWeekCloseJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '0 9 * * 1',
  description: '每周一结算上周亲子联系：连续2周未联系通知监护人和儿童主任，连续4周自动通报“亲情联系缺失”',
  run: closeContactWeek,
};
