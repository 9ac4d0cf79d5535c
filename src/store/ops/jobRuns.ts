import { Prisma, type Db, type JobRunStatus } from '../db/database';

/** One job run row, as the coordinator and `jobs list` see it. */
export interface JobRunRecord {
  id: number;
  job: string;
  occurrence: string;
  status: JobRunStatus;
  instance: string;
  startedAt: Date;
  finishedAt: Date | null;
  detail: unknown;
}

export type ClaimResult =
  | { claimed: true; run: JobRunRecord; tookOver: boolean }
  | { claimed: false; run: JobRunRecord; reason: 'already_done' | 'running_elsewhere' };

export interface ClaimRequest {
  job: string;
  /** The scheduled time, ISO 8601 in UTC, truncated to the minute. */
  occurrence: string;
  instance: string;
  now: Date;
  /** A run 'running' for at least this long is taken to have crashed. */
  staleMs: number;
}

const FIELDS = { id: true, job: true, occurrence: true, status: true, instance: true, startedAt: true, finishedAt: true, detail: true } as const;
const DETAIL_LENGTH = 2000;

/**
 * Claims one occurrence of a job for this instance. The row unique per (job, occurrence) makes the
 * first insert the winner on any engine: a conflicting insert means another run has it. Taking
 * over a failed or stale run is a compare-and-set on the row as read, so of two instances trying
 * at once only one succeeds.
 */
export async function claimJobRun(db: Db, request: ClaimRequest): Promise<ClaimResult> {
  const { job, occurrence, instance, now, staleMs } = request;
  try {
    const run = await db.jobRun.create({ data: { job, occurrence, instance, status: 'running', startedAt: now }, select: FIELDS });
    return { claimed: true, run, tookOver: false };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
  }
  const existing = await db.jobRun.findUniqueOrThrow({ where: { job_occurrence: { job, occurrence } }, select: FIELDS });
  if (existing.status === 'done') return { claimed: false, run: existing, reason: 'already_done' };
  if (existing.status === 'running' && now.getTime() - existing.startedAt.getTime() < staleMs) {
    return { claimed: false, run: existing, reason: 'running_elsewhere' };
  }
  const taken = await db.jobRun.updateMany({
    where: { id: existing.id, status: existing.status, instance: existing.instance, startedAt: existing.startedAt },
    data: { status: 'running', instance, startedAt: now, finishedAt: null, detail: Prisma.DbNull },
  });
  const current = await db.jobRun.findUniqueOrThrow({ where: { id: existing.id }, select: FIELDS });
  if (taken.count === 1) return { claimed: true, run: current, tookOver: true };
  // Someone else took it over, or finished it, between our read and our update.
  return { claimed: false, run: current, reason: current.status === 'done' ? 'already_done' : 'running_elsewhere' };
}

/** Records a finished run; false when this instance no longer holds it (it was taken over as stale). */
export async function finishJobRun(db: Db, id: number, instance: string, outcome: { status: 'done'; summary: Record<string, number> } | { status: 'failed'; error: string }, now: Date): Promise<boolean> {
  const detail = outcome.status === 'done' ? outcome.summary : { error: outcome.error.slice(0, DETAIL_LENGTH) };
  const updated = await db.jobRun.updateMany({
    where: { id, instance, status: 'running' },
    data: { status: outcome.status, finishedAt: now, detail },
  });
  return updated.count === 1;
}

/**
 * Marks the runs a stopping instance still holds as failed, so the occurrence can be taken over
 * at once (another instance, `jobs run`) instead of after the stale time; the jobs' dedupe keys
 * keep the rerun from queueing any prompt twice.
 */
export async function releaseJobRunsOf(db: Db, instance: string, now: Date): Promise<number> {
  const updated = await db.jobRun.updateMany({
    where: { instance, status: 'running' },
    data: { status: 'failed', finishedAt: now, detail: { error: 'interrupted: the instance stopped before the run finished' } },
  });
  return updated.count;
}

/** The latest run of each named job (by occurrence), for `jobs list`. */
export async function lastRuns(db: Db, jobs: string[]): Promise<Map<string, JobRunRecord>> {
  const latest = new Map<string, JobRunRecord>();
  for (const job of jobs) {
    const run = await db.jobRun.findFirst({ where: { job }, orderBy: [{ occurrence: 'desc' }, { id: 'desc' }], select: FIELDS });
    if (run) latest.set(job, run);
  }
  return latest;
}

