import type Router from '@koa/router';
import { SendDeferred, SendFailure, type OutboundMessage } from '../../src/channel';
import { MESSAGE_KINDS } from '../../src/texts/keyedMessages';
import type { WechatMpAccount } from '../../src/config';
import { isIdentityUnreachable } from '../../src/store/messaging/identities';
import { lastInbound } from '../../src/store/messaging/inbox';
import { rateSlotsTaken, takeRateSlot } from '../../src/store/messaging/rateCounts';
import { ERRCODE, type PlatformReply } from '../weixin/platformCall';
import { wechatMpRoutes } from './callback';
import { OfficialChannel, type OfficialChannelOptions } from '../weixin/officialChannel';
import { MpApi, WECHAT_MP_CHANNEL } from './mpApi';
import { templateData } from './templateData';

/** A follower's message opens 48 hours in which the account may write freely (客服消息) … */
export const SERVICE_WINDOW_MS = 48 * 3_600_000;
/** … at most this many times. */
export const MESSAGES_PER_WINDOW = 5;
/** A template a follower refused (43101) is not tried again for them for this long. */
const REFUSAL_KEPT_MS = 30 * 86_400_000;

export type WechatMpChannelOptions = OfficialChannelOptions<WechatMpAccount>;

/**
 * The 服务号 (WeChat Service Account) for families. Callbacks are answered at once and handled
 * afterwards; answers and prompts go out as 客服消息 inside a follower's 48-hour window (5 per
 * window), otherwise as the template message or subscription notice configured for the message's key, otherwise they
 * wait for the follower's next message.
 */
export class WechatMpChannel extends OfficialChannel<WechatMpAccount, MpApi> {
  readonly name = WECHAT_MP_CHANNEL;

  constructor(options: WechatMpChannelOptions) {
    super(options, (account, apiOptions) => new MpApi({ ...apiOptions, account }));
  }

  routes(): Router {
    return wechatMpRoutes({
      accounts: this.options.accounts,
      logger: this.options.logger.child({ channel: WECHAT_MP_CHANNEL }),
      clock: this.clock,
      host: () => this.host,
      calledBack: (account) => this.calledBack(account),
      limit: this.callbackLimit(),
      fetchMedia: async (account, mediaId, maxBytes) => (await this.apis.get(account)?.media(mediaId, maxBytes)) ?? null,
    });
  }

  async send(message: OutboundMessage): Promise<void> {
    if (message.isRoom) throw new SendFailure('a 服务号 has no group chats', true);
    const { account, api } = await this.sender(message);
    const follower = { channel: this.name, botAccount: account.name, externalId: message.address };
    if (await isIdentityUnreachable(this.options.db, follower)) throw new SendFailure('the follower unfollowed the account', true);

    if (await this.takeWindowSlot(follower)) {
      const reply = await api.call('custom', '/cgi-bin/message/custom/send', { touser: message.address, msgtype: 'text', text: { content: message.text } });
      if (succeeded(reply)) return;
      // Outside the window or its count used up, as WeChat sees it: a template may still go.
      if (reply.errcode !== ERRCODE.outsideWindow && reply.errcode !== ERRCODE.windowCountUsed) throw failure(reply);
    }
    await this.sendTemplate(api, account, message);
  }

  /** One of the window's 客服消息, counted in the database for every instance; false outside the window or when all are used. */
  private async takeWindowSlot(follower: { channel: string; botAccount: string; externalId: string }): Promise<boolean> {
    const opened = await lastInbound(this.options.db, follower);
    if (!opened) return false;
    const closes = opened.receivedAt.getTime() + SERVICE_WINDOW_MS;
    if (closes <= this.clock().getTime()) return false;
    // Each message opens a window of its own, with a fresh count.
    const key = `${WECHAT_MP_CHANNEL}/${follower.botAccount}/custom/${follower.externalId}/${opened.id}`;
    return takeRateSlot(this.options.db, { key, limit: MESSAGES_PER_WINDOW, expiresAt: new Date(closes) });
  }

  private async sendTemplate(api: MpApi, account: WechatMpAccount, message: OutboundMessage): Promise<void> {
    const template = message.messageKey ? account.templates[message.messageKey] : undefined;
    if (!template || !message.messageKey) throw new SendDeferred('no free text allowed now and no template configured for this message', 'next_message');
    const refusal = `${api.key}/refused/${message.address}/${message.messageKey}`;
    if ((await rateSlotsTaken(this.options.db, refusal, this.clock())) > 0) throw refused(message.messageKey);
    const mapping = template.fields ?? Object.fromEntries((MESSAGE_KINDS.get(message.messageKey) ?? []).map((field) => [field, field]));
    const data = templateData(mapping, message.params ?? {});
    const reply =
      template.type === 'subscribe'
        ? await api.call('subscribe', '/cgi-bin/message/subscribe/bizsend', { touser: message.address, template_id: template.id, ...(template.url ? { page: template.url } : {}), data })
        : await api.call('template', '/cgi-bin/message/template/send', { touser: message.address, template_id: template.id, ...(template.url ? { url: template.url } : {}), data });
    if (succeeded(reply)) return;
    // 43101: the follower turned this template off, or never accepted this subscription notice.
    // Only this kind of message is unreachable for them: their next message opens the window for it.
    // A refused template is not tried again for a while; a subscription notice may be accepted any time.
    if (reply.errcode === ERRCODE.subscriptionRefused) {
      if (template.type !== 'subscribe') await takeRateSlot(this.options.db, { key: refusal, limit: 1, expiresAt: new Date(this.clock().getTime() + REFUSAL_KEPT_MS) });
      throw refused(message.messageKey);
    }
    throw failure(reply);
  }
}

/** The follower refused this message key's template: it waits for their next message, and the director sees them as unreachable. */
function refused(messageKey: string): SendDeferred {
  return new SendDeferred(`the follower refused ${messageKey} messages (43101)`, 'next_message');
}

function succeeded(reply: PlatformReply): boolean {
  return (reply.errcode ?? 0) === 0;
}

/** A refused send: no such follower (or no longer following) cannot be helped by retrying. */
function failure(reply: PlatformReply): SendFailure {
  const permanent = reply.errcode === ERRCODE.notFollowing || reply.errcode === ERRCODE.invalidOpenId;
  return new SendFailure(`WeChat refused the message (errcode ${reply.errcode})`, permanent);
}
