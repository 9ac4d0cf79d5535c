import { inZone } from './contactWeek';

/**
 * Teacher check-ins (定期交流沟通) run every other week. A cron expression cannot say "every other
 * week", so the job is scheduled weekly and does its work only in ISO weeks whose number has this
 * parity (0: even weeks, W02, W04, …). A year with 53 ISO weeks puts two odd weeks (W53, W01) in a
 * row, so once in such a year the gap is three weeks instead of two.
 */
export const CHECK_IN_WEEK_PARITY = 0;

/** An unanswered check-in is reminded this long after the prompt (once). */
export const CHECK_IN_REMINDER_DELAY_HOURS = 48;

export type CheckInAnswer = 'normal' | 'concern' | 'urgent';

/** Whether `now` falls in a check-in week, in the given zone. */
export function isCheckInWeek(now: Date, timeZone: string): boolean {
  return inZone(now, timeZone).weekNumber % 2 === CHECK_IN_WEEK_PARITY;
}

/** The round a run at `now` opens: its local calendar date, e.g. 2026-11-25. */
export function checkInRoundOf(now: Date, timeZone: string): string {
  return inZone(now, timeZone).toFormat('yyyy-MM-dd');
}

/** The first and last local dates (YYYY-MM-DD) of the ISO week `now` falls in: rounds of that week sort between them. */
export function checkInWeekDates(now: Date, timeZone: string): { first: string; last: string } {
  const monday = inZone(now, timeZone).startOf('week');
  return { first: monday.toFormat('yyyy-MM-dd'), last: monday.plus({ days: 6 }).toFormat('yyyy-MM-dd') };
}

/** The latest prompt time that is due for a reminder at `now`. */
export function reminderCutoff(now: Date): Date {
  return new Date(now.getTime() - CHECK_IN_REMINDER_DELAY_HOURS * 3_600_000);
}
