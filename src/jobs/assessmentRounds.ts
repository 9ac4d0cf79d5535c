import { keyed } from '../texts/keyedMessages';
import { contactWeekOf } from '../domain/contactWeek';
import { assessmentRoundOf, isInRoundWindow, isReminderDue, isRoundClosingDay, roundLabel, type AssessmentRound } from '../domain/assessmentRound';
import { villagesOfTownships } from '../store/registry/areas';
import { countUnassessedEverywhere, unassessedChildrenByVillage } from '../store/cases/assessments';
import { directorsOfVillages } from '../store/contact/contactWeeks';
import type { KeyedText } from '../store/messaging/outbox';
import { groupBy, peopleWithChatBatches } from '../store/registry/villageDirectors';
import { MAX_NAMES_IN_LIST, queueFresh, type Pending } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { freshestAddresses } from '../store/messaging/identities';

/**
 * Sends each village director with a bound chat the names of the village's children still without an
 * assessment in the round (none: no message), in batches of directors.
 */
async function listForDirectors(
  context: JobContext,
  round: AssessmentRound,
  job: string,
  text: (round: string, names: string[], total: number) => KeyedText,
  dedupeKey: (directorId: number) => string,
): Promise<JobSummary> {
  const summary = { directors: 0, prompted: 0, childrenListed: 0, alreadyQueued: 0 };
  for await (const directors of peopleWithChatBatches(context.db, { role: 'director' })) {
    summary.directors += directors.length;
    const unassessed = await unassessedChildrenByVillage(
      context.db,
      directors.map((director) => director.areaId),
      round.key,
    );
    const waiting = directors.filter((director) => unassessed.has(director.areaId));
    const addresses = await freshestAddresses(
      context.db,
      waiting.map((director) => director.id),
    );
    const messages: Pending[] = [];
    for (const director of waiting) {
      const children = unassessed.get(director.areaId)!;
      const to = addresses.get(director.id);
      if (!to) continue;
      summary.childrenListed += children.length;
      const names = children.slice(0, MAX_NAMES_IN_LIST).map((child) => child.name);
      messages.push({ to, text: text(roundLabel(round), names, children.length), dedupeKey: dedupeKey(director.id) });
    }
    const { queued, alreadyQueued } = await queueFresh(context, messages);
    summary.prompted += queued;
    summary.alreadyQueued += alreadyQueued;
  }
  context.logger.info({ job, round: round.key, ...summary }, 'assessment round lists queued');
  return summary;
}

/** 1 March and 1 September: each director gets the children of the village to assess this round. */
export const assessmentRoundStartJob: Job = {
  name: 'assessment-round-start',
  defaultSchedule: '0 9 1 3,9 *',
  description: '每年3月、9月1日：把本轮需要风险评估的孩子名单发给各村儿童主任',
  async run(context) {
    const round = assessmentRoundOf(context.now, context.timeZone);
    if (!isInRoundWindow(context.now, round)) return { outsideRound: 1 };
    return listForDirectors(context, round, 'assessment-round-start', keyed.assessmentRoundStart, (id) => `assessment-round-start:${id}:${round.key}`);
  },
};

/**
 * Mondays in March and September: directors with children still unassessed get the remaining names.
 * Not in the first REMINDER_GRACE_DAYS of the month, so a round opening on a Monday is not reminded
 * half an hour after its list.
 */
export const assessmentRoundReminderJob: Job = {
  name: 'assessment-round-reminder',
  defaultSchedule: '30 9 * 3,9 1',
  description: '3月、9月每周一：提醒还有孩子未完成风险评估的儿童主任',
  async run(context) {
    const round = assessmentRoundOf(context.now, context.timeZone);
    if (!isReminderDue(context.now, round)) return { outsideRound: 1 };
    const week = contactWeekOf(context.now, context.timeZone).key;
    return listForDirectors(
      context,
      round,
      'assessment-round-reminder',
      keyed.assessmentRoundReminder,
      (id) => `assessment-round-reminder:${id}:${round.key}:${week}`,
    );
  },
};

/**
 * The last day of March and September: the children still unassessed go to the township officers
 * (officers whose area is the village's township), one list per township naming each village and its
 * directors. Cron cannot say "last day of the month", so the default schedule fires every day of
 * the round's month at 20:00 and the job acts only on the month's last day in the configured zone.
 */
export async function closeAssessmentRound(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const round = assessmentRoundOf(now, timeZone);
  if (!isRoundClosingDay(now, round)) return { notClosingDay: 1 };
  const summary = { officers: 0, townships: 0, prompted: 0, childrenListed: 0, alreadyQueued: 0, unassessed: 0 };
  summary.unassessed = await countUnassessedEverywhere(db, round.key);

  for await (const officers of peopleWithChatBatches(db, { role: 'officer', areaLevel: 'township' })) {
    summary.officers += officers.length;
    const townshipIds = [...new Set(officers.map((officer) => officer.areaId))];
    const villages = await villagesOfTownships(db, townshipIds);
    const unassessed = await unassessedChildrenByVillage(
      db,
      villages.map((village) => village.id),
      round.key,
    );
    const directors = await directorsOfVillages(db, [...unassessed.keys()]);
    const villagesByTownship = groupBy(
      villages.filter((village) => unassessed.has(village.id)),
      (village) => village.parentId!,
    );
    const addresses = await freshestAddresses(
      db,
      officers.map((officer) => officer.id),
    );
    const messages: Pending[] = [];
    for (const officer of officers) {
      const list = villagesByTownship.get(officer.areaId);
      const to = addresses.get(officer.id);
      if (!list || !to) continue;
      const entries = list.map((village) => {
        const children = unassessed.get(village.id)!;
        return {
          village: village.name,
          directors: (directors.get(village.id) ?? []).map((director) => director.name),
          names: children.slice(0, MAX_NAMES_IN_LIST).map((child) => child.name),
          total: children.length,
        };
      });
      const total = entries.reduce((sum, entry) => sum + entry.total, 0);
      summary.childrenListed += total;
      messages.push({ to, text: keyed.assessmentRoundOverdue(roundLabel(round), entries, total), dedupeKey: `assessment-round-close:${officer.id}:${round.key}` });
    }
    summary.townships += villagesByTownship.size;
    const { queued, alreadyQueued } = await queueFresh(context, messages);
    summary.prompted += queued;
    summary.alreadyQueued += alreadyQueued;
  }
  logger.info({ job: 'assessment-round-close', round: round.key, ...summary }, 'unfinished assessments sent to township officers');
  return summary;
}

export const assessmentRoundCloseJob: Job = {
  name: 'assessment-round-close',
  defaultSchedule: '0 20 * 3,9 *',
  description: '3月、9月最后一天20:00：把未完成风险评估的孩子名单按乡镇报给乡镇工作人员（每天触发，只在月末最后一天执行）',
  run: closeAssessmentRound,
};
