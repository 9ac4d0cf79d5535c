import os from 'node:os';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Job } from '../../jobs/job';
import { JOBS, jobByName, jobSchedules } from '../../jobs/jobRegistry';
import { runJobOccurrence, type RunOutcome } from '../../jobs/runJob';
import { nextOccurrence } from '../../jobs/schedules';
import { createLogger } from '../../log';
import { lastRuns, type JobRunRecord } from '../../store/ops/jobRuns';
import { parseOptions, UsageError, type CliContext } from '../context';

const runOptions = z.object({ at: z.string().trim().min(1) });
const listOptions = z.object({ at: z.string().trim().min(1).optional() });

/** `jobs list` and `jobs run`; `jobs` is the list to show and run (the registry by default). */
export function registerJobsCommands(program: Command, context: CliContext, jobs: readonly Job[] = JOBS): void {
  const group = program.command('jobs').description('scheduled jobs: their schedules, last and next runs, and running one by hand');

  group
    .command('list')
    .description('each job with its schedule, last run and next run')
    .option('--at <time>', 'the next runs after this time instead of now, ISO 8601 like jobs run --at')
    .action(async (raw: unknown) => {
      const config = context.config();
      const { at } = parseOptions(listOptions, raw);
      if (jobs.length === 0) {
        context.print('No scheduled jobs are registered.');
        return;
      }
      const latest = await context.withDatabase(({ db }) => lastRuns(db, jobs.map((job) => job.name)));
      const now = at === undefined ? new Date() : parseTime(at, config.timeZone);
      const local = (date: Date) => DateTime.fromJSDate(date, { zone: config.timeZone }).toFormat('yyyy-MM-dd HH:mm');
      const schedules = jobSchedules(config.scheduleOverrides);
      for (const job of jobs) {
        const schedule = schedules[job.name] ?? job.defaultSchedule;
        const next = nextOccurrence(schedule, now, config.timeZone);
        context.print(`${job.name}  ${schedule}  ${job.description}`);
        context.print(`  last run: ${describeRun(latest.get(job.name), local)}`);
        context.print(`  next run: ${next ? `${local(next)} (${config.timeZone})` : 'never'}`);
      }
    });

  group
    .command('run')
    .description('run a job as if at a time, e.g. to make up a missed run; an occurrence that already ran is not run again')
    .argument('<job>', `job name: ${jobs.map((job) => job.name).join(', ') || 'none registered'}`)
    .requiredOption('--at <time>', 'the scheduled time to run for, ISO 8601, e.g. 2026-03-06T19:00 (local time) or 2026-03-06T11:00Z')
    .action(async (name: string, raw: unknown) => {
      const config = context.config();
      const job = jobByName(name, jobs);
      if (!job) throw new UsageError(`Unknown job: ${name} (jobs: ${jobs.map((known) => known.name).join(', ') || 'none registered'}).`);
      const at = parseTime(parseOptions(runOptions, raw).at, config.timeZone);
      const logger = createLogger('warn', { write: (line: string) => process.stderr.write(line) });
      const outcome = await context.withDatabase(({ db, engine }) =>
        runJobOccurrence({ db, engine, timeZone: config.timeZone, logger, staleMs: config.jobStaleMs, retention: { ...config.retention, attachmentDir: config.attachments.dir } }, job, at, { instanceId: `cli:${os.hostname()}:${process.pid}` }),
      );
      const local = (date: Date) => DateTime.fromJSDate(date, { zone: config.timeZone }).toFormat('yyyy-MM-dd HH:mm');
      reportOutcome(context, job, outcome, local);
    });
}

/** ISO 8601; without an offset it is local time in the configured zone. */
function parseTime(text: string, timeZone: string): Date {
  const parsed = DateTime.fromISO(text, { zone: timeZone });
  if (!parsed.isValid) throw new UsageError(`Option --at: ${text} is not an ISO 8601 time, e.g. 2026-03-06T19:00 or 2026-03-06T11:00Z.`);
  return parsed.toJSDate();
}

function reportOutcome(context: CliContext, job: Job, outcome: RunOutcome, local: (date: Date) => string): void {
  const occurrence = local(new Date(outcome.occurrence));
  if (outcome.ran && outcome.status === 'done') {
    context.print(`Ran ${job.name} for ${occurrence}${outcome.tookOver ? ' (resumed an interrupted run)' : ''}: ${describeSummary(outcome.summary)}.`);
    return;
  }
  if (outcome.ran) {
    process.stderr.write(`${job.name} for ${occurrence} failed: ${outcome.error}\n`);
    process.exitCode = 1;
    return;
  }
  if (outcome.reason === 'already_done') {
    const finished = outcome.finishedAt ? ` at ${local(outcome.finishedAt)}` : '';
    context.print(`${job.name} already ran for ${occurrence} (finished${finished}); nothing was done.`);
    return;
  }
  context.print(`${job.name} for ${occurrence} is running on ${outcome.instance} since ${local(outcome.startedAt)}; nothing was done.`);
  process.exitCode = 1;
}

function describeRun(run: JobRunRecord | undefined, local: (date: Date) => string): string {
  if (!run) return 'never';
  const time = local(new Date(run.occurrence));
  if (run.status === 'running') return `${time} running on ${run.instance} since ${local(run.startedAt)}`;
  if (run.status === 'failed') return `${time} failed: ${errorOf(run.detail)}`;
  return `${time} done: ${describeSummary(run.detail)}`;
}

function describeSummary(summary: unknown): string {
  if (!summary || typeof summary !== 'object') return 'no counts';
  const entries = Object.entries(summary as Record<string, unknown>);
  return entries.length === 0 ? 'no counts' : entries.map(([key, value]) => `${key} ${String(value)}`).join(', ');
}

function errorOf(detail: unknown): string {
  if (detail && typeof detail === 'object' && 'error' in detail) return String((detail as { error: unknown }).error);
  return 'unknown error';
}
