import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CrashRecord } from './crashRecord';
import type { Db } from './store/db/database';
import type { SpoolState } from './store/messaging/inboundSpool';
import { DEFAULT_TIME_ZONE } from './domain/contactWeek';
import { recordQuarterOf } from './domain/recordQuarter';
import { caseCounts, leftBehindCounts, outboxBacklog } from './store/ops/operationalCounts';

/** What the inbox and the dispatcher count. */
export interface MessageMetrics {
  received(channel: string): void;
  sent(channel: string): void;
  sendFailed(channel: string, permanent: boolean): void;
}

/** What the official channels count of their platform calls. */
export interface PlatformMetrics {
  platformCall(channel: string, method: string, errcode: number): void;
  callbackLimited(channel: string, scope: 'sender' | 'account'): void;
}

/** What a job run reports. */
export interface JobMetrics {
  jobRun(job: string, status: 'done' | 'failed', seconds: number): void;
}

/**
 * The service's Prometheus metrics (GET /metrics), on a registry of its own rather than
 * prom-client's global one, so several services in one process (tests) keep separate counts.
 * Gauges are read from the database at scrape time with a few count queries.
 */
export class ServiceMetrics implements MessageMetrics, JobMetrics, PlatformMetrics {
  readonly registry = new Registry();
  private readonly messagesIn: Counter<'channel'>;
  private readonly messagesOut: Counter<'channel'>;
  private readonly sendFailures: Counter<'channel' | 'permanent'>;
  private readonly platformCalls: Counter<'channel' | 'method' | 'errcode'>;
  private readonly callbacksLimited: Counter<'channel' | 'scope'>;
  private readonly jobRuns: Counter<'job' | 'status'>;
  private readonly jobDuration: Histogram<'job'>;

