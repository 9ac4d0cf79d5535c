import type Router from '@koa/router';
import { z } from 'zod';
import type { ChannelHost, InboundMessage } from '../../src/channel';
import type { WechatMpAccount } from '../../src/config';
import type { Logger } from '../../src/log';
import { accountNamed, callbackRoutes, checkSignature, parseOrRefuse, Refused, slowDownReply, type CallbackLimitOptions } from '../weixin/callbackRoutes';
import { openEncrypted } from '../weixin/msgCrypt';
import { parsePushBody } from '../weixin/pushBody';
import { WECHAT_MP_CHANNEL } from './mpApi';

const signedQuery = z.object({
  signature: z.string().regex(/^[0-9a-fA-F]{40}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().min(1).max(64),
});

const verifyQuery = signedQuery.extend({ echostr: z.string().min(1).max(256) });

const pushQuery = signedQuery.extend({
  openid: z.string().max(64).optional(),
  encrypt_type: z.enum(['aes', 'raw']).optional(),
  msg_signature: z
    .string()
    .regex(/^[0-9a-fA-F]{40}$/)
    .optional(),
});

/** The fields of a pushed message or event this service reads. */
const pushedMessage = z.object({
  ToUserName: z.string().min(1),
  FromUserName: z.string().min(1).max(64),
  CreateTime: z.string().regex(/^\d+$/),
  MsgType: z.string().min(1),
  MsgId: z.string().regex(/^\d+$/).optional(),
  Content: z.string().max(20_000).optional(),
  Recognition: z.string().max(20_000).optional(),
  Format: z
    .string()
    .regex(/^[a-z0-9]{1,16}$/i)
    .optional(),
  MediaId: z.string().max(256).optional(),
  Event: z.string().optional(),
  EventKey: z.string().max(128).optional(),
});
type PushedMessage = z.infer<typeof pushedMessage>;

export interface CallbackDeps {
  accounts: WechatMpAccount[];
  logger: Logger;
  clock: () => Date;
  host: () => ChannelHost | undefined;
  calledBack: (account: string) => void;
  /** Pushes per follower and per account a minute; over them a push is acknowledged, not handled. */
  limit?: CallbackLimitOptions;
  /** Downloads a follower's photo or voice note (WeChat keeps the bytes three days; the push names them). */
  fetchMedia?: (account: string, mediaId: string, maxBytes: number) => Promise<{ data: Buffer; mimeType: string | undefined } | null>;
}

/**
 * GET|POST /channels/wechat-mp/<account>/callback: WeChat's URL check and its message pushes,
 * plaintext or safe mode (AES). A push is written to the inbox and answered `success` at once
 * (WeChat waits 5 seconds, then retries three times); handling follows, and answers go out as
 * 客服消息. Bad input gets a 4xx and one log line without the body; nothing is written.
 */
export function wechatMpRoutes(deps: CallbackDeps): Router {
  return callbackRoutes({
    channel: WECHAT_MP_CHANNEL,
    logger: deps.logger,
    clock: deps.clock,
    limit: deps.limit,
    verify: (name, rawQuery) => {
      const account = accountNamed(deps.accounts, name);
      const query = parseOrRefuse(verifyQuery, rawQuery);
      checkSignature(deps.clock, query.signature, account.token, query.timestamp, query.nonce);
      return query.echostr;
    },
    push: async (name, rawQuery, body, admit) => {
      const account = accountNamed(deps.accounts, name);
      const query = parseOrRefuse(pushQuery, rawQuery);
      checkSignature(deps.clock, query.signature, account.token, query.timestamp, query.nonce);
      const message = parseOrRefuse(pushedMessage, openBody(deps, account, query, body));
      deps.calledBack(account.name);
      // An unfollow is always recorded: nothing may be sent to that follower afterwards.
      const admission = message.Event === 'unsubscribe' ? 'handle' : await admit(account.name, message.FromUserName);
      if (admission === 'drop') return 'success';
      if (admission === 'slow_down') {
        const sealed = query.encrypt_type === 'aes' ? account.encodingAesKey : undefined;
        return slowDownReply(deps.clock, { token: account.token, encodingAesKey: sealed, receiverId: account.appId }, message.FromUserName, message.ToUserName);
      }
      await receive(deps, account, message);
      return 'success';
    },
  });
}

/** The message's fields (XML or JSON): the body itself in plaintext mode; in safe mode, the decrypted Encrypt for our appid. */
function openBody(deps: CallbackDeps, account: WechatMpAccount, query: z.infer<typeof pushQuery>, body: string): Record<string, unknown> {
  const outer = parsePushBody(body);
  if (!outer) throw new Refused(400, 'malformed body');
  if (query.encrypt_type !== 'aes') return outer;
  const keys = [account.encodingAesKey, account.previousEncodingAesKey].filter((key): key is string => key !== undefined);
  const encrypted = outer.Encrypt;
  if (keys.length === 0) throw new Refused(400, 'safe mode is not configured for this account');
  if (typeof encrypted !== 'string' || !query.msg_signature) throw new Refused(400, 'malformed encrypted body');
  checkSignature(deps.clock, query.msg_signature, account.token, query.timestamp, query.nonce, encrypted);
  const plain = openEncrypted(keys, encrypted, account.appId);
  if (plain === null) throw new Refused(403, 'cannot decrypt for this appid');
  const inner = parsePushBody(plain);
  if (!inner) throw new Refused(400, 'malformed body');
  return inner;
}

async function receive(deps: CallbackDeps, account: WechatMpAccount, pushed: PushedMessage): Promise<void> {
  const inbound = inboundOf(pushed);
  if (!inbound) return;
  const host = deps.host();
  if (!host) throw new Error('the channel is stopped');
  // The bytes are fetched now, while WeChat waits: the inbox keeps them only for a report being filed.
  if (inbound.attachment && pushed.MediaId && deps.fetchMedia) {
    const media = await deps.fetchMedia(account.name, pushed.MediaId, host.attachmentMaxBytes);
    if (media) inbound.attachment = { ...inbound.attachment, data: media.data, mimeType: media.mimeType ?? inbound.attachment.mimeType };
  }
  await host.accept({
    channel: WECHAT_MP_CHANNEL,
    botAccount: account.name,
    from: { externalId: pushed.FromUserName },
    receivedAt: deps.clock(),
    ...inbound,
  });
}

/**
 * What a push says, in the inbox's words. Following by an invite's QR code binds (`绑定 <code>`);
 * following plainly asks for help, which greets and asks an unbound follower for the code.
 * Events WeChat repeats carry no MsgId: FromUserName + CreateTime names them. A voice note
 * carries WeChat's recognised words (when the account has speech recognition on) and its audio.
 */
function inboundOf(pushed: PushedMessage): Pick<InboundMessage, 'platformMessageId' | 'text' | 'attachment' | 'kind'> | null {
  const messageId = pushed.MsgId ?? `${pushed.FromUserName}:${pushed.CreateTime}`;
  switch (pushed.MsgType) {
    case 'text':
      return { platformMessageId: messageId, text: pushed.Content ?? '' };
    case 'voice':
      return { platformMessageId: messageId, text: pushed.Recognition ?? '', attachment: { kind: 'audio', name: `${messageId}.${pushed.Format ?? 'amr'}` } };
    case 'image':
      return { platformMessageId: messageId, text: '', attachment: { kind: 'image', name: `${messageId}.jpg`, mimeType: 'image/jpeg' } };
    case 'video':
    case 'shortvideo':
      return { platformMessageId: messageId, text: '', attachment: { kind: 'video', name: `${messageId}.mp4`, mimeType: 'video/mp4' } };
    case 'event':
      return eventOf(pushed);
    default:
      return { platformMessageId: messageId, text: '' };
  }
}

function eventOf(pushed: PushedMessage): Pick<InboundMessage, 'platformMessageId' | 'text' | 'kind'> | null {
  const platformMessageId = `event:${pushed.FromUserName}:${pushed.CreateTime}`;
  const key = pushed.EventKey ?? '';
  // Unfollowing makes the follower unreachable when it is handled (kept for the record).
  if (pushed.Event === 'unsubscribe') return { platformMessageId: `unfollow:${pushed.FromUserName}:${pushed.CreateTime}`, kind: 'unfollow', text: '' };
  if (pushed.Event === 'subscribe') {
    const scene = key.startsWith('qrscene_') ? key.slice('qrscene_'.length) : '';
    return { platformMessageId, text: scene ? `绑定 ${scene}` : '帮助' };
  }
  // SCAN: an invite's code scanned by someone who already follows.
  if (pushed.Event === 'SCAN' && key) return { platformMessageId, text: `绑定 ${key}` };
  return null;
}
