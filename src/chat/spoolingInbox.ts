import type { Logger } from '../log';
import { SpoolWriteError, type InboundSpool, type SpoolState } from '../store/messaging/inboundSpool';
import { isDatabaseAway } from '../store/db/transientFailure';
import { InboundNotKept, type InboundMessage, type InboundResult } from '../channel';
import type { InboxProcessor, ReceiveOptions } from './inboxProcessor';

export interface SpoolingInboxOptions {
  inbox: InboxProcessor;
  spool: InboundSpool;
  /** True when the database answers; a ping that hangs counts as an answer of no. */
  ping: () => Promise<boolean>;
  logger: Logger;
  /** First and longest wait between attempts to reach the database again. */
  retryMs?: { first: number; max: number };
  pingTimeoutMs?: number;
}

const DEFAULT_RETRY = { first: 500, max: 5000 };
const DEFAULT_PING_TIMEOUT_MS = 3000;

/**
 * The inbox as channels see it: messages go to the database while it answers, and to the
 * local spool while it does not. Once anything is spooled, later messages queue behind it, so
 * each sender's messages are recorded in the order they came; the spool is drained, oldest
 * first, as soon as the database answers again.
 */
export class SpoolingInbox {
  private draining: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private stopped = false;
  /** A message was recorded but its handling met the database away: recover() once it answers. */
  private recoveryDue = false;

  constructor(private readonly options: SpoolingInboxOptions) {
    this.retryMs = this.retry.first;
    options.inbox.whenHandlingDeferred(() => this.recoverLater());
  }

  private get retry() {
    return this.options.retryMs ?? DEFAULT_RETRY;
  }

  state(): SpoolState {
    return this.options.spool.state();
  }

  receive(message: InboundMessage, options?: ReceiveOptions): Promise<InboundResult> {
    return this.recordOrKeep(message, (kept) => this.options.inbox.receive(kept, options));
  }

  /** As receive, for platforms whose callbacks are answered before handling. */
  accept(message: InboundMessage): Promise<Omit<InboundResult, 'replies'>> {
    return this.recordOrKeep(message, (kept) => this.options.inbox.accept(kept));
  }

  private async recordOrKeep<T>(message: InboundMessage, record: (message: InboundMessage) => Promise<T>): Promise<T | InboundResult> {
    if (this.state().depth > 0 || this.draining) return this.keep(message);
    try {
      return await record(message);
    } catch (error) {
      if (!(await this.isAway(error))) throw error;
      this.options.logger.warn({ err: error }, 'the database cannot be reached: inbound messages go to the spool');
      return this.keep(message);
    }
  }

  /** Records what the spool holds, in order; resolves when it is empty or the database is away again. */
  drain(): Promise<void> {
    this.draining ??= this.drainOnce()
      .catch((error: unknown) => {
        if (isDatabaseAway(error)) this.options.logger.warn({ err: error }, 'the database went away again while the inbound spool was drained');
        else this.options.logger.error({ err: error }, 'draining the inbound spool failed');
        this.scheduleDrain(this.nextRetry());
      })
      .finally(() => {
        this.draining = undefined;
        // What arrived while the last pass was finishing.
        if (this.state().depth > 0) this.scheduleDrain(0);
        else if (this.recoveryDue) this.scheduleDrain(this.nextRetry());
      });
    return this.draining;
  }

  /** A recorded message's handling met the database away: it is handled by the next pass that finds the database answering. */
  recoverLater(): void {
    this.recoveryDue = true;
    this.scheduleDrain(this.nextRetry());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.draining;
    await this.options.spool.close();
  }

  private async keep(message: InboundMessage): Promise<InboundResult> {
    try {
      await this.options.spool.append(message);
    } catch (error) {
      if (!(error instanceof SpoolWriteError)) throw error;
      this.options.logger.error({ err: error }, 'an inbound message could be neither recorded nor spooled');
      throw new InboundNotKept(error.message);
    }
    this.scheduleDrain(0);
    return { inboxId: null, duplicate: false, replies: [], spooled: true };
  }

  private async drainOnce(): Promise<void> {
    const { spool, inbox, logger } = this.options;
    const depth = spool.state().depth;
    if ((depth === 0 && !this.recoveryDue) || this.stopped) return;
    if (!(await this.databaseAnswers())) return this.scheduleDrain(this.nextRetry());
    for (let message = spool.peek(); message && !this.stopped; message = spool.peek()) {
      try {
        await inbox.receive(message);
      } catch (error) {
        if (await this.isAway(error)) return this.scheduleDrain(this.nextRetry());
        logger.error({ err: error, channel: message.channel, platformMessageId: message.platformMessageId }, 'a spooled message was refused by the database: set aside');
        await spool.setAside(message, (error as Error).message);
        continue;
      }
      await spool.removeFirst();
    }
    if (this.stopped) return;
    // A message recorded just before the outage may have lost its handling to it.
    this.recoveryDue = false;
    await inbox.recover();
    this.retryMs = this.retry.first;
    if (depth > 0) logger.info({ count: depth }, 'inbound spool drained');
  }

  private scheduleDrain(delayMs: number): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, delayMs);
  }

  private nextRetry(): number {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.retry.max);
    return wait;
  }

  /**
   * A busy, timed-out or refused database is away even when a ping gets through (another
   * connection holding SQLite's write lock lets reads pass); any other error counts as away only
   * if the database does not answer a ping either.
   */
  private async isAway(error: unknown): Promise<boolean> {
    return isDatabaseAway(error) || !(await this.databaseAnswers());
  }

  private databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS);
    });
    return Promise.race([this.options.ping(), timeout]).finally(() => clearTimeout(timer));
  }
}
