import { DateTime } from 'luxon';
import { SendDeferred, SendFailure } from '../../src/channel';
import type { WechatMpAccount } from '../../src/config';
import type { Db } from '../../src/store/database';
import { blockAccountUntil } from '../../src/store/platformTokens';
import { ERRCODE, postJson, tokenRefused, type PlatformReply } from '../weixin/platformCall';
import { SharedAccessToken, TokenUnavailable } from '../weixin/sharedToken';

export const WECHAT_MP_CHANNEL = 'wechat-mp';

/** Counts each platform call by method and errcode (/metrics). */
export interface PlatformCallMetrics {
  platformCall(channel: string, method: string, errcode: number): void;
}

export interface MpApiOptions {
  account: WechatMpAccount;
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
 * One 服务号's API: the shared access token (stable_token), and calls that read WeChat's errcode
 * inside HTTP 200: a refused token is refreshed and the call repeated once; 45009 (daily quota)
 * stops every instance's sends until the next day.
 */
export class MpApi {
  readonly token: SharedAccessToken;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: MpApiOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    const { account } = options;
    this.token = new SharedAccessToken({
      db: options.db,
      account: this.key,
      owner: options.owner,
      clock: options.clock,
      issue: async (force) => {
        const reply = await postJson(
          `${account.apiBase}/cgi-bin/stable_token`,
          { grant_type: 'client_credential', appid: account.appId, secret: account.appSecret, force_refresh: force },
          this.fetchImpl,
        );
        options.metrics?.platformCall(WECHAT_MP_CHANNEL, 'stable_token', reply.errcode ?? 0);
        if (typeof reply.access_token !== 'string' || typeof reply.expires_in !== 'number') throw new SendFailure(`stable_token refused (errcode ${reply.errcode ?? 'none'})`);
        return { accessToken: reply.access_token, expiresInSeconds: reply.expires_in };
      },
    });
  }

  /** The row key of this account's token and quota stop. */
  get key(): string {
    return `${WECHAT_MP_CHANNEL}/${this.options.account.name}`;
  }

  /** POSTs to an API path with the access token; returns WeChat's reply (errcode 0 or another). */
  async call(method: string, path: string, body: unknown): Promise<PlatformReply> {
    let accessToken = await this.accessToken();
    let reply = await this.post(method, path, accessToken, body);
    if (tokenRefused(reply)) {
      await this.token.refused(accessToken);
      accessToken = await this.accessToken();
      reply = await this.post(method, path, accessToken, body);
    }
    if (reply.errcode === ERRCODE.dailyQuota) {
      const until = nextLocalDay(this.options.clock(), this.options.timeZone);
      await blockAccountUntil(this.options.db, this.key, until);
      throw new SendDeferred('the account’s daily API quota is used up (45009)', until);
    }
    return reply;
  }

  private async post(method: string, path: string, accessToken: string, body: unknown): Promise<PlatformReply> {
    const reply = await postJson(`${this.options.account.apiBase}${path}?access_token=${encodeURIComponent(accessToken)}`, body, this.fetchImpl);
    this.options.metrics?.platformCall(WECHAT_MP_CHANNEL, method, reply.errcode ?? 0);
    return reply;
  }

  private async accessToken(): Promise<string> {
    try {
      return await this.token.get();
    } catch (error) {
      if (error instanceof TokenUnavailable) throw new SendDeferred(error.message, new Date(this.options.clock().getTime() + TOKEN_WAIT_MS));
      throw error;
    }
  }

  /** The content of a parametric QR code (QR_STR_SCENE) that follows the account with `scene`, valid for `seconds`. */
  async sceneQr(scene: string, seconds: number): Promise<{ url: string; expiresInSeconds: number }> {
    const reply = await this.call('qrcode_create', '/cgi-bin/qrcode/create', {
      expire_seconds: Math.min(seconds, 2_592_000),
      action_name: 'QR_STR_SCENE',
      action_info: { scene: { scene_str: scene } },
    });
    if (typeof reply.url !== 'string') throw new SendFailure(`qrcode/create refused (errcode ${reply.errcode ?? 'none'})`);
    return { url: reply.url, expiresInSeconds: typeof reply.expire_seconds === 'number' ? reply.expire_seconds : seconds };
  }
}

/** WeChat's daily quotas restart at local midnight. */
function nextLocalDay(now: Date, timeZone: string): Date {
  return DateTime.fromJSDate(now).setZone(timeZone).plus({ days: 1 }).startOf('day').toJSDate();
}
