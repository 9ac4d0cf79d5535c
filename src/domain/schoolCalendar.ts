import { DateTime } from 'luxon';
import { z } from 'zod';
import { DomainError } from './DomainError';

/** School vacations (寒暑假). A vacation's year is the year it is in: winter 2027 is January–February 2027. */
export const VACATIONS = ['winter', 'summer'] as const;
export type VacationKind = (typeof VACATIONS)[number];

/**
 * Vacation dates used where no area on a child's path (village → township → district → city) has
 * set a school calendar for that year: month-day of the first and last day, in the vacation's year.
 */
export const DEFAULT_VACATION_DATES: Readonly<Record<VacationKind, { from: string; to: string }>> = {
  winter: { from: '01-20', to: '02-20' },
  summer: { from: '07-10', to: '08-31' },
};

/** Parents are asked this many days before a vacation starts (and, after a missed run, on any later day before it). */
export const HOLIDAY_PROMPT_LEAD_DAYS = 14;

/** The dates of one vacation, as calendar dates YYYY-MM-DD (no time zone games). */
export interface VacationDates {
  startsOn: string;
  endsOn: string;
}

/** A calendar set for an area, as stored. */
export interface AreaCalendar extends VacationDates {
  areaId: number;
  year: number;
  vacation: VacationKind;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(year: number, month: number, day: number): boolean {
  return DateTime.fromObject({ year, month, day }, { zone: 'UTC' }).isValid;
}

/** A real calendar date written YYYY-MM-DD. */
export const calendarDateSchema = z
  .string()
  .trim()
  .regex(ISO_DATE, 'is not a date of the form YYYY-MM-DD')
  .refine((value) => {
    const match = ISO_DATE.exec(value);
    // zod runs every check: a value the regex rejected is reported by the regex alone
    return !match || isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
  }, 'is not a real calendar date');

export const vacationYearSchema = z.coerce.number().int().min(2000).max(2100);

/** The default dates of a vacation in a year (DEFAULT_VACATION_DATES). */
export function defaultVacationDates(year: number, vacation: VacationKind): VacationDates {
  const dates = DEFAULT_VACATION_DATES[vacation];
  return { startsOn: `${year}-${dates.from}`, endsOn: `${year}-${dates.to}` };
}

/**
 * Checks a calendar someone sets: real dates, first day not after the last, and the vacation in
 * its year (a winter vacation may start in the December before).
 */
export function validateVacationDates(year: number, vacation: VacationKind, dates: VacationDates): void {
  for (const date of [dates.startsOn, dates.endsOn]) {
    if (!calendarDateSchema.safeParse(date).success) throw new DomainError('bad_calendar_date', `not a date: ${date}`);
  }
  if (dates.startsOn > dates.endsOn) throw new DomainError('calendar_ends_before_start', `the vacation ends (${dates.endsOn}) before it starts (${dates.startsOn})`);
  const startYear = Number(dates.startsOn.slice(0, 4));
  const decemberBefore = vacation === 'winter' && startYear === year - 1 && dates.startsOn.slice(5, 7) === '12';
  if (startYear !== year && !decemberBefore) {
    throw new DomainError('calendar_wrong_year', `a ${year} ${vacation} vacation cannot start on ${dates.startsOn}`);
  }
}

/**
 * The calendar that applies to a place: the one set by the nearest area on its path that has one
 * for that year and vacation, or null when none has (then the defaults apply).
 * @param areaIdsNearestFirst the village, then its township, district, city
 */
export function applicableCalendar<T extends Pick<AreaCalendar, 'areaId' | 'year' | 'vacation'>>(
  areaIdsNearestFirst: readonly number[],
  calendars: readonly T[],
  year: number,
  vacation: VacationKind,
): T | null {
  for (const areaId of areaIdsNearestFirst) {
    const found = calendars.find((calendar) => calendar.areaId === areaId && calendar.year === year && calendar.vacation === vacation);
    if (found) return found;
  }
  return null;
}

/** Area codes of a materialized path, nearest first: '/420100/420102/' → ['420102', '420100']. */
export function areaCodesNearestFirst(path: string): string[] {
  return path.split('/').filter(Boolean).reverse();
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = DateTime.fromISO(from, { zone: 'UTC' });
  const b = DateTime.fromISO(to, { zone: 'UTC' });
  if (!a.isValid || !b.isValid) throw new DomainError('bad_calendar_date', `not a date: ${a.isValid ? to : from}`);
  return Math.round(b.diff(a, 'days').days);
}

/** The calendar date of an instant in a zone, YYYY-MM-DD. */
export function localDate(instant: Date, zone: string): string {
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) throw new DomainError('bad_instant', 'invalid date or time zone');
  return local.toISODate();
}

