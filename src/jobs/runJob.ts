import type { Logger } from '../log';
import type { JobMetrics } from '../metrics';
import type { Db } from '../store/db/database';
import { claimJobRun, finishJobRun } from '../store/ops/jobRuns';
import type { Engine } from '../store/db/providers';
import type { RetentionPeriods } from '../store/privacy/retention';
import type { Job, JobSummary } from './job';

/** What running a job needs besides the job. */
export interface RunJobDeps {
  db: Db;
  engine: Engine;
  timeZone: string;
  logger: Logger;
  /** Wall-clock time, for startedAt and staleness; defaults to the system clock. */
  clock?: () => Date;
  /** A run 'running' for at least this long is taken to have crashed (default 30 minutes). */
  staleMs?: number;
  metrics?: JobMetrics;
  /** Retention periods for the retention job. */
  retention?: RetentionPeriods;
}

export type RunOutcome =
  | { ran: true; status: 'done'; occurrence: string; summary: JobSummary; tookOver: boolean }
  | { ran: true; status: 'failed'; occurrence: string; error: string; tookOver: boolean }
  | { ran: false; reason: 'already_done'; occurrence: string; finishedAt: Date | null; summary: unknown }
  | { ran: false; reason: 'running_elsewhere'; occurrence: string; instance: string; startedAt: Date };

export const DEFAULT_STALE_MS = 30 * 60_000;

/** The key of an occurrence: the scheduled minute in UTC ISO 8601, e.g. 2026-03-06T11:00:00.000Z. */
export function occurrenceKey(at: Date): string {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
}

/**
 * Runs one scheduled occurrence of a job, at most once across every instance sharing the
 * database: a done occurrence is not run again, one running elsewhere is left alone, a failed or
 * stale (crashed) one is taken over and run again — the job's dedupe keys keep a resumed run from
 * queueing any prompt twice. The job sees `occurrence` (truncated to the minute) as its "now".
 */
export async function runJobOccurrence(deps: RunJobDeps, job: Job, occurrence: Date, options: { instanceId: string }): Promise<RunOutcome> {
  const clock = deps.clock ?? (() => new Date());
  const key = occurrenceKey(occurrence);
  const logger = deps.logger.child({ job: job.name, occurrence: key });
  const claim = await claimJobRun(deps.db, { job: job.name, occurrence: key, instance: options.instanceId, now: clock(), staleMs: deps.staleMs ?? DEFAULT_STALE_MS });
  if (!claim.claimed) {
    logger.info({ reason: claim.reason, by: claim.run.instance }, 'job occurrence not run here');
    return claim.reason === 'already_done'
      ? { ran: false, reason: 'already_done', occurrence: key, finishedAt: claim.run.finishedAt, summary: claim.run.detail }
      : { ran: false, reason: 'running_elsewhere', occurrence: key, instance: claim.run.instance, startedAt: claim.run.startedAt };
  }
  if (claim.tookOver) logger.warn('taking over a failed or crashed run of this occurrence');
  logger.info('job started');
  // Real elapsed time, not the (possibly simulated) clock.
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  let summary: JobSummary;
  try {
    summary = await job.run({ db: deps.db, engine: deps.engine, now: new Date(key), timeZone: deps.timeZone, logger, retention: deps.retention });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishJobRun(deps.db, claim.run.id, options.instanceId, { status: 'failed', error: message }, clock());
    logger.error({ err: error }, 'job failed');
    deps.metrics?.jobRun(job.name, 'failed', seconds());
    return { ran: true, status: 'failed', occurrence: key, error: message, tookOver: claim.tookOver };
  }
  const recorded = await finishJobRun(deps.db, claim.run.id, options.instanceId, { status: 'done', summary }, clock());
  deps.metrics?.jobRun(job.name, 'done', seconds());
  if (!recorded) logger.warn('job finished after its run was taken over as stale; the other run records the outcome');
  logger.info({ summary }, 'job done');
  return { ran: true, status: 'done', occurrence: key, summary, tookOver: claim.tookOver };
}
