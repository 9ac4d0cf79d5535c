import { DateTime } from 'luxon';

export interface SendLimits {
  /** Least time between two sends of one account. */
  intervalMs: number;
  /** Random extra wait in [0, jitterMs) after each send, so the rhythm does not look automated. */
  jitterMs: number;
  /** Most sends of one account per calendar day in timeZone. */
  dailyCap: number;
  timeZone: string;
}

interface AccountState {
  /** Earliest moment of the next send. */
  earliest: Date;
  /** Calendar day (yyyy-mm-dd in the time zone) that `count` belongs to. */
  day: string;
  count: number;
}

/**
 * Per-account throttle for platforms that ban accounts which send like machines (a personal
 * WeChat account). Pure: the caller passes the time and records each send; no timers.
 */
export class SendRateLimit {
  private readonly accounts = new Map<string, AccountState>();

  constructor(
    private readonly limits: SendLimits,
    /** Returns a number in [0, 1), like Math.random. */
    private readonly random: () => number = Math.random,
  ) {}

  /** When the account may send next: now, or later if its interval or daily cap is not yet over. */
  nextSendAt(account: string, now: Date): Date {
    const state = this.accounts.get(account);
    if (!state) return now;
    const at = state.earliest > now ? state.earliest : now;
    if (this.dayOf(at) === state.day && state.count >= this.limits.dailyCap) return this.startOfNextDay(at);
    return at;
  }

  canSendNow(account: string, now: Date): boolean {
    return this.nextSendAt(account, now) <= now;
  }

  /** How many sends may start now, back to back: one while an interval applies, else what is left of today's cap. */
  allowance(account: string, now: Date): number {
    if (!this.canSendNow(account, now)) return 0;
    if (this.limits.intervalMs + this.limits.jitterMs > 0) return 1;
    return this.limits.dailyCap - this.sentOn(account, this.dayOf(now));
  }

  /** Counts a send attempt that reached the platform, successful or not. */
  recordSend(account: string, now: Date): void {
    const day = this.dayOf(now);
    this.accounts.set(account, { earliest: this.afterInterval(now), day, count: this.sentOn(account, day) + 1 });
  }

  /** Seeds an account from what was sent earlier today (e.g. before a restart), so a restart does not reset its limits. */
  restore(account: string, history: { sentToday: number; lastSentAt: Date | null }, now: Date): void {
    const earliest = history.lastSentAt ? this.afterInterval(history.lastSentAt) : now;
    this.accounts.set(account, { earliest, day: this.dayOf(now), count: history.sentToday });
  }

  /** The start of `now`'s calendar day in the configured time zone. */
  startOfDay(now: Date): Date {
    return DateTime.fromJSDate(now, { zone: this.limits.timeZone }).startOf('day').toJSDate();
  }

  private sentOn(account: string, day: string): number {
    const state = this.accounts.get(account);
    return state?.day === day ? state.count : 0;
  }

  private afterInterval(sentAt: Date): Date {
    const jitter = Math.floor(this.random() * this.limits.jitterMs);
    return new Date(sentAt.getTime() + this.limits.intervalMs + jitter);
  }

  private dayOf(now: Date): string {
    return DateTime.fromJSDate(now, { zone: this.limits.timeZone }).toISODate()!;
  }

  private startOfNextDay(now: Date): Date {
    return DateTime.fromJSDate(now, { zone: this.limits.timeZone }).startOf('day').plus({ days: 1 }).toJSDate();
  }
}
