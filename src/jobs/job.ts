import type { Logger } from '../log';
import type { Db } from '../store/db/database';
import type { Engine } from '../store/db/providers';
import type { RetentionPeriods } from '../store/privacy/retention';

/** What every scheduled job gets: the store and the time it runs as. */
export interface JobContext {
  db: Db;
  engine: Engine;
  /** The scheduled time this run is for: jobs never read the clock themselves. */
  now: Date;
  timeZone: string;
  logger: Logger;
  /** How long personal data is kept (SHOUWANG_RETENTION_*); the documented defaults when not given. */
  retention?: RetentionPeriods;
}

/** Counts a job reports about one run, e.g. { prompted: 120, skipped: 3 }. */
export type JobSummary = Record<string, number>;

/**
 * A scheduled job is a function of (store, now). Prompts it queues carry a dedupe key of
 * (person, job, period), so running the same occurrence again, or resuming a run that crashed
 * halfway, sends nothing twice.
 */
export interface Job {
  /** Stable name, used in config, the CLI and the job-run table, e.g. contact-reminder. */
  name: string;
  /** node-cron expression in the configured time zone, e.g. '0 19 * * 5' (Friday 19:00). */
  defaultSchedule: string;
  description: string;
  run(context: JobContext): Promise<JobSummary>;
}
