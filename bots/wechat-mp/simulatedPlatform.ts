import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { encryptMessage, wechatSignature } from '../weixin/msgCrypt';
import { passiveReplyOf, postText, SimulatedServer, type SimulatedReply } from '../weixin/simulatedServer';
import { wechatXml } from '../weixin/xml';

export interface MpAccountSecrets {
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey?: string;
}

/** What the simulated platform delivered to a follower. */
export type Delivered =
  | { method: 'custom'; to: string; text: string; at: Date }
  | { method: 'template' | 'subscribe'; to: string; templateId: string; data: Record<string, { value: string }>; at: Date };

const WINDOW_MS = 48 * 3_600_000;
const TOKEN_SECONDS = 7200;

/**
 * WeChat's 服务号 platform as the official documents describe it, on a fake clock: stable_token
 * (one token per account, valid 7200 s, renewed in its last five minutes), 客服消息 only within 48 hours of a follower's last message
 * and 5 times per window (45015 / 45047), template messages to followers, a daily API quota
 * (45009 until local midnight), 40001 for a token it no longer knows and 42001 for an expired one,
 * errcodes inside HTTP 200. Followers post signed (and in safe mode encrypted) callbacks to the
 * service the way WeChat does.
 */
export class SimulatedMpPlatform extends SimulatedServer {
  readonly delivered: Delivered[] = [];
  /** Template and subscription sends refused with 43101. */
  refusedCalls = 0;
  /** stable_token calls that issued a new token. */
  tokensIssued = 0;
  private readonly tokens = new Map<string, Date>();
  private current: string | undefined;
  private readonly lastInteraction = new Map<string, Date>();
  private readonly windowCount = new Map<string, number>();
  private readonly following = new Set<string>();
  private readonly refused = new Set<string>();
  /** Subscription notices each follower accepted (订阅通知: only those may be sent). */
  private readonly subscriptions = new Set<string>();
  private quotaSpentOn: string | undefined;
  private readonly scenes = new Map<string, string>();
  /** MsgIds are unique across the platform. */
  private messageSequence = 0;

  constructor(
    private readonly account: MpAccountSecrets,
    private readonly clock: () => Date,
    private readonly serviceUrl: () => string,
  ) {
    super();
  }

  /** WeChat forgets every token it issued (as when the secret is reset): the next call gets 40001. */
  revokeTokens(): void {
    this.tokens.clear();
    this.current = undefined;
  }

  /** The account's daily quota of API calls is used up for the rest of the local day. */
  spendDailyQuota(): void {
    this.quotaSpentOn = this.localDay();
  }

  /** The follower turned off this template in WeChat: sends of it get 43101. */
  refuseTemplate(openId: string, templateId: string): void {
    this.refused.add(`${openId}/${templateId}`);
  }

  /** The follower accepted this subscription notice in WeChat. */
  acceptSubscription(openId: string, templateId: string): void {
    this.subscriptions.add(`${openId}/${templateId}`);
  }

  /** The scene of each parametric QR code issued, by its url. */
  qrScenes(): Map<string, string> {
    return new Map(this.scenes);
  }

  deliveredTo(openId: string): Delivered[] {
    return this.delivered.filter((message) => message.to === openId);
  }

  /** The text a callback's answer shows the follower as a passive reply (decrypted in safe mode); null for a plain `success`. */
  passiveReply(answer: string): { to: string; text: string } | null {
    return passiveReplyOf(answer, { token: this.account.token, encodingAesKey: this.account.encodingAesKey, receiverId: this.account.appId });
  }

  /** A follower of the account, who writes to it as WeChat would deliver. */
  follower(openId: string) {
    const push = (fields: Record<string, string | number>) => this.push(openId, fields);
    const createTime = () => Math.floor(this.clock().getTime() / 1000);
    const msgId = () => `${createTime()}${String(++this.messageSequence).padStart(6, '0')}`;
    return {
      openId,
      follows: () => push({ MsgType: 'event', Event: 'subscribe', EventKey: '', CreateTime: createTime() }),
      /** Scans a parametric QR code (the url qrcode/create gave) and follows. */
      scans: (qrUrl: string) => push({ MsgType: 'event', Event: 'subscribe', EventKey: `qrscene_${this.scenes.get(qrUrl) ?? 'unknown'}`, CreateTime: createTime() }),
      unfollows: () => push({ MsgType: 'event', Event: 'unsubscribe', EventKey: '', CreateTime: createTime() }),
      says: (text: string, id = msgId()) => push({ MsgType: 'text', Content: text, MsgId: id, CreateTime: createTime() }),
      /** A voice note (keepMedia its MediaId for its audio); `recognition` when the account has speech recognition on. */
      speaks: (recognition?: string, mediaId = 'media-1') =>
        push({ MsgType: 'voice', MediaId: mediaId, Format: 'amr', ...(recognition === undefined ? {} : { Recognition: recognition }), MsgId: msgId(), CreateTime: createTime() }),
      /** A photo (keepMedia its MediaId for its bytes). */
      sendsPhoto: (mediaId: string) => push({ MsgType: 'image', PicUrl: `http://mmbiz.qpic.cn/${mediaId}`, MediaId: mediaId, MsgId: msgId(), CreateTime: createTime() }),
    };
  }

