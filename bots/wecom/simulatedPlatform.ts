import { DateTime } from 'luxon';
import { encryptMessage, wechatSignature } from '../weixin/msgCrypt';
import { passiveReplyOf, postText, SimulatedServer, type SimulatedReply } from '../weixin/simulatedServer';
import { wechatXml } from '../weixin/xml';

export interface WecomAppSecrets {
  name: string;
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  /** Messages (人次) the application may send a local day; beyond them WeCom answers 45009. */
  dailyQuota?: number;
}

export type AppMessage = { to: string; msgtype: 'text'; text: string; at: Date } | { to: string; msgtype: 'textcard'; title: string; description: string; url: string; at: Date };

const TOKEN_SECONDS = 7200;
const MEMBER_PER_MINUTE = 30;
const ROBOT_PER_MINUTE = 20;

/**
 * WeCom (企业微信 / 政务微信) as its documents describe it, on a fake clock: gettoken, message/send
 * (a member's messages beyond 30 a minute are dropped without an error, as WeCom does; the
 * application's daily quota, then 45009), group
 * robots (20 a minute, then errcode 45009), and members whose messages reach the service as
 * encrypted callbacks signed with msg_signature.
 */
export class SimulatedWecom extends SimulatedServer {
  readonly delivered: AppMessage[] = [];
  /** Messages WeCom accepted and silently dropped: the service must never cause one. */
  readonly dropped: AppMessage[] = [];
  readonly robotPosts: Array<{ key: string; text: string; at: Date }> = [];
  tokensIssued = 0;
  /** message/send calls refused because the day's quota was used up: the service should count ahead and cause none. */
  quotaRefusals = 0;
  private readonly tokens = new Map<string, Date>();
  private messageSequence = 0;

  constructor(
    private readonly app: WecomAppSecrets,
    private readonly clock: () => Date,
    private readonly serviceUrl: () => string,
  ) {
    super();
  }

  robotUrl(key: string): string {
    return `${this.url}/cgi-bin/webhook/send?key=${key}`;
  }

  deliveredTo(userId: string): AppMessage[] {
    return this.delivered.filter((message) => message.to === userId);
  }

  /** The text a callback's answer shows the member as a passive reply (checked and decrypted); null for an empty acknowledgement. */
  passiveReply(answer: string): { to: string; text: string } | null {
    return passiveReplyOf(answer, { token: this.app.token, encodingAesKey: this.app.encodingAesKey, receiverId: this.app.corpId });
  }

  /** A member writing to the application in WeCom. */
  member(userId: string) {
    return {
      says: (text: string, msgId = `${Math.floor(this.clock().getTime() / 1000)}${String(++this.messageSequence).padStart(6, '0')}`) =>
        this.signedPush({ FromUserName: userId, CreateTime: Math.floor(this.clock().getTime() / 1000), MsgType: 'text', Content: text, MsgId: msgId, AgentID: this.app.agentId }).post(),
    };
  }

  /** An encrypted, signed push as WeCom posts it; post() can be repeated as WeCom's retries are. */
  signedPush(fields: Record<string, string | number>, options: { token?: string; corpId?: string } = {}) {
    const encrypted = encryptMessage(this.app.encodingAesKey, wechatXml({ ToUserName: this.app.corpId, ...fields }), options.corpId ?? this.app.corpId);
    const query = this.signed(encrypted, options.token);
    const url = `${this.serviceUrl()}/channels/wecom/${this.app.name}/callback?${query}`;
    const body = wechatXml({ ToUserName: this.app.corpId, AgentID: this.app.agentId, Encrypt: encrypted });
    return { url, body, post: () => postText(url, body) };
  }

  /** WeCom's check of the callback URL: the service must answer the decrypted echostr. */
  async verifyUrl(echo: string): Promise<{ status: number; text: string }> {
    const encrypted = encryptMessage(this.app.encodingAesKey, echo, this.app.corpId);
    const query = this.signed(encrypted);
    query.set('echostr', encrypted);
    const response = await fetch(`${this.serviceUrl()}/channels/wecom/${this.app.name}/callback?${query}`);
    return { status: response.status, text: await response.text() };
  }

  private signed(encrypted: string, token = this.app.token): URLSearchParams {
    const timestamp = String(Math.floor(this.clock().getTime() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    return new URLSearchParams({ msg_signature: wechatSignature(token, timestamp, nonce, encrypted), timestamp, nonce });
  }

  protected handle(url: URL, body: Record<string, unknown>): SimulatedReply {
    const now = this.clock();
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== this.app.corpId || url.searchParams.get('corpsecret') !== this.app.secret) return { errcode: 40001, errmsg: 'invalid credential' };
      const token = `WECOM-TOKEN-${++this.tokensIssued}`;
      this.tokens.set(token, new Date(now.getTime() + TOKEN_SECONDS * 1000));
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: TOKEN_SECONDS };
    }
    if (url.pathname === '/cgi-bin/webhook/send') {
      const minute = now.getTime() - (now.getTime() % 60_000);
      const key = url.searchParams.get('key') ?? '';
      if (this.robotPosts.filter((post) => post.key === key && post.at.getTime() >= minute).length >= ROBOT_PER_MINUTE) return { errcode: 45009, errmsg: 'api freq out of limit' };
      this.robotPosts.push({ key, text: (body.text as { content: string }).content, at: now });
      return { errcode: 0, errmsg: 'ok' };
    }
    const expiresAt = this.tokens.get(url.searchParams.get('access_token') ?? '');
    if (!expiresAt) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (expiresAt <= now) return { errcode: 42001, errmsg: 'access_token expired' };
    if (url.pathname === '/cgi-bin/media/get') return this.mediaGet(url);
    if (url.pathname !== '/cgi-bin/message/send') return { errcode: 40066, errmsg: 'invalid url' };
    if (body.agentid !== this.app.agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
    const to = String(body.touser);
    const card = body.textcard as { title: string; description: string; url: string } | undefined;
    const message: AppMessage =
      body.msgtype === 'textcard' && card
        ? { to, msgtype: 'textcard', title: card.title, description: card.description, url: card.url, at: now }
        : { to, msgtype: 'text', text: (body.text as { content: string }).content, at: now };
    const today = DateTime.fromJSDate(now).setZone('Asia/Shanghai').startOf('day').toMillis();
    const sentToday = [...this.delivered, ...this.dropped].filter((sent) => sent.at.getTime() >= today).length;
    if (this.app.dailyQuota !== undefined && sentToday >= this.app.dailyQuota) {
      this.quotaRefusals += 1;
      return { errcode: 45009, errmsg: 'api freq out of limit' };
    }
    const minute = now.getTime() - (now.getTime() % 60_000);
    const thisMinute = this.delivered.filter((sent) => sent.to === to && sent.at.getTime() >= minute).length;
    (thisMinute >= MEMBER_PER_MINUTE ? this.dropped : this.delivered).push(message);
    return { errcode: 0, errmsg: 'ok', invaliduser: '' };
  }
}
