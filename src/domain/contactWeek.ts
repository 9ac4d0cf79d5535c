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
