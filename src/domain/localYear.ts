import { DateTime } from 'luxon';

/** The last year met per zone, as epoch milliseconds [start, end): an instant inside it is in that year. */
const lastYearIn = new Map<string, { start: number; end: number; year: number }>();

/**
 * The calendar year of an instant in a zone, as DateTime.fromJSDate(instant, { zone }).year gives
 * it (NaN for an unknown zone). Every report filed numbers its case by it, inside the filing's
 * transaction, and luxon's zone math cost more CPU than any of the filing's raw statements
 * (BENCHMARKS.md "Report filing, raw").
 */
export function yearIn(instant: Date, zone: string): number {
  const at = instant.getTime();
  const known = lastYearIn.get(zone);
  if (known && at >= known.start && at < known.end) return known.year;
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) return local.year;
  const start = local.startOf('year');
  lastYearIn.set(zone, { start: start.toMillis(), end: start.plus({ years: 1 }).toMillis(), year: local.year });
  return local.year;
}
