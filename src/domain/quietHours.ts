import { DateTime } from 'luxon';

/** A daily window of local time in which prompts are not sent; `start` > `end` crosses midnight. */
export interface QuietHours {
  /** Minutes after local midnight the window opens, e.g. 21:30 → 1290. */
  start: number;
  /** Minutes after local midnight it closes (exclusive), e.g. 08:00 → 480. */
  end: number;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * Parses '21:30-08:00'. Empty means no quiet hours (undefined); anything else malformed throws
 * an Error whose message completes "SHOUWANG_QUIET_HOURS …".
 */
export function parseQuietHours(text: string | undefined): QuietHours | undefined {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return undefined;
  const [from, to, ...rest] = trimmed.split('-').map((part) => part.trim());
  const start = from === undefined ? undefined : minutesOf(from);
  const end = to === undefined ? undefined : minutesOf(to);
  if (rest.length > 0 || start === undefined || end === undefined) {
    throw new Error('must be two local times HH:MM-HH:MM, e.g. 21:30-08:00 (empty disables quiet hours)');
  }
  if (start === end) throw new Error('starts and ends at the same time; leave it empty to disable quiet hours');
  return { start, end };
}

/** Whether `now` falls inside the window, read as wall-clock time in `timeZone`. */
export function isQuietTime(window: QuietHours | undefined, now: Date, timeZone: string): boolean {
  if (!window) return false;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const minute = local.hour * 60 + local.minute;
  return window.start < window.end ? minute >= window.start && minute < window.end : minute >= window.start || minute < window.end;
}

function minutesOf(text: string): number | undefined {
  const match = TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}
