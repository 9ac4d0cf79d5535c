import type { WecomAccount } from '../../src/config';
import { OfficialApi, type OfficialApiOptions } from '../weixin/officialApi';
import { getJson, postJson, type PlatformReply } from '../weixin/platformCall';
import type { IssuedToken } from '../weixin/sharedToken';

export const WECOM_CHANNEL = 'wecom';

export type WecomApiOptions = Omit<OfficialApiOptions, 'channel' | 'accountName' | 'apiBase'> & { account: WecomAccount };

/** One WeCom (or 政务微信, by apiBase) self-built application's API: its access token through gettoken, and group robots. */
export class WecomApi extends OfficialApi {
  private readonly account: WecomAccount;

  constructor({ account, ...options }: WecomApiOptions) {
    super({ ...options, channel: WECOM_CHANNEL, accountName: account.name, apiBase: account.apiBase });
    this.account = account;
  }

  protected async issueToken(): Promise<IssuedToken> {
    const query = new URLSearchParams({ corpid: this.account.corpId, corpsecret: this.account.secret });
    return this.issued('gettoken', await getJson(`${this.account.apiBase}/cgi-bin/gettoken?${query}`, this.fetchImpl));
  }

  /** Posts to a group robot (消息推送 webhook); its URL carries its own key, no access token. */
  async robot(url: string, text: string): Promise<PlatformReply> {
    const reply = await postJson(url, { msgtype: 'text', text: { content: text } }, this.fetchImpl);
    this.count('robot', reply);
    return reply;
  }
}
