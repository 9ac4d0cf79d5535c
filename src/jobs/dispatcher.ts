import { SendDeferred, SendFailure, type Channel } from '../channel';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { MessageMetrics } from '../metrics';
import type { Db } from '../store/db/database';
import { claimOutbound, deferOutbound, markFailed, markSent, releaseLease, releaseLeasesOf, sentSince, type LeasedMessage } from '../store/messaging/outboxLeases';
import { settlesWithin } from './settlesWithin';
import type { Engine } from '../store/db/providers';
import { isQuietTime, type QuietHours } from '../domain/quietHours';
import { SendRateLimit } from './sendRateLimit';

export interface DispatcherOptions {
  db: Db;
  engine: Engine;
  channels: Channel[];
  sending: Config['sending'];
  timeZone: string;
  /** Names this process in leases; unique per running instance. */
  instanceId: string;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
  /** How long a claimed row stays ours; after that another instance may take it over. */
  leaseMs?: number;
  /**
   * Channels sent without the personal-account pacing and daily cap: they do not talk to a platform
   * that bans accounts, or (the official channels) count their platform's own limits in the database.
   */
  unlimitedChannels?: string[];
  /** Idle wait between polls when nothing was sent; nudge() cuts it short. */
  pollMs?: number;
  /** Local window (in timeZone) in which only urgent messages and replies are sent; prompts wait until it ends. */
  quietHours?: QuietHours;
  metrics?: MessageMetrics;
}

export interface DispatchTally {
  sent: number;
  failed: number;
  dead: number;
}

const DEFAULT_LEASE_MS = 120_000;
const DEFAULT_POLL_MS = 500;
/** Rows claimed per account per round: bounds how long the last of them waits under its lease. */
const BATCH_SIZE = 50;

