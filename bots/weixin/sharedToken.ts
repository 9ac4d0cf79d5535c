import type { Db } from '../../src/store/db/database';
import {
  markTokenExpired,
  readPlatformToken,
  releaseTokenRefreshLease,
  saveRefreshedToken,
  takeTokenRefreshLease,
} from '../../src/store/messaging/platformTokens';

/** What the platform's token endpoint gave: the token and its lifetime. */
export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export interface SharedTokenOptions {
  db: Db;
  /** channel/account, the row's key. */
  account: string;
  /** This instance, as lease owner. */
  owner: string;
  clock: () => Date;
  /** Calls the platform (stable_token, gettoken); `force` after the platform refused the stored token. */
  issue: (force: boolean) => Promise<IssuedToken>;
  /** Refresh this long before expiry, so no send meets an expired token. */
  marginMs?: number;
  leaseMs?: number;
}

/** Whether an account's token is usable, as /healthz shows it. */
export type TokenState = 'valid' | 'expired' | 'missing' | 'refresh_failed';

/** No usable token now: another instance is refreshing it, or the platform would not issue one. */
export class TokenUnavailable extends Error {
  override name = 'TokenUnavailable';
}

const DEFAULT_MARGIN_MS = 5 * 60_000;
const DEFAULT_LEASE_MS = 30_000;

/**
 * An official account's access token, cached in the database for every instance. It is refreshed
 * before it expires by one instance at a time, under a lease; the others keep using the current
 * token meanwhile. WeChat counts token requests per day, and stable_token hands every caller the
 * same token, so instances never refresh it from under each other.
 */
export class SharedAccessToken {
  private lastState: TokenState = 'missing';
  private expiresAt: Date | null = null;
  private readonly marginMs: number;
  private readonly leaseMs: number;
  /** A refresh this instance forces after a refusal: the next issue() asks for a new token. */
  private forceNext = false;

  constructor(private readonly options: SharedTokenOptions) {
    this.marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** For /healthz: the state and expiry this instance last saw, never the token itself. */
  state(): { token: TokenState; tokenExpiresAt: string | null } {
    const expired = this.lastState === 'valid' && this.expiresAt !== null && this.expiresAt <= this.options.clock();
    return { token: expired ? 'expired' : this.lastState, tokenExpiresAt: this.expiresAt?.toISOString() ?? null };
  }

  /** Reads the shared token's state without refreshing it (at start, so /healthz knows it at once). */
  async look(): Promise<void> {
    const stored = await readPlatformToken(this.options.db, this.options.account);
    this.expiresAt = stored.accessToken ? stored.expiresAt : null;
    if (this.lastState !== 'refresh_failed') this.lastState = stored.accessToken && this.expiresAt && this.expiresAt > this.options.clock() ? 'valid' : 'missing';
  }

  /** A token valid now; refreshed first when it is near its expiry. */
  async get(): Promise<string> {
    const { db, account, owner, clock } = this.options;
    const now = clock();
    const stored = await readPlatformToken(db, account);
    const expiresAt = stored.expiresAt?.getTime() ?? 0;
    if (stored.accessToken && expiresAt - this.marginMs > now.getTime()) {
      this.lastState = 'valid';
      this.expiresAt = stored.expiresAt;
      this.forceNext = false;
      return stored.accessToken;
    }
    if (!(await takeTokenRefreshLease(db, account, owner, now, this.leaseMs))) {
      // Another instance is refreshing: the current token serves until it expires.
      if (stored.accessToken && expiresAt > now.getTime()) return stored.accessToken;
      throw new TokenUnavailable('another instance is refreshing the access token');
    }
    try {
      const issued = await this.options.issue(this.forceNext);
      this.forceNext = false;
      this.expiresAt = new Date(now.getTime() + issued.expiresInSeconds * 1000);
      await saveRefreshedToken(db, account, owner, { accessToken: issued.accessToken, expiresAt: this.expiresAt }, now);
      this.lastState = 'valid';
      return issued.accessToken;
    } catch (error) {
      await releaseTokenRefreshLease(db, account, owner);
      this.lastState = 'refresh_failed';
      throw error;
    }
  }

  /** The platform refused this token (40001/42001): the next get() refreshes it, once for all instances. */
  async refused(accessToken: string): Promise<void> {
    this.forceNext = true;
    await markTokenExpired(this.options.db, this.options.account, accessToken);
  }
}
