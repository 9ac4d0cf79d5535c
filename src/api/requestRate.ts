import type { Middleware } from 'koa';
import { ApiError } from './errors';

/** Keys remembered at most; beyond it the stalest are forgotten so a flood cannot grow memory. */
const MAX_KEYS = 20_000;
const WINDOW_MS = 60_000;

/**
 * Requests per key (a token, a session's account, a client address) in a fixed one-minute
 * window, in memory and per instance: enough to keep one caller from starving the others.
 */
export class RequestRate {
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

  /** 429 with Retry-After once `key` has made its requests of the minute. */
  check(key: string, now: number): void {
    const retryAfter = this.take(key, now);
    if (retryAfter > 0) {
      throw new ApiError(429, 'rate_limited', `too many requests; try again in ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) });
    }
  }
}

/** Limits requests per client address (ctx.ip: X-Forwarded-For only when a trusted proxy sets it). */
export function perAddress(rate: RequestRate, clock: () => Date): Middleware {
  return async (ctx, next) => {
    rate.check(`address:${ctx.ip}`, clock().getTime());
    await next();
  };
}
