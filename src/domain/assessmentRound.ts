import { DateTime } from 'luxon';
import { DomainError } from './DomainError';
import { DEFAULT_TIME_ZONE, inZone } from './contactWeek';

/** Risk assessments run twice a year, in March and September (每年3月、9月). */
export const ROUND_MONTHS = [3, 9] as const;
export type RoundMonth = (typeof ROUND_MONTHS)[number];

/**
 * Reminders wait this many days after a round's list went out: with a round opening on a Monday
 * the 09:30 reminder would otherwise follow the 09:00 list by half an hour.
 */
export const REMINDER_GRACE_DAYS = 3;

/** One assessment round: key 'YYYY-03' or 'YYYY-09', assessed during its month (the window). */
export interface AssessmentRound {
  key: string;
  year: number;
  month: RoundMonth;
  /** The 1st of the round's month, 00:00 local. */
  start: Date;
  /** The 1st of the month after, 00:00 local: the window [start, windowEnd) is the round's month. */
  windowEnd: Date;
  zone: string;
}

const ROUND_KEY = /^(\d{4})-(03|09)$/;

function roundStarting(year: number, month: RoundMonth, zone: string): AssessmentRound {
  inZone(new Date(0), zone); // rejects an unknown zone
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone });
  return {
    key: `${year}-${String(month).padStart(2, '0')}`,
    year,
    month,
    start: first.toJSDate(),
    windowEnd: first.plus({ months: 1 }).toJSDate(),
    zone,
  };
}

/**
 * The round an instant belongs to: March–August → the March round of that year, September–December
 * → the September round of that year, January–February → the September round of the year before.
 * An assessment recorded late (say in May) still counts for the round it was due in.
 */
export function assessmentRoundOf(instant: Date, zone: string = DEFAULT_TIME_ZONE): AssessmentRound {
  const local = inZone(instant, zone);
  if (local.month >= 3 && local.month <= 8) return roundStarting(local.year, 3, zone);
  if (local.month >= 9) return roundStarting(local.year, 9, zone);
  return roundStarting(local.year - 1, 9, zone);
}

export function assessmentRoundByKey(key: string, zone: string = DEFAULT_TIME_ZONE): AssessmentRound {
  const match = ROUND_KEY.exec(key);
  if (!match) throw new DomainError('bad_round_key', `malformed assessment round: ${key}`);
  return roundStarting(Number(match[1]), Number(match[2]) as RoundMonth, zone);
}

/** Whether the instant lies in the round's month (when lists, reminders and the close happen). */
export function isInRoundWindow(instant: Date, round: AssessmentRound): boolean {
  const time = instant.getTime();
  return time >= round.start.getTime() && time < round.windowEnd.getTime();
}

/** Whether the weekly reminder should act: inside the window and past the grace days after the list. */
export function isReminderDue(instant: Date, round: AssessmentRound): boolean {
  if (!isInRoundWindow(instant, round)) return false;
  return inZone(instant, round.zone).day > REMINDER_GRACE_DAYS;
}

/**
 * Whether the instant falls on the last day of the round's month (local): cron cannot say "last
 * day of the month", so the close job is scheduled daily in March and September and acts only then.
 */
export function isRoundClosingDay(instant: Date, round: AssessmentRound): boolean {
  if (!isInRoundWindow(instant, round)) return false;
  const local = inZone(instant, round.zone);
  return local.day === local.daysInMonth;
}

/** The round as people say it: 2026年3月. */
export function roundLabel(round: AssessmentRound): string {
  return `${round.year}年${round.month}月`;
}
