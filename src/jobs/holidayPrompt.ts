import { keyed } from '../texts/keyedMessages';
import { isHolidayPromptDue, localDate, vacationsAround, type VacationKind } from '../domain/schoolCalendar';
import { awayParentAddressBatches } from '../store/contact/contactWeeks';
import { queueSealedPromptsOnce, sealPrompts, type Address, type SealedPrompt } from '../store/messaging/outbox';
import {
  CalendarResolver,
  datesOf,
  holidayQuestionsAskedBefore,
  recordHolidayQuestions,
  type HolidayQuestion,
  type ResolvedCalendar,
  type SchoolCalendarRow,
} from '../store/contact/schoolCalendars';
import { BATCH_TRANSACTION_TIMEOUT_MS } from './batches';
import type { Job, JobContext, JobSummary } from './job';
import { writingBehind } from './writingBehind';
import { VACATION_LABELS } from '../domain/labels';
import { inTransaction } from '../store/db/database';

export const HOLIDAY_PROMPT_JOB = 'holiday-prompt';

/** The outbox key of one holiday question: once per (parent, child, vacation), ever. */
export const holidayPromptKey = (parentId: number, childId: number, year: number, vacation: VacationKind): string =>
  `${HOLIDAY_PROMPT_JOB}:${parentId}:${childId}:${year}-${vacation}`;

interface DueQuestion extends HolidayQuestion {
  parentName: string;
  childName: string;
  /** The parent has several children: the answer must name one. */
  nameChild: boolean;
  resolved: ResolvedCalendar;
  to: Address;
}

/** One stored calendar row per area, year and vacation, however many children it covers. */
const calendarKey = (resolved: ResolvedCalendar): string =>
  resolved.kind === 'set' ? `set:${resolved.calendar.id}` : `default:${resolved.rootAreaId}:${resolved.year}:${resolved.vacation}`;

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
  // Whether a start date is due today, once per date: most villages keep the defaults.
  const dueOn = new Map<string, boolean>();
  /** Resolves the vacations due in the villages not seen yet, so that each child's are looked up without waiting. */
  const learnVacationsDueIn = async (areaIds: number[]) => {
    const unseen = [...new Set(areaIds)].filter((areaId) => !dueInArea.has(areaId));
    await resolver.prepare(unseen);
    for (const areaId of unseen) {
      const due = [];
      for (const { year, vacation } of candidates) {
        const resolved = await resolver.resolve(areaId, year, vacation);
        if (!resolved) continue;
        const { startsOn } = datesOf(resolved);
        if (!dueOn.has(startsOn)) dueOn.set(startsOn, isHolidayPromptDue(today, startsOn));
        if (dueOn.get(startsOn)) due.push({ year, vacation, resolved });
      }
      dueInArea.set(areaId, due);
    }
  };
  // The calendar rows plans point to, stored (a default) once a run rather than once a batch.
  const stored = new Map<string, SchoolCalendarRow>();

  /** Writes a batch's plans and sealed prompts in one transaction; its calendars are remembered once it committed. */
  const ask = async (fresh: DueQuestion[], sealing: Promise<SealedPrompt[]>) => {
    const prompts = await sealing;
    const calendars = await inTransaction(
      db,
      async (tx) => {
        const used = new Map(stored);
        const plans: Array<{ parentId: number; childId: number; calendarId: number }> = [];
        for (const question of fresh) {
          const key = calendarKey(question.resolved);
          let calendar = used.get(key);
          if (!calendar) {
            calendar = await resolver.materialize(tx, question.resolved);
            used.set(key, calendar);
          }
          plans.push({ parentId: question.parentId, childId: question.childId, calendarId: calendar.id });
        }
        await recordHolidayQuestions(tx, engine, plans, now);
        await queueSealedPromptsOnce(tx, engine, prompts, now);
        return used;
      },
      { timeout: BATCH_TRANSACTION_TIMEOUT_MS },
    );
    for (const [key, calendar] of calendars) stored.set(key, calendar);
    summary.asked += fresh.length;
  };

  // A batch is written while the next is read and checked; the transactions still run one at a
  // time, in order. The batches' parents differ, so a check never waits for the batch being written.
  await writingBehind(
    awayParentAddressBatches(db, now),
    async (parents) => {
      summary.parents += parents.length;
      // 暂停提醒 and 退订 pause every prompt, this question too (only safety alerts to staff never pause).
      const asking = parents.filter((parent) => !parent.paused);
      summary.paused += parents.length - asking.length;
      await learnVacationsDueIn(asking.flatMap((parent) => parent.children.map((child) => child.areaId)));
      const due: DueQuestion[] = [];
      for (const parent of asking) {
        for (const child of parent.children) {
          for (const { year, vacation, resolved } of dueInArea.get(child.areaId)!) {
            due.push({
              parentId: parent.id,
              parentName: parent.name,
              childId: child.id,
              childName: child.name,
              nameChild: parent.children.length > 1,
              resolved,
              year,
              vacation,
              to: parent.address,
              dedupeKey: holidayPromptKey(parent.id, child.id, year, vacation),
            });
          }
        }
      }
      summary.due += due.length;
      if (due.length === 0) return undefined;

      const askedBefore = await holidayQuestionsAskedBefore(db, engine, due);
      const fresh = due.filter((question) => !askedBefore.has(question.dedupeKey));
      summary.alreadyAsked += due.length - fresh.length;
      if (fresh.length === 0) return undefined;
      // Sealed on the keyring's thread while this one goes on: on SQLite the batch before holds
      // the one connection in its transaction, and this batch's check waits for it. The stored
      // calendar keeps the resolved dates, so the text is known before it is stored.
      const sealing = sealPrompts(
        db,
        fresh.map((question) => {
          const { startsOn, endsOn } = datesOf(question.resolved);
          const text = keyed.holidayPrompt(question.parentName, question.childName, VACATION_LABELS[question.vacation], startsOn, endsOn, question.nameChild);
          return { to: question.to, text, dedupeKey: question.dedupeKey };
        }),
      );
      // Awaited by the write; until then a failure must not count as unhandled (the service stops on one).
      sealing.catch(() => undefined);
      return () => ask(fresh, sealing);
    },
    { overlap: false },
  );

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