  constructor(db: Db, clock: () => Date = () => new Date(), crashes?: CrashRecord, timeZone: string = DEFAULT_TIME_ZONE) {
    const registers = [this.registry];
    if (crashes) {
      new Gauge({
        name: 'shouwang_unexpected_exits',
        help: 'Times the service exited on an unhandled rejection or uncaught exception (a bug), over the life of its data folder',
        registers,
        collect() {
          this.set(crashes.count());
        },
      });
    }
    // Memory, event-loop delay, handles and restarts (process_start_time_seconds): what an operator watches besides the service's own counts.
    collectDefaultMetrics({ register: this.registry });
    this.messagesIn = new Counter({ name: 'shouwang_messages_received_total', help: 'Inbound chat messages recorded, per channel', labelNames: ['channel'], registers });
    this.messagesOut = new Counter({ name: 'shouwang_messages_sent_total', help: 'Outbound messages sent, per channel', labelNames: ['channel'], registers });
    this.sendFailures = new Counter({
      name: 'shouwang_send_failures_total',
      help: 'Failed sends per channel; permanent failures are not retried',
      labelNames: ['channel', 'permanent'],
      registers,
    });
    this.platformCalls = new Counter({
      name: 'shouwang_platform_calls_total',
      help: 'Calls to the official channels’ APIs per channel, method (custom, template, message_send, robot …) and errcode (0 is success)',
      labelNames: ['channel', 'method', 'errcode'],
      registers,
    });
    this.callbacksLimited = new Counter({
      name: 'shouwang_callbacks_limited_total',
      help: 'Platform pushes acknowledged but not handled, per channel and the limit they were over (sender or account)',
      labelNames: ['channel', 'scope'],
      registers,
    });
    this.jobRuns = new Counter({ name: 'shouwang_job_runs_total', help: 'Scheduled job runs by job and outcome', labelNames: ['job', 'status'], registers });
    this.jobDuration = new Histogram({
      name: 'shouwang_job_duration_seconds',
      help: 'Duration of scheduled job runs',
      labelNames: ['job'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    });
    new Gauge({
      name: 'shouwang_outbox_messages',
      help: 'Outbox messages waiting (pending), being sent (sending) or dead-lettered (dead)',
      labelNames: ['status'],
      registers,
      async collect() {
        const backlog = await whileReachable(outboxBacklog(db, clock()));
        if (backlog) for (const status of ['pending', 'sending', 'dead'] as const) this.set({ status }, backlog[status]);
      },
    });
    new Gauge({
      name: 'shouwang_outbox_oldest_pending_seconds',
      help: 'Age of the oldest message waiting to be sent (0 when none waits)',
      registers,
      async collect() {
        const backlog = await whileReachable(outboxBacklog(db, clock()));
        if (backlog) this.set(backlog.oldestPendingSeconds ?? 0);
      },
    });
    new Gauge({
      name: 'shouwang_cases_open',
      help: 'Cases not closed or dismissed',
      registers,
      async collect() {
        const counts = await whileReachable(caseCounts(db, clock()));
        if (counts) this.set(counts.open);
      },
    });
    new Gauge({
      name: 'shouwang_cases_overdue',
      help: 'Open cases past the deadline of their next step',
      registers,
      async collect() {
        const counts = await whileReachable(caseCounts(db, clock()));
        if (counts) this.set(counts.overdue);
      },
    });
    // The plan's outcome: the number of left-behind children falls. Per district, as the joint meeting reads it.
    new Gauge({
      name: 'shouwang_left_behind_children',
      help: 'Left-behind children on the register now, per district',
      labelNames: ['district'],
      registers,
      async collect() {
        const counts = await whileReachable(leftBehindCounts(db, recordQuarterOf(clock(), timeZone).start));
        if (!counts) return;
        this.reset();
        for (const [district, count] of counts.children) this.set({ district }, count);
      },
    });
    new Gauge({
      name: 'shouwang_left_behind_changes_quarter',
      help: 'Children who became (direction=became) or stopped being (direction=stopped) left-behind this quarter, per district and reason',
      labelNames: ['district', 'direction', 'reason'],
      registers,
      async collect() {
        const counts = await whileReachable(leftBehindCounts(db, recordQuarterOf(clock(), timeZone).start));
        if (!counts) return;
        this.reset();
        for (const change of counts.changes) this.set({ district: change.district, direction: change.direction, reason: change.reason }, change.count);
      },
    });
  }

  /** Reports the inbound spool: messages waiting for the database, and whether it can still take more. */
  watchSpool(state: () => SpoolState): void {
    const registers = [this.registry];
    new Gauge({
      name: 'shouwang_inbound_spool_depth',
      help: 'Inbound messages kept on local disk while the database is away, not yet recorded',
      registers,
      collect() {
        this.set(state().depth);
      },
    });
    new Gauge({
      name: 'shouwang_inbound_spool_writable',
      help: '1 while the inbound spool can be written, 0 after a write failed (full disk): messages are then refused with 503',
      registers,
      collect() {
        this.set(state().writable ? 1 : 0);
      },
    });
  }

  received(channel: string): void {
    this.messagesIn.inc({ channel });
  }

  sent(channel: string): void {
    this.messagesOut.inc({ channel });
  }

  platformCall(channel: string, method: string, errcode: number): void {
    this.platformCalls.inc({ channel, method, errcode: String(errcode) });
  }

  callbackLimited(channel: string, scope: 'sender' | 'account'): void {
    this.callbacksLimited.inc({ channel, scope });
  }

  sendFailed(channel: string, permanent: boolean): void {
    this.sendFailures.inc({ channel, permanent: String(permanent) });
  }

  jobRun(job: string, status: 'done' | 'failed', seconds: number): void {
    this.jobRuns.inc({ job, status });
    this.jobDuration.observe({ job }, seconds);
  }
}

/**
 * A gauge read from the database keeps its last value while the database is away: /metrics must
 * still answer then, to show the spool and the process.
 */
function whileReachable<T>(read: Promise<T>): Promise<T | undefined> {
  return read.catch(() => undefined);
}
