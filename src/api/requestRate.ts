import type { Middleware } from 'koa';
import type { Db } from '../store/db/database';
import { takeRateSlot } from '../store/messaging/rateCounts';
import { ApiError } from './errors';

/** Keys remembered at most; beyond it the stalest are forgotten so a flood cannot grow memory. */
const MAX_KEYS = 20_000;
const WINDOW_MS = 60_000;

/** Counts requests per key in one-minute windows: the seconds to wait when one is too many, else 0. */
export interface RateCounter {
  take(key: string, now: number): number | Promise<number>;
}

/**
 * Requests per key (a token, a session's account, a client address) in a fixed one-minute
 * window, in memory and per instance: enough on SQLite, which one instance serves.
 */
export class RequestRate implements RateCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts one request; the seconds to wait when it is one too many, else 0. */
  take(key: string, now: number): number {
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      window = { start: now, count: 0 };
      this.windows.delete(key);
      this.windows.set(key, window);
      if (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
    }
    window.count += 1;
    if (window.count <= this.perMinute) return 0;
    return Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
  }

}

/**
 * The same windows counted in the database (RateCount, one conditional UPDATE a request), so
 * several instances on one PostgreSQL database share each caller's budget rather than each
 * granting it in full. Ended windows go with the platform-limits-purge job.
 */
export class SharedRequestRate implements RateCounter {
  constructor(
    private readonly db: Db,
    private readonly perMinute: number,
  ) {}

  async take(key: string, now: number): Promise<number> {
    const start = now - (now % WINDOW_MS);
    const taken = await takeRateSlot(this.db, { key: `rate:${key}:${start}`, limit: this.perMinute, expiresAt: new Date(start + WINDOW_MS) });
    return taken ? 0 : Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000));
  }
}

/** 429 with Retry-After once `key` has made its requests of the minute. */
export async function checkRate(rate: RateCounter, key: string, now: number): Promise<void> {
  const retryAfter = await rate.take(key, now);
  if (retryAfter > 0) {
    throw new ApiError(429, 'rate_limited', `too many requests; try again in ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) });
  }
}

/** Limits requests per client address (ctx.ip: X-Forwarded-For only when a trusted proxy sets it). */
export function perAddress(rate: RateCounter, clock: () => Date): Middleware {
  return async (ctx, next) => {
    await checkRate(rate, `address:${ctx.ip}`, clock().getTime());
    await next();
  };
}
