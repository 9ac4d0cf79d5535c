import { SendFailure } from '../../src/channel';
import type { WechatMpAccount } from '../../src/config';
import { OfficialApi, type OfficialApiOptions } from '../weixin/officialApi';
import { postJson } from '../weixin/platformCall';
import type { IssuedToken } from '../weixin/sharedToken';

export const WECHAT_MP_CHANNEL = 'wechat-mp';

export type { PlatformCallMetrics } from '../weixin/officialApi';

export type MpApiOptions = Omit<OfficialApiOptions, 'channel' | 'accountName' | 'apiBase'> & { account: WechatMpAccount };

/** One 服务号's API: its access token through stable_token, which hands every caller the same token. */
export class MpApi extends OfficialApi {
  private readonly account: WechatMpAccount;

  constructor({ account, ...options }: MpApiOptions) {
    super({ ...options, channel: WECHAT_MP_CHANNEL, accountName: account.name, apiBase: account.apiBase });
    this.account = account;
  }

  protected async issueToken(force: boolean): Promise<IssuedToken> {
    const { appId, appSecret, apiBase } = this.account;
    const reply = await postJson(`${apiBase}/cgi-bin/stable_token`, { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: force }, this.fetchImpl);
    return this.issued('stable_token', reply);
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