  /** Signs (and encrypts, in safe mode) a push and posts it to the service's callback; the request can be posted again as WeChat's retries are. */
  signedPush(openId: string, fields: Record<string, string | number>, options: { timestamp?: number; token?: string; aesKey?: string; appId?: string } = {}) {
    const inner = wechatXml({ ToUserName: 'gh_simulated', FromUserName: openId, ...fields });
    const timestamp = String(options.timestamp ?? Math.floor(this.clock().getTime() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const token = options.token ?? this.account.token;
    const query = new URLSearchParams({ signature: wechatSignature(token, timestamp, nonce), timestamp, nonce, openid: openId });
    let body = inner;
    const aesKey = options.aesKey ?? this.account.encodingAesKey;
    if (aesKey) {
      const encrypted = encryptMessage(aesKey, inner, options.appId ?? this.account.appId);
      query.set('encrypt_type', 'aes');
      query.set('msg_signature', wechatSignature(token, timestamp, nonce, encrypted));
      body = wechatXml({ ToUserName: 'gh_simulated', Encrypt: encrypted });
    }
    const url = `${this.serviceUrl()}/channels/wechat-mp/${this.account.name}/callback?${query}`;
    return { url, body, post: () => postText(url, body) };
  }

  private async push(openId: string, fields: Record<string, string | number>) {
    if (fields.Event === 'unsubscribe') this.following.delete(openId);
    else {
      this.following.add(openId);
      this.lastInteraction.set(openId, this.clock());
      this.windowCount.set(openId, 0);
    }
    return this.signedPush(openId, fields).post();
  }

  protected handle(url: URL, body: Record<string, unknown>): SimulatedReply {
    if (url.pathname === '/cgi-bin/stable_token') return this.stableToken(body);
    const refusal = this.checkToken(url.searchParams.get('access_token'));
    if (refusal) return refusal;
    if (this.quotaSpentOn === this.localDay()) return { errcode: 45009, errmsg: 'reach max api daily quota limit' };
    switch (url.pathname) {
      case '/cgi-bin/media/get':
        return this.mediaGet(url);
      case '/cgi-bin/message/custom/send':
        return this.custom(body);
      case '/cgi-bin/message/template/send':
        return this.template(body);
      case '/cgi-bin/message/subscribe/bizsend':
        return this.subscriptionNotice(body);
      case '/cgi-bin/qrcode/create': {
        const scene = (body.action_info as { scene: { scene_str: string } }).scene.scene_str;
        const qrUrl = `http://weixin.qq.com/q/${randomBytes(8).toString('hex')}`;
        this.scenes.set(qrUrl, scene);
        return { ticket: `ticket-${scene}`, expire_seconds: body.expire_seconds, url: qrUrl };
      }
      default:
        return { errcode: 40066, errmsg: 'invalid url' };
    }
  }

  private stableToken(body: Record<string, unknown>): Record<string, unknown> {
    if (body.appid !== this.account.appId || body.secret !== this.account.appSecret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    const now = this.clock();
    const expiresAt = this.current ? this.tokens.get(this.current) : undefined;
    // WeChat renews a stable token in its last five minutes; the old one stays valid until it expires.
    if (body.force_refresh === true || !this.current || !expiresAt || expiresAt.getTime() - now.getTime() <= 300_000) {
      this.current = `TOKEN-${++this.tokensIssued}`;
      this.tokens.set(this.current, new Date(now.getTime() + TOKEN_SECONDS * 1000));
      return { access_token: this.current, expires_in: TOKEN_SECONDS };
    }
    return { access_token: this.current, expires_in: Math.floor((expiresAt.getTime() - now.getTime()) / 1000) };
  }

  private checkToken(token: string | null): Record<string, unknown> | null {
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (!expiresAt) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (expiresAt <= this.clock()) return { errcode: 42001, errmsg: 'access_token expired' };
    return null;
  }

  private custom(body: Record<string, unknown>): Record<string, unknown> {
    const to = String(body.touser);
    if (!this.following.has(to)) return { errcode: 43004, errmsg: 'require subscribe' };
    const last = this.lastInteraction.get(to);
    if (!last || this.clock().getTime() - last.getTime() >= WINDOW_MS) return { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' };
    const count = this.windowCount.get(to) ?? 0;
    if (count >= 5) return { errcode: 45047, errmsg: 'out of response count limit' };
    this.windowCount.set(to, count + 1);
    this.delivered.push({ method: 'custom', to, text: (body.text as { content: string }).content, at: this.clock() });
    return { errcode: 0, errmsg: 'ok' };
  }

  private template(body: Record<string, unknown>): Record<string, unknown> {
    const to = String(body.touser);
    const templateId = String(body.template_id);
    if (!this.following.has(to)) return { errcode: 43004, errmsg: 'require subscribe' };
    if (this.refused.has(`${to}/${templateId}`)) return this.refusal();
    this.delivered.push({ method: 'template', to, templateId, data: body.data as Record<string, { value: string }>, at: this.clock() });
    return { errcode: 0, errmsg: 'ok', msgid: this.delivered.length };
  }

  private subscriptionNotice(body: Record<string, unknown>): Record<string, unknown> {
    const to = String(body.touser);
    const templateId = String(body.template_id);
    if (!this.subscriptions.has(`${to}/${templateId}`)) return this.refusal();
    this.delivered.push({ method: 'subscribe', to, templateId, data: body.data as Record<string, { value: string }>, at: this.clock() });
    return { errcode: 0, errmsg: 'ok' };
  }

  private refusal(): Record<string, unknown> {
    this.refusedCalls += 1;
    return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
  }

  private localDay(): string {
    return DateTime.fromJSDate(this.clock()).setZone('Asia/Shanghai').toISODate()!;
  }
}

export { postText };
