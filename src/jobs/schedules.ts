import { DateTime } from 'luxon';
import { createTask, parse, validate } from 'node-cron';
import { z } from 'zod';

/** The environment variable that overrides a job's schedule: contact-reminder → SHOUWANG_SCHEDULE_CONTACT_REMINDER. */
export function scheduleVariable(jobName: string): string {
  return `SHOUWANG_SCHEDULE_${jobName.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

const PREFIX = 'SHOUWANG_SCHEDULE_';

const cronExpression = z
  .string()
  .trim()
  .refine((expression) => validate(expression), { message: "is not a valid cron expression (minute hour day-of-month month day-of-week, e.g. '0 19 * * 5' for Friday 19:00)" });

/**
 * Each job's cron expression: its default, overridden by SHOUWANG_SCHEDULE_<NAME>. Throws an
 * Error whose message is one line naming the variable; a variable naming no job is an error
 * too, so a typo does not silently leave the default in place.
 */
export function parseSchedules(env: Record<string, string | undefined>, jobs: ReadonlyArray<{ name: string; defaultSchedule: string }>): Record<string, string> {
  const byVariable = new Map(jobs.map((job) => [scheduleVariable(job.name), job]));
  for (const name of Object.keys(env)) {
    if (name.startsWith(PREFIX) && env[name] !== '' && !byVariable.has(name)) {
      const known = [...byVariable.keys()].join(', ') || 'none yet';
      throw new Error(`${name} names no job (schedulable: ${known})`);
    }
  }
  const schedules: Record<string, string> = {};
  for (const [variable, job] of byVariable) {
    const raw = env[variable];
    const fromEnv = raw !== undefined && raw.trim() !== '';
    const parsed = cronExpression.safeParse(fromEnv ? raw : job.defaultSchedule);
    if (!parsed.success) {
      const source = fromEnv ? variable : `the default schedule of job ${job.name}`;
      throw new Error(`${source} ${parsed.error.issues[0]!.message}`);
    }
    schedules[job.name] = parsed.data;
  }
  return schedules;
}

/** How far ahead nextOccurrence looks: 8 years covers 29 February. */
const SEARCH_DAYS = 8 * 366;

/**
 * The first time strictly after `after` that the cron expression fires in `timeZone`, or null if
 * it never does within eight years. node-cron's own matcher decides (task.match), so this agrees
 * with when the scheduler fires; node-cron only offers next runs from the current time, hence the walk:
 * day by day, each day's candidate times from the parsed hour, minute and second fields.
 */
export function nextOccurrence(expression: string, after: Date, timeZone: string): Date | null {
  const fields = parse(expression);
  const matcher = createTask(expression, () => undefined, { timezone: timeZone });
  try {
    let day = DateTime.fromJSDate(after, { zone: timeZone }).startOf('day');
    for (let index = 0; index < SEARCH_DAYS; index += 1, day = day.plus({ days: 1 }).startOf('day')) {
      const found = firstMatchOfDay(day, fields, after, (date) => matcher.match(date));
      if (found === 'day_does_not_match') continue;
      if (found) return found;
    }
    return null;
  } finally {
    // Removes the task from node-cron's registry; it was never started, so it holds no timer.
    void matcher.destroy();
  }
}

function firstMatchOfDay(
  day: DateTime,
  fields: { hour: number[]; minute: number[]; second: number[] },
  after: Date,
  matches: (date: Date) => boolean,
): Date | null | 'day_does_not_match' {
  const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
  for (const hour of ascending(fields.hour)) {
    for (const minute of ascending(fields.minute)) {
      for (const second of ascending(fields.second)) {
        const candidate = day.set({ hour, minute, second, millisecond: 0 });
        // A local time that does not exist (daylight-saving gap) is shifted by luxon: not a match.
        if (candidate.hour !== hour || candidate.minute !== minute) continue;
        if (candidate.toMillis() <= after.getTime()) continue;
        const date = candidate.toJSDate();
        // The time fields match by construction, so a miss means the day (of month/week, month) does not.
        return matches(date) ? date : 'day_does_not_match';
      }
    }
  }
  return null;
}