/** Sends outbox rows through their channel and bot account, one row at a time, within each account's limits. */
export class Dispatcher {
  private readonly limiter: SendRateLimit;
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly unlimited: Set<string>;
  /** Accounts whose limiter was seeded from today's sends in the database. */
  private readonly restored = new Set<string>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private nudged = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: DispatcherOptions) {
    const { intervalMs, jitterMs, dailyCap } = options.sending;
    this.limiter = new SendRateLimit({ intervalMs, jitterMs, dailyCap, timeZone: options.timeZone }, options.random);
    this.clock = options.clock ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.unlimited = new Set(options.unlimitedChannels ?? ['http', 'console', 'wechat-mp', 'wecom']);
  }

  /** One round over every account of every channel: sends what is due and allowed now. */
  async runOnce(): Promise<DispatchTally> {
    const tally: DispatchTally = { sent: 0, failed: 0, dead: 0 };
    for (const channel of this.options.channels) {
      for (const account of channel.accounts()) {
        if (this.stopping) return tally;
        await this.dispatchAccount(channel, account, tally);
      }
    }
    return tally;
  }

  /** Runs rounds until stop(): straight on while there is work, else after pollMs or a nudge. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Wakes an idle loop at once; handlers call it after queueing. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /**
   * Lets the row being sent finish, hands back the rest of the batch, and ends the loop. A send
   * still hanging after graceMs has its lease handed back, so another instance need not wait for
   * the lease to run out.
   */
  async stop(graceMs = Infinity): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const loop = this.loop;
    this.loop = undefined;
    if (!loop || (await settlesWithin(loop, graceMs))) return;
    const released = await releaseLeasesOf(this.options.db, this.options.instanceId);
    this.options.logger.warn({ released, graceMs }, 'sends still hanging at stop: their leases handed back');
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const worked = await this.runOnce().then(
        (tally) => tally.sent + tally.failed + tally.dead > 0,
        (error: unknown) => {
          this.options.logger.error({ err: error }, 'outbox dispatch round failed');
          return false;
        },
      );
      if (!worked) await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (this.nudged || this.stopping) {
      this.nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.nudged = false;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.wake = done;
    });
  }

  private async dispatchAccount(channel: Channel, account: string, tally: DispatchTally): Promise<void> {
    // A logged-out account's rows stay queued: trying them would only spend their attempts.
    if (channel.status().accounts.find((candidate) => candidate.name === account)?.state !== 'logged_in') return;
    const limited = !this.unlimited.has(channel.name);
    const key = `${channel.name}/${account}`;
    if (limited) await this.restoreLimits(channel.name, account, key);
    const limit = limited ? Math.min(this.limiter.allowance(key, this.clock()), BATCH_SIZE) : BATCH_SIZE;
    if (limit <= 0) return;
    const { db, engine, instanceId: owner } = this.options;
    const claimedAt = this.clock();
    const quiet = isQuietTime(this.options.quietHours, claimedAt, this.options.timeZone);
    const rows = await claimOutbound(db, engine, { channel: channel.name, botAccount: account, owner, now: claimedAt, leaseMs: this.leaseMs, limit, quiet });
    for (const [index, row] of rows.entries()) {
      if (!this.maySend(key, limited, claimedAt)) {
        await releaseLease(db, rows.slice(index).map((unsent) => unsent.id), owner);
        return;
      }
      if (row.attempts >= this.options.sending.maxAttempts) {
        await this.giveUp(row, tally);
        continue;
      }
      if (limited) this.limiter.recordSend(key, this.clock());
      await this.sendOne(channel, row, tally);
    }
  }

  /**
   * Whether the next row of a batch may go out now. Past half the lease, the rest is handed
   * back: a send started later could outlive the lease and another instance would repeat it.
   */
  private maySend(key: string, limited: boolean, claimedAt: Date): boolean {
    const now = this.clock();
    if (this.stopping || now.getTime() - claimedAt.getTime() >= this.leaseMs / 2) return false;
    return !limited || this.limiter.canSendNow(key, now);
  }

  /** A restart must not reset an account's daily cap or interval: seed them from today's sent rows. */
  private async restoreLimits(channel: string, account: string, key: string): Promise<void> {
    if (this.restored.has(key)) return;
    const now = this.clock();
    const history = await sentSince(this.options.db, { channel, botAccount: account, since: this.limiter.startOfDay(now) });
    this.limiter.restore(key, { sentToday: history.count, lastSentAt: history.lastSentAt }, now);
    this.restored.add(key);
  }

  /** A row whose sends were interrupted maxAttempts times (its dispatcher died each time) is not tried again. */
  private async giveUp(row: LeasedMessage, tally: DispatchTally): Promise<void> {
    const { db, instanceId, sending } = this.options;
    const error = { message: `sending was interrupted ${row.attempts} times`, permanent: true };
    const outcome = await markFailed(db, row, instanceId, error, this.clock(), sending);
    if (outcome?.status === 'dead') tally.dead += 1;
    this.options.logger.warn({ outboxId: row.id, attempts: row.attempts }, 'outbox message dead-lettered after interrupted sends');
  }

  /**
   * Sends one row and records the outcome at once, so a crash can repeat at most this row.
   * A failure to record a successful send is not a send failure: the row must not be retried on purpose.
   */
  private async sendOne(channel: Channel, row: LeasedMessage, tally: DispatchTally): Promise<void> {
    const failure = await channel.send(row).then(
      () => undefined,
      (error: unknown) => error,
    );
    if (failure === undefined) await this.recordSent(channel, row, tally);
    else if (failure instanceof SendDeferred) await this.recordDeferred(channel, row, failure);
    else await this.recordFailure(channel, row, failure, tally);
  }

  private async recordSent(channel: Channel, row: LeasedMessage, tally: DispatchTally): Promise<void> {
    const fields = this.logFields(channel, row);
    tally.sent += 1;
    this.options.metrics?.sent(channel.name);
    if (await markSent(this.options.db, row.id, this.options.instanceId, this.clock())) {
      this.options.logger.info(fields, 'outbox message sent');
    } else {
      this.options.logger.warn(fields, 'outbox message sent after its lease expired; another dispatcher may send it again');
    }
  }

  /** Not a failure: the platform allows this message later (or after the person writes), so no attempt is spent. */
  private async recordDeferred(channel: Channel, row: LeasedMessage, deferred: SendDeferred): Promise<void> {
    const { db, instanceId, logger } = this.options;
    await deferOutbound(db, row.id, instanceId, deferred.until, deferred.message, this.clock());
    const until = deferred.until === 'next_message' ? deferred.until : deferred.until.toISOString();
    logger.info({ ...this.logFields(channel, row), until, reason: deferred.message }, 'outbox message deferred by its platform');
  }

  private async recordFailure(channel: Channel, row: LeasedMessage, error: unknown, tally: DispatchTally): Promise<void> {
    const { db, instanceId, sending, logger } = this.options;
    const failure = { message: error instanceof Error ? error.message : String(error), permanent: error instanceof SendFailure && error.permanent };
    this.options.metrics?.sendFailed(channel.name, failure.permanent);
    const outcome = await markFailed(db, row, instanceId, failure, this.clock(), sending);
    const fields = { ...this.logFields(channel, row), error: failure.message, permanent: failure.permanent };
    if (!outcome) {
      logger.warn(fields, 'outbox send failed after its lease expired; left to the dispatcher that took it over');
    } else if (outcome.status === 'dead') {
      tally.dead += 1;
      logger.error({ ...fields, attempts: outcome.attempts }, 'outbox message dead-lettered');
    } else {
      tally.failed += 1;
      logger.warn({ ...fields, attempts: outcome.attempts, nextAttemptAt: outcome.nextAttemptAt }, 'outbox send failed; will retry');
    }
  }

  /** Never the text or address: they may hold personal details. */
  private logFields(channel: Channel, row: LeasedMessage): Record<string, unknown> {
    return { outboxId: row.id, channel: channel.name, botAccount: row.botAccount, attempts: row.attempts };
  }
}
