import type Router from '@koa/router';
import { z } from 'zod';
import type { ChannelHost, InboundMessage } from '../../src/channel';
import type { WecomAccount } from '../../src/config';
import type { Logger } from '../../src/log';
import { accountNamed, callbackRoutes, checkSignature, parseOrRefuse, Refused, slowDownReply, type CallbackLimitOptions } from '../weixin/callbackRoutes';
import { openEncrypted } from '../weixin/msgCrypt';
import { parseWechatXml } from '../weixin/xml';
import { WECOM_CHANNEL } from './wecomApi';

const signedQuery = z.object({
  msg_signature: z.string().regex(/^[0-9a-fA-F]{40}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().min(1).max(64),
});
const verifyQuery = signedQuery.extend({ echostr: z.string().min(1).max(1024) });

const pushedMessage = z.object({
  FromUserName: z.string().min(1).max(64),
  CreateTime: z.string().regex(/^\d+$/),
  MsgType: z.string().min(1),
  MsgId: z.string().regex(/^\d+$/).optional(),
  Content: z.string().max(20_000).optional(),
  MediaId: z.string().max(256).optional(),
  Event: z.string().optional(),
});

export interface WecomCallbackDeps {
  accounts: WecomAccount[];
  logger: Logger;
  clock: () => Date;
  host: () => ChannelHost | undefined;
  calledBack: (account: string) => void;
  /** Pushes per member and per account a minute; over them a push is acknowledged, not handled. */
  limit?: CallbackLimitOptions;
  /** Downloads a member's photo or voice note (WeCom keeps the bytes; the push names them). */
  fetchMedia: (account: string, mediaId: string, maxBytes: number) => Promise<{ data: Buffer; mimeType: string | undefined } | null>;
}

/**
 * GET|POST /channels/wecom/<account>/callback: WeCom's URL check (the decrypted echostr, within
 * its 1 second) and its encrypted pushes, checked by msg_signature and CorpID; a push is written
 * to the inbox and acknowledged at once, a retried MsgId is one message.
 */
export function wecomRoutes(deps: WecomCallbackDeps): Router {
  return callbackRoutes({
    channel: WECOM_CHANNEL,
    logger: deps.logger,
    clock: deps.clock,
    limit: deps.limit,
    verify: (name, rawQuery) => {
      const query = parseOrRefuse(verifyQuery, rawQuery);
      return open(deps, accountNamed(deps.accounts, name), query, query.echostr);
    },
    push: async (name, rawQuery, body, admit) => {
      const account = accountNamed(deps.accounts, name);
      const query = parseOrRefuse(signedQuery, rawQuery);
      const outer = parseWechatXml(body);
      if (!outer || typeof outer.Encrypt !== 'string') throw new Refused(400, 'malformed XML');
      const inner = parseWechatXml(open(deps, account, query, outer.Encrypt));
      if (!inner) throw new Refused(400, 'malformed XML');
      const pushed = parseOrRefuse(pushedMessage, inner);
      deps.calledBack(account.name);
      const content = contentOf(pushed);
      if (!content || !pushed.MsgId) return '';
      const admission = await admit(account.name, pushed.FromUserName);
      if (admission === 'drop') return '';
      if (admission === 'slow_down') return slowDownReply(deps.clock, { token: account.token, encodingAesKey: account.encodingAesKey, receiverId: account.corpId }, pushed.FromUserName, account.corpId);
      const host = deps.host();
      if (!host) throw new Error('the channel is stopped');
      // Nothing here reads the database: the message reaches the inbox (or, while the database is
      // away, the spool) first. The bytes are fetched now, while WeCom waits; the inbox keeps them
      // only for a report being filed.
      if (content.attachment && pushed.MediaId) {
        const media = await deps.fetchMedia(account.name, pushed.MediaId, host.attachmentMaxBytes);
        if (media) content.attachment = { ...content.attachment, data: media.data, mimeType: media.mimeType ?? content.attachment.mimeType };
      }
      await host.accept({
        channel: WECOM_CHANNEL,
        botAccount: account.name,
        platformMessageId: pushed.MsgId,
        from: { externalId: pushed.FromUserName },
        ...content,
        receivedAt: deps.clock(),
      });
      return '';
    },
  });
}

/** Text, or a photo, voice note or video (its bytes fetched from WeCom); events and other types are acknowledged only. */
function contentOf(pushed: z.infer<typeof pushedMessage>): Pick<InboundMessage, 'text' | 'attachment'> | null {
  const name = `${pushed.MsgId ?? pushed.CreateTime}`;
  switch (pushed.MsgType) {
    case 'text':
      return { text: pushed.Content ?? '' };
    case 'image':
      return { text: '', attachment: { kind: 'image', name: `${name}.jpg`, mimeType: 'image/jpeg' } };
    case 'voice':
      return { text: '', attachment: { kind: 'audio', name: `${name}.amr` } };
    case 'video':
      return { text: '', attachment: { kind: 'video', name: `${name}.mp4`, mimeType: 'video/mp4' } };
    default:
      return null;
  }
}

/** msg_signature = sha1(sort(token, timestamp, nonce, encrypted)) on a recent timestamp; decrypted for our CorpID. */
function open(deps: WecomCallbackDeps, account: WecomAccount, query: z.infer<typeof signedQuery>, encrypted: string): string {
  checkSignature(deps.clock, query.msg_signature, account.token, query.timestamp, query.nonce, encrypted);
  const keys = [account.encodingAesKey, account.previousEncodingAesKey].filter((key): key is string => key !== undefined);
  const plain = openEncrypted(keys, encrypted, account.corpId);
  if (plain === null) throw new Refused(403, 'cannot decrypt for this CorpID');
  return plain;
}
