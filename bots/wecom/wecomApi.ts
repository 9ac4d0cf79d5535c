import { DateTime } from 'luxon';
import { SendDeferred, SendFailure } from '../../src/channel';
import type { WecomAccount } from '../../src/config';
import type { Db } from '../../src/store/database';
import { blockAccountUntil } from '../../src/store/platformTokens';
import { ERRCODE, getJson, postJson, tokenRefused, type PlatformReply } from '../weixin/platformCall';
import { SharedAccessToken, TokenUnavailable } from '../weixin/sharedToken';

export const WECOM_CHANNEL = 'wecom';

export interface WecomApiOptions {
  account: WecomAccount;
  db: Db;
  owner: string;
  clock: () => Date;
  timeZone: string;
  fetch?: typeof fetch;
  metrics?: { platformCall(channel: string, method: string, errcode: number): void };
}

const TOKEN_WAIT_MS = 5_000;

/**
 * One WeCom (or 政务微信, by apiBase) self-built application's API: the shared access token
 * (gettoken) and calls that read the errcode inside HTTP 200, as on the 服务号.
 */
export class WecomApi {
  readonly token: SharedAccessToken;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: WecomApiOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    const { account } = options;
    this.token = new SharedAccessToken({
      db: options.db,
      account: this.key,
      owner: options.owner,
      clock: options.clock,
      issue: async () => {
        const query = new URLSearchParams({ corpid: account.corpId, corpsecret: account.secret });
        const reply = await getJson(`${account.apiBase}/cgi-bin/gettoken?${query}`, this.fetchImpl);
        options.metrics?.platformCall(WECOM_CHANNEL, 'gettoken', reply.errcode ?? 0);
        if (typeof reply.access_token !== 'string' || typeof reply.expires_in !== 'number') throw new SendFailure(`gettoken refused (errcode ${reply.errcode ?? 'none'})`);
        return { accessToken: reply.access_token, expiresInSeconds: reply.expires_in };
      },
    });
  }

  get key(): string {
    return `${WECOM_CHANNEL}/${this.options.account.name}`;
  }

  async call(method: string, path: string, body: unknown): Promise<PlatformReply> {
    let accessToken = await this.accessToken();
    let reply = await this.post(method, path, accessToken, body);
    if (tokenRefused(reply)) {
      await this.token.refused(accessToken);
      accessToken = await this.accessToken();
      reply = await this.post(method, path, accessToken, body);
    }
    if (reply.errcode === ERRCODE.dailyQuota) {
      const until = DateTime.fromJSDate(this.options.clock()).setZone(this.options.timeZone).plus({ days: 1 }).startOf('day').toJSDate();
      await blockAccountUntil(this.options.db, this.key, until);
      throw new SendDeferred('the application’s daily quota is used up (45009)', until);
    }
    return reply;
  }

  /** Posts to a group robot (消息推送 webhook); its URL carries its own key, no access token. */
  async robot(url: string, text: string): Promise<PlatformReply> {
    const reply = await postJson(url, { msgtype: 'text', text: { content: text } }, this.fetchImpl);
    this.options.metrics?.platformCall(WECOM_CHANNEL, 'robot', reply.errcode ?? 0);
    return reply;
  }

  /**
   * A photo, voice note or video a member sent (media/get), when it is at most `maxBytes`; null
   * when WeCom has none or it is larger (then it is not downloaded). The token is refreshed once if refused.
   */
  async media(mediaId: string, maxBytes: number): Promise<{ data: Buffer; mimeType: string | undefined } | null> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const accessToken = await this.accessToken();
      const query = new URLSearchParams({ access_token: accessToken, media_id: mediaId });
      const response = await this.fetchImpl(`${this.options.account.apiBase}/cgi-bin/media/get?${query}`, { signal: AbortSignal.timeout(4_000) }).catch(() => null);
      if (!response?.ok) return null;
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('json')) {
        const reply = (await response.json().catch(() => ({}))) as PlatformReply;
        this.options.metrics?.platformCall(WECOM_CHANNEL, 'media_get', reply.errcode ?? 0);
        if (attempt === 0 && tokenRefused(reply)) {
          await this.token.refused(accessToken);
          continue;
        }
        return null;
      }
      this.options.metrics?.platformCall(WECOM_CHANNEL, 'media_get', 0);
      if (Number(response.headers.get('content-length') ?? 0) > maxBytes) return null;
      const data = Buffer.from(await response.arrayBuffer());
      return data.length > maxBytes ? null : { data, mimeType: type.split(';')[0] || undefined };
    }
    return null;
  }

  private async post(method: string, path: string, accessToken: string, body: unknown): Promise<PlatformReply> {
    const reply = await postJson(`${this.options.account.apiBase}${path}?access_token=${encodeURIComponent(accessToken)}`, body, this.fetchImpl);
    this.options.metrics?.platformCall(WECOM_CHANNEL, method, reply.errcode ?? 0);
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
}