/** Whether parents should be asked today: the vacation starts within the lead days, and not today or earlier. */
export function isHolidayPromptDue(today: string, startsOn: string, leadDays = HOLIDAY_PROMPT_LEAD_DAYS): boolean {
  const days = daysBetween(today, startsOn);
  return days > 0 && days <= leadDays;
}

/** The (year, vacation) pairs that could start soon after `today`: this year's and next year's. */
export function vacationsAround(today: string): Array<{ year: number; vacation: VacationKind }> {
  const year = Number(today.slice(0, 4));
  return [year, year + 1].flatMap((y) => VACATIONS.map((vacation) => ({ year: y, vacation })));
}

const FULL_DATE = /^(\d{4})(?:年|-|\/|\.)(\d{1,2})(?:月|-|\/|\.)(\d{1,2})(?:日|号)?$/;
const MONTH_DAY = /^(\d{1,2})(?:月|-|\/|\.)(\d{1,2})(?:日|号)?$/;

const parsedDate = z.object({
  year: z.number().int().min(2000).max(2100).optional(),
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});

/** A date without a year is read within about half a year of the vacation. */
export const MAX_DAYS_FROM_VACATION = 200;

const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/**
 * A date a parent writes: `2027-01-25`, `2027年1月25日`, `1月25日`, `1月25号`, `1-25`, `1/25`.
 * Without a year, the year is the one that puts the date nearest the vacation's start: the
 * vacation's year, except that `12月28日` for a winter vacation starting in January is the
 * December before it. Null when it is not a real date (2月29日 in a year without one, 13-01).
 */
export function parseHolidayDate(text: string, vacationStartsOn: string): string | null {
  const trimmed = text.trim();
  const full = FULL_DATE.exec(trimmed);
  const short = full ? null : MONTH_DAY.exec(trimmed);
  const fields = full
    ? { year: Number(full[1]), month: Number(full[2]), day: Number(full[3]) }
    : short
      ? { month: Number(short[1]), day: Number(short[2]) }
      : null;
  const parsed = parsedDate.safeParse(fields);
  if (!parsed.success) return null;
  const { month, day } = parsed.data;
  if (parsed.data.year !== undefined) return isRealDate(parsed.data.year, month, day) ? iso(parsed.data.year, month, day) : null;

  const vacationYear = Number(vacationStartsOn.slice(0, 4));
  const candidates = [vacationYear, vacationYear - 1, vacationYear + 1]
    .filter((year) => isRealDate(year, month, day))
    .map((year) => iso(year, month, day))
    .filter((date) => Math.abs(daysBetween(vacationStartsOn, date)) <= MAX_DAYS_FROM_VACATION);
  if (candidates.length === 0) return null;
  // the vacation's year wins ties: it comes first
  return candidates.reduce((best, candidate) =>
    Math.abs(daysBetween(vacationStartsOn, candidate)) < Math.abs(daysBetween(vacationStartsOn, best)) ? candidate : best,
  );
}

/**
 * The start of the vacation a parent is answering about when no calendar is at hand: the first
 * default vacation not over yet on `today`.
 */
export function comingVacationStart(today: string): string {
  const coming = vacationsAround(today)
    .map(({ year, vacation }) => defaultVacationDates(year, vacation))
    .filter((dates) => dates.endsOn >= today)
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  return coming[0]!.startsOn;
}

/**
 * A bare day of the month in a holiday answer (`28号我来接`): that day in the month that puts it
 * nearest the vacation's start, as `parseHolidayDate` reads a month and day, and not before today.
 */
export function holidayDayOfMonth(day: number, vacationStartsOn: string, today: string): string | null {
  // plain UTC dates: this runs on every free-text holiday answer, and luxon costs half a millisecond here
  const [year, month] = vacationStartsOn.split('-').map(Number) as [number, number];
  const start = Date.parse(vacationStartsOn);
  const candidates = [-1, 0, 1]
    .map((shift) => new Date(Date.UTC(year, month - 1 + shift, day)))
    .filter((date) => date.getUTCDate() === day)
    .map((date) => date.toISOString().slice(0, 10))
    .filter((date) => date >= today);
  if (candidates.length === 0) return null;
  // the earlier candidate wins ties
  return candidates.reduce((best, candidate) => (Math.abs(Date.parse(candidate) - start) < Math.abs(Date.parse(best) - start) ? candidate : best));
}

/** Whether a message token is meant as a date (so it is not taken for a child's name or number). */
export function looksLikeDate(token: string): boolean {
  return /\d/.test(token) && (/[年月日号\-/.]/.test(token) || /^\d{3,}$/.test(token));
}
