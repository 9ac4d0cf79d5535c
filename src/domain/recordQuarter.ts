import { DateTime } from 'luxon';
import { DomainError } from './DomainError';
import { DEFAULT_TIME_ZONE, inZone } from './contactWeek';

/** A calendar quarter in a time zone: records are refreshed once in each (每季度更新一次). */
export interface RecordQuarter {
  /** e.g. '2026-Q4' */
  key: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** The quarter's first day, 00:00 local. */
  start: Date;
  /** The next quarter's first day, 00:00 local (exclusive). */
  end: Date;
  zone: string;
}

const QUARTER_KEY = /^(\d{4})-Q([1-4])$/;

function quarterStarting(year: number, quarter: RecordQuarter['quarter'], zone: string): RecordQuarter {
  inZone(new Date(0), zone); // rejects an unknown zone
  const first = DateTime.fromObject({ year, month: (quarter - 1) * 3 + 1, day: 1 }, { zone });
  return { key: `${year}-Q${quarter}`, year, quarter, start: first.toJSDate(), end: first.plus({ months: 3 }).toJSDate(), zone };
}

export function recordQuarterOf(instant: Date, zone: string = DEFAULT_TIME_ZONE): RecordQuarter {
  const local = inZone(instant, zone);
  return quarterStarting(local.year, Math.ceil(local.month / 3) as RecordQuarter['quarter'], zone);
}

export function previousRecordQuarter(quarter: RecordQuarter): RecordQuarter {
  return recordQuarterOf(new Date(quarter.start.getTime() - 1), quarter.zone);
}

export function nextRecordQuarter(quarter: RecordQuarter): RecordQuarter {
  return recordQuarterOf(quarter.end, quarter.zone);
}

export function recordQuarterByKey(key: string, zone: string = DEFAULT_TIME_ZONE): RecordQuarter {
  const match = QUARTER_KEY.exec(key);
  if (!match) throw new DomainError('bad_quarter_key', `malformed quarter: ${key}`);
  return quarterStarting(Number(match[1]), Number(match[2]) as RecordQuarter['quarter'], zone);
}

/** The quarter as people say it: 2026年第4季度. */
export function quarterLabel(quarter: RecordQuarter): string {
  return `${quarter.year}年第${quarter.quarter}季度`;
}
