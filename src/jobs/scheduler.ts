import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log';
import { releaseJobRunsOf } from '../store/ops/jobRuns';
import { settlesWithin } from './settlesWithin';
import type { Job } from './job';
import { runJobOccurrence, type RunJobDeps, type RunOutcome } from './runJob';
import { nextOccurrence } from './schedules';

export interface SchedulerOptions extends RunJobDeps {
  jobs: readonly Job[];
  /** Cron expression per job name (Config['schedules']); a job without one uses its default. */
  schedules: Record<string, string>;
  /** Names this process in job-run rows; unique per running instance. */
  instanceId: string;
  /** What a fire does; tests replace it. Defaults to runJobOccurrence. */
  run?: (job: Job, occurrence: Date) => Promise<RunOutcome>;
}

/**
 * Fires each job on its cron schedule in the configured time zone (node-cron), and runs the
 * occurrence through runJobOccurrence, so that of all instances sharing the database exactly one
 * runs it. node-cron's own run coordinator is not used: claiming the occurrence and recording its
 * outcome belong to one row, which runJobOccurrence keeps.
 */
export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly logger: Logger;
  private readonly run: (job: Job, occurrence: Date) => Promise<RunOutcome>;

  constructor(private readonly options: SchedulerOptions) {
    this.logger = options.logger;
    this.run = options.run ?? ((job, occurrence) => runJobOccurrence(options, job, occurrence, { instanceId: options.instanceId }));
  }

  /** The cron expression a job runs on. */
  scheduleOf(job: Job): string {
    return this.options.schedules[job.name] ?? job.defaultSchedule;
  }

  /** When the job fires next, strictly after `after`; null if its expression never matches again. */
  nextRun(job: Job, after: Date): Date | null {
    return nextOccurrence(this.scheduleOf(job), after, this.options.timeZone);
  }

  start(): void {
    if (this.tasks.length > 0) return;
    const cronLogger = adaptLogger(this.logger);
    for (const job of this.options.jobs) {
      const task = createTask(this.scheduleOf(job), (context) => this.fire(job, context.date), {
        name: `shouwang:${job.name}`,
        timezone: this.options.timeZone,
        logger: cronLogger,
      });
      void task.start();
      this.tasks.push(task);
      this.logger.info({ job: job.name, schedule: this.scheduleOf(job), timeZone: this.options.timeZone }, 'job scheduled');
    }
  }

  /**
   * Runs one occurrence as a cron fire would; `at` is the scheduled time (node-cron passes the
   * slot, not the moment the timer went off). Never throws: failures are logged and recorded.
   */
  fire(job: Job, at: Date): Promise<RunOutcome | undefined> {
    const running = this.run(job, at).catch((error: unknown) => {
      this.logger.error({ err: error, job: job.name }, 'scheduled job run could not be coordinated');
      return undefined;
    });
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    return running;
  }

  /**
   * Removes every cron timer and waits for runs in progress, so the database can be closed after;
   * runs not finished within graceMs are handed back (marked failed) for another instance to take over.
   */
  async stop(graceMs = Infinity): Promise<void> {
    const tasks = this.tasks;
    this.tasks = [];
    for (const task of tasks) await task.destroy();
    if (await settlesWithin(Promise.all([...this.inFlight]), graceMs)) return;
    const released = await releaseJobRunsOf(this.options.db, this.options.instanceId, (this.options.clock ?? (() => new Date()))());
    this.logger.warn({ released, graceMs }, 'job runs still going at stop handed back for another instance to take over');
  }
}

/** node-cron logs missed executions and its own errors; they go to the service log. */
function adaptLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.info({ component: 'node-cron' }, message),
    warn: (message) => logger.warn({ component: 'node-cron' }, message),
    error: (message, err) => logger.error({ component: 'node-cron', err: err ?? message }, typeof message === 'string' ? message : message.message),
    debug: (message) => logger.debug({ component: 'node-cron' }, typeof message === 'string' ? message : message.message),
  };
}
