import { keyed } from '../texts/keyedMessages';
import { isHolidayPromptDue, localDate, vacationsAround, type VacationKind } from '../domain/schoolCalendar';
import { awayParentAddressBatches, usedDedupeKeys } from '../store/contact/contactWeeks';
import { queuePromptsOnce, type Address, type Prompt } from '../store/messaging/outbox';
import { CalendarResolver, datesOf, holidayPlansOfParents, recordHolidayQuestions, type ResolvedCalendar, type SchoolCalendarRow } from '../store/contact/schoolCalendars';
import { BATCH_TRANSACTION_TIMEOUT_MS } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { VACATION_LABELS } from '../domain/labels';
import { inTransaction } from '../store/db/database';
import { pausedAmong } from '../store/privacy/privacy';

export const HOLIDAY_PROMPT_JOB = 'holiday-prompt';

/** The outbox key of one holiday question: once per (parent, child, vacation), ever. */
export const holidayPromptKey = (parentId: number, childId: number, year: number, vacation: VacationKind): string =>
  `${HOLIDAY_PROMPT_JOB}:${parentId}:${childId}:${year}-${vacation}`;

interface DueQuestion {
  parentId: number;
  parentName: string;
  childId: number;
  childName: string;
  /** The parent has several children: the answer must name one. */
  nameChild: boolean;
  resolved: ResolvedCalendar;
  year: number;
  vacation: VacationKind;
  to: Address;
  dedupeKey: string;
}

/**
 * Asks every away parent with a bound chat, per child, whether they will come home for the
 * child's next vacation or take the child to them, once the vacation (by the calendar of the
 * child's village, or the nearest area above it, or the defaults) starts within 14 days. A missed
 * daily run is made up the next day. A batch's questions write their HolidayPlan rows (askedAt) and
 * prompts in one transaction, a thousand rows a statement; a plan for that (parent, child, year, vacation) or a used
 * dedupe key means it was asked already, so re-runs and resumed runs ask nobody twice.
 */
export async function promptHolidayPlans(context: JobContext): Promise<JobSummary> {
  const { db, engine, now, timeZone, logger } = context;
  const today = localDate(now, timeZone);
  const candidates = vacationsAround(today);
  const resolver = new CalendarResolver(db, [...new Set(candidates.map((c) => c.year))]);
  const summary = { parents: 0, due: 0, asked: 0, alreadyAsked: 0, paused: 0 };
  // The vacations due today, resolved once per area: a city has a thousand villages and 140,000 children.
  const dueInArea = new Map<number, Array<{ year: number; vacation: VacationKind; resolved: ResolvedCalendar }>>();
  const vacationsDueIn = async (areaId: number) => {
    let due = dueInArea.get(areaId);
    if (!due) {
      due = [];
      for (const { year, vacation } of candidates) {
        const resolved = await resolver.resolve(areaId, year, vacation);
        if (resolved && isHolidayPromptDue(today, datesOf(resolved).startsOn)) due.push({ year, vacation, resolved });
      }
      dueInArea.set(areaId, due);
    }
    return due;
  };

  for await (const parents of awayParentAddressBatches(db)) {
    summary.parents += parents.length;
    // 暂停提醒 and 退订 pause every prompt, this question too (only safety alerts to staff never pause).
    const paused = await pausedAmong(
      db,
      parents.map((parent) => parent.id),
      now,
    );
    summary.paused += paused.size;
    const due: DueQuestion[] = [];
    for (const parent of parents) {
      const to = parent.address;
      if (paused.has(parent.id)) continue;
      for (const child of parent.children) {
        for (const { year, vacation, resolved } of await vacationsDueIn(child.areaId)) {
          due.push({
            parentId: parent.id,
            parentName: parent.name,
            childId: child.id,
            childName: child.name,
            nameChild: parent.children.length > 1,
            resolved,
            year,
            vacation,
            to,
            dedupeKey: holidayPromptKey(parent.id, child.id, year, vacation),
          });
        }
      }
    }
    summary.due += due.length;
    if (due.length === 0) continue;

    const [used, planned] = await Promise.all([
      usedDedupeKeys(
        db,
        due.map((question) => question.dedupeKey),
      ),
      holidayPlansOfParents(
        db,
        [...new Set(due.map((q) => q.parentId))],
        [...new Set(due.map((q) => q.year))],
      ),
    ]);
    const askedBefore = new Set(planned.map((plan) => holidayPromptKey(plan.parentId, plan.childId, plan.calendar.year, plan.calendar.vacation)));
    const fresh = due.filter((question) => !used.has(question.dedupeKey) && !askedBefore.has(question.dedupeKey));
    summary.alreadyAsked += due.length - fresh.length;
    if (fresh.length === 0) continue;

    await inTransaction(
      db,
      async (tx) => {
        // One calendar row per area, year and vacation, however many children it covers.
        const calendars = new Map<string, SchoolCalendarRow>();
        const plans: Array<{ parentId: number; childId: number; calendarId: number }> = [];
        const prompts: Prompt[] = [];
        for (const question of fresh) {
          const { resolved } = question;
          const key = resolved.kind === 'set' ? `set:${resolved.calendar.id}` : `default:${resolved.rootAreaId}:${resolved.year}:${resolved.vacation}`;
          let calendar = calendars.get(key);
          if (!calendar) {
            calendar = await resolver.materialize(tx, resolved);
            calendars.set(key, calendar);
          }
          plans.push({ parentId: question.parentId, childId: question.childId, calendarId: calendar.id });
          const text = keyed.holidayPrompt(question.parentName, question.childName, VACATION_LABELS[question.vacation], calendar.startsOn, calendar.endsOn, question.nameChild);
          prompts.push({ to: question.to, text, dedupeKey: question.dedupeKey });
        }
        await recordHolidayQuestions(tx, engine, plans, now);
        await queuePromptsOnce(tx, engine, prompts, now);
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
    );
    summary.asked += fresh.length;
  }

  logger.info({ job: HOLIDAY_PROMPT_JOB, today, ...summary }, 'holiday plan prompts queued');
  return summary;
}

/** Daily: 14 days before a winter or summer vacation, away parents are asked about their holiday plans. */
export const holidayPromptJob: Job = {
  name: HOLIDAY_PROMPT_JOB,
  defaultSchedule: '0 10 * * *',
  description: '寒暑假开始前14天询问外出务工家长：回家、接孩子还是不能（每个孩子每个假期只问一次）',
  run: promptHolidayPlans,
};
