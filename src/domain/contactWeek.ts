import { DateTime, Info } from 'luxon';
import { DomainError } from './DomainError';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** An ISO week (Monday 00:00 to the next Monday 00:00, exclusive) in a given time zone. */
export interface ContactWeek {
  /** ISO week key, e.g. '2026-W48'; the year is the ISO week-year, not the calendar year. */
  key: string;
  start: Date;
  end: Date;
  /** The zone the week was computed in, so neighbouring weeks stay in the same zone. */
  zone: string;
}

const WEEK_KEY = /^(\d{4})-W(\d{2})$/;

function weekStarting(monday: DateTime, zone: string): ContactWeek {
  return {
    key: `${monday.weekYear}-W${String(monday.weekNumber).padStart(2, '0')}`,
    start: monday.toJSDate(),
    end: monday.plus({ weeks: 1 }).toJSDate(),
    zone,
  };
}

function assertTimeZone(zone: string): void {
  if (!Info.normalizeZone(zone).isValid) throw new DomainError('bad_time_zone', `unsupported time zone: ${zone}`);
}

/**
 * The local calendar date (YYYY-MM-DD) of instants in a zone, as inZone(instant, zone).toISODate()
 * gives it, for a column of a bulk export: one formatter for every row costs a sixth of a luxon
 * DateTime a row (100,000 rows: 0.18 against 1.0 s of CPU, BENCHMARKS.md "Bulk memory").
 */
export function localDateIn(zone: string): (instant: Date) => string {
  assertTimeZone(zone);
  // sv-SE writes dates as ISO does; the export's watermark relies on it too.
  const format = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (instant) => format.format(instant);
}

/** The wall-clock view of an instant in a zone; rejects invalid dates and unknown zones. */
export function inZone(instant: Date, zone: string = DEFAULT_TIME_ZONE): DateTime<true> {
  assertTimeZone(zone);
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) throw new DomainError('bad_instant', 'invalid date');
  return local;
}

/**
 * The last week computed per zone: every message asks for the current week, and luxon's zone math
 * showed at 2–3% of an inbound message's CPU (issue 17). An instant inside it is in that week.
 */
const lastWeekIn = new Map<string, ContactWeek>();

export function contactWeekOf(instant: Date, zone: string = DEFAULT_TIME_ZONE): ContactWeek {
  const at = instant.getTime();
  let week = lastWeekIn.get(zone);
  if (!week || !(at >= week.start.getTime() && at < week.end.getTime())) {
    week = weekStarting(inZone(instant, zone).startOf('week'), zone);
    lastWeekIn.set(zone, week);
  }
  return { key: week.key, start: new Date(week.start), end: new Date(week.end), zone };
}

export function previousContactWeek(week: ContactWeek): ContactWeek {
  return contactWeekOf(new Date(week.start.getTime() - 1), week.zone);
}

export function nextContactWeek(week: ContactWeek): ContactWeek {
  return contactWeekOf(week.end, week.zone);
}

export function contactWeekByKey(key: string, zone: string = DEFAULT_TIME_ZONE): ContactWeek {
  const match = WEEK_KEY.exec(key);
  if (!match) throw new DomainError('bad_week_key', `malformed week key: ${key}`);
  assertTimeZone(zone);
  const monday = DateTime.fromObject(
    { weekYear: Number(match[1]), weekNumber: Number(match[2]), weekday: 1 },
    { zone },
  );
  // luxon rejects W00 and W53 in a 52-week year
  if (!monday.isValid) throw new DomainError('bad_week_key', `no such week: ${key}`);
  return weekStarting(monday, zone);
}
