/** Failed logins allowed per client address within the window before it is refused for a while. */
export const FAILED_LOGIN_LIMIT = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
/** Addresses remembered at most; beyond it the stalest are forgotten so a flood cannot grow memory. */
const MAX_ADDRESSES = 10_000;

/**
 * Counts failed logins per client address in memory: guessing tokens from one address gets
 * slow. Per instance; a restart forgets, which is acceptable for 256-bit secrets.
 */
export class FailedLogins {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = FAILED_LOGIN_LIMIT,
    private readonly windowMs = FAILED_LOGIN_WINDOW_MS,
  ) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfterSeconds(address: string, now: number): number {
    const recent = this.recent(address, now);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit]! + this.windowMs - now) / 1000));
  }

  record(address: string, now: number): void {
    const recent = this.recent(address, now);
    recent.push(now);
    this.failures.delete(address);
    this.failures.set(address, recent);
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(address: string, now: number): number[] {
    return (this.failures.get(address) ?? []).filter((at) => now - at < this.windowMs);
  }
}
