import { DateTime } from 'luxon';
import { SendDeferred, SendFailure } from '../../src/channel';
import type { Db } from '../../src/store/db/database';
import { blockAccountUntil, readPlatformToken } from '../../src/store/messaging/platformTokens';
import { ERRCODE, postJson, tokenRefused, type PlatformReply } from './platformCall';
import { SharedAccessToken, TokenUnavailable, type IssuedToken } from './sharedToken';

/** Counts each platform call by method and errcode (/metrics). */
export interface PlatformCallMetrics {
  platformCall(channel: string, method: string, errcode: number): void;
}

export interface OfficialApiOptions {
  /** wechat-mp or wecom. */
  channel: string;
  /** The configured account's name. */
  accountName: string;
  /** https://api.weixin.qq.com, https://qyapi.weixin.qq.com or a 政务微信 host. */
  apiBase: string;
  db: Db;
  /** This instance, as token lease owner. */
  owner: string;
  clock: () => Date;
  timeZone: string;
  fetch?: typeof fetch;
  metrics?: PlatformCallMetrics;
}

/** How long to wait for a token another instance is refreshing. */
const TOKEN_WAIT_MS = 5_000;

/**
 * An official account's API, as the 服务号 and WeCom share it: the access token cached in the
 * database for every instance, and calls that read the errcode inside HTTP 200. A refused token
 * (40001/40014/42001) is refreshed and the call repeated once; 45009 (daily quota) stops every
 * instance's sends until the next local day. Each platform says how a token is issued.
 */
export abstract class OfficialApi {
  readonly token: SharedAccessToken;
  protected readonly fetchImpl: typeof fetch;
  private stoppedUntil: Date | null = null;

  constructor(protected readonly base: OfficialApiOptions) {
    this.fetchImpl = base.fetch ?? fetch;
    this.token = new SharedAccessToken({ db: base.db, account: this.key, owner: base.owner, clock: base.clock, issue: (force) => this.issueToken(force) });
  }

  /** The platform's token endpoint; `force` after the platform refused the stored token. */
  protected abstract issueToken(force: boolean): Promise<IssuedToken>;

  /** The row key of this account's token, quota stop and rate counts: channel/account. */
  get key(): string {
    return `${this.base.channel}/${this.base.accountName}`;
  }

  /** The start of the next local day, when WeChat's daily quotas restart. */
  nextDay(): Date {
    return DateTime.fromJSDate(this.base.clock()).setZone(this.base.timeZone).plus({ days: 1 }).startOf('day').toJSDate();
  }

  /** POSTs to an API path with the access token; returns the platform's reply (errcode 0 or another). */
  async call(method: string, path: string, body: unknown): Promise<PlatformReply> {
    let accessToken = await this.accessToken();
    let reply = await this.post(method, path, accessToken, body);
    if (tokenRefused(reply)) {
      await this.token.refused(accessToken);
      accessToken = await this.accessToken();
      reply = await this.post(method, path, accessToken, body);
    }
    if (reply.errcode === ERRCODE.dailyQuota) return this.stopSending('the account’s daily API quota is used up (45009)');
    return reply;
  }

  /** Deferred while the account's daily quota is used up, as any instance found it. */
  async checkQuota(): Promise<void> {
    const { blockedUntil } = await readPlatformToken(this.base.db, this.key);
    this.stoppedUntil = blockedUntil;
    if (blockedUntil && blockedUntil > this.base.clock()) throw new SendDeferred('the account’s daily quota is used up', blockedUntil);
  }

  /** Every instance stops sending through the account until the next local day: its daily quota is used up. */
  async stopSending(reason: string): Promise<never> {
    const until = this.nextDay();
    await blockAccountUntil(this.base.db, this.key, until);
    this.stoppedUntil = until;
    throw new SendDeferred(reason, until);
  }

  /** For /healthz: until when the daily quota stops sends, as this instance last saw it. */
  quotaUsedUntil(): string | null {
    return this.stoppedUntil && this.stoppedUntil > this.base.clock() ? this.stoppedUntil.toISOString() : null;
  }

  /**
   * A photo or voice note a person sent (media/get), when it is at most `maxBytes`; null when the
   * platform has none, it is larger (then it is not downloaded) or the platform is slow: the
   * message is kept without it. The token is refreshed once if refused.
   */
  async media(mediaId: string, maxBytes: number, timeoutMs = 3_000): Promise<{ data: Buffer; mimeType: string | undefined } | null> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const accessToken = await this.accessToken().catch(() => null);
      if (!accessToken) return null;
      const query = new URLSearchParams({ access_token: accessToken, media_id: mediaId });
      const response = await this.fetchImpl(`${this.base.apiBase}/cgi-bin/media/get?${query}`, { signal: AbortSignal.timeout(timeoutMs) }).catch(() => null);
      if (!response?.ok) return null;
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('json') || type.includes('text/plain')) {
        const reply = (await response.json().catch(() => ({}))) as PlatformReply;
        this.count('media_get', reply);
        if (attempt === 0 && tokenRefused(reply)) {
          await this.token.refused(accessToken);
          continue;
        }
        return null;
      }
      this.count('media_get', {});
      if (Number(response.headers.get('content-length') ?? 0) > maxBytes) return null;
      const data = Buffer.from(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
      return data.length === 0 || data.length > maxBytes ? null : { data, mimeType: type.split(';')[0] || undefined };
    }
    return null;
  }

  /** Counts a platform call for /metrics. */
  protected count(method: string, reply: PlatformReply): void {
    this.base.metrics?.platformCall(this.base.channel, method, reply.errcode ?? 0);
  }

  /** A token endpoint's answer, or a SendFailure naming its errcode. */
  protected issued(method: string, reply: PlatformReply): IssuedToken {
    this.count(method, reply);
    if (typeof reply.access_token !== 'string' || typeof reply.expires_in !== 'number') throw new SendFailure(`${method} refused (errcode ${reply.errcode ?? 'none'})`);
    return { accessToken: reply.access_token, expiresInSeconds: reply.expires_in };
  }

  private async post(method: string, path: string, accessToken: string, body: unknown): Promise<PlatformReply> {
    const reply = await postJson(`${this.base.apiBase}${path}?access_token=${encodeURIComponent(accessToken)}`, body, this.fetchImpl);
    this.count(method, reply);
    return reply;
  }

  private async accessToken(): Promise<string> {
    try {
      return await this.token.get();
    } catch (error) {
      if (error instanceof TokenUnavailable) throw new SendDeferred(error.message, new Date(this.base.clock().getTime() + TOKEN_WAIT_MS));
      throw error;
    }
  }
}
