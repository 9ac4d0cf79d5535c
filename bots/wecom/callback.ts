import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ChannelHost, InboundMessage } from '../../src/channel';
import type { WecomAccount } from '../../src/config';
import type { Logger } from '../../src/log';
import type { Db } from '../../src/store/database';
import { senderHasOpenDialog } from '../../src/store/chatDialogs';
import { bindWecomUsers } from '../../src/store/identities';
import { openEncrypted, signatureMatches, wechatSignature } from '../weixin/msgCrypt';
import { readBody } from '../weixin/rawBody';
import { parseWechatXml } from '../weixin/xml';
import { WECOM_CHANNEL } from './wecomApi';

/** A signed timestamp further than this from our clock is refused (a replayed request). */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

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
  db: Db;
  logger: Logger;
  clock: () => Date;
  host: () => ChannelHost | undefined;
  calledBack: (account: string) => void;
  /** Downloads a member's photo or voice note (WeCom keeps the bytes; the push names them). */
  fetchMedia: (account: string, mediaId: string, maxBytes: number) => Promise<{ data: Buffer; mimeType: string | undefined } | null>;
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * GET|POST /channels/wecom/<account>/callback: WeCom's URL check (the decrypted echostr, within
 * its 1 second) and its encrypted pushes, checked by msg_signature and CorpID; a push is written
 * to the inbox and acknowledged at once, a retried MsgId is one message.
 */
export function wecomRoutes(deps: WecomCallbackDeps): Router {
  const router = new Router({ prefix: `/channels/${WECOM_CHANNEL}` });
  const refuse = (ctx: Context, error: Refused) => {
    deps.logger.warn({ account: String(ctx.params.account).slice(0, 40), status: error.status, reason: error.reason }, 'wecom callback refused');
    ctx.status = error.status;
    ctx.type = 'text/plain';
    ctx.body = error.reason;
  };

  router.get('/:account/callback', (ctx) => {
    try {
      const account = accountOf(deps, ctx.params.account!);
      const query = parse(verifyQuery, ctx.query);
      ctx.type = 'text/plain';
      ctx.body = open(deps, account, query, query.echostr);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      refuse(ctx, error);
    }
  });

  router.post('/:account/callback', async (ctx) => {
    try {
      const account = accountOf(deps, ctx.params.account!);
      const query = parse(signedQuery, ctx.query);
      const body = await readBody(ctx);
      if (body === null) throw new Refused(413, 'body too large');
      const outer = parseWechatXml(body);
      if (!outer || typeof outer.Encrypt !== 'string') throw new Refused(400, 'malformed XML');
      const inner = parseWechatXml(open(deps, account, query, outer.Encrypt));
      if (!inner) throw new Refused(400, 'malformed XML');
      const pushed = parse(pushedMessage, inner);
      deps.calledBack(account.name);
      const content = contentOf(pushed);
      if (content && pushed.MsgId) {
        const host = deps.host();
        if (!host) throw new Error('the channel is stopped');
        // A member whose userid was put on their record since the start is recognised at once.
        await bindWecomUsers(deps.db, WECOM_CHANNEL, account.name, deps.clock());
        const from = { channel: WECOM_CHANNEL, botAccount: account.name, externalId: pushed.FromUserName };
        // Only what is sent while filing a report is kept, so only then is it downloaded.
        if (content.attachment && pushed.MediaId && (await senderHasOpenDialog(deps.db, from, deps.clock()))) {
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
      }
      ctx.type = 'text/plain';
      ctx.body = '';
    } catch (error) {
      if (error instanceof Refused) return refuse(ctx, error);
      deps.logger.error({ err: error, account: ctx.params.account }, 'wecom callback could not be recorded');
      ctx.status = 503;
      ctx.body = 'try again';
    }
  });
  return router;
}

/**
 * Text, or a photo, voice note or video (its media stays on WeCom's servers, so the sender hears
 * it was not kept rather than nothing); events and other types are acknowledged only.
 */
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

function accountOf(deps: WecomCallbackDeps, name: string): WecomAccount {
  const account = deps.accounts.find((candidate) => candidate.name === name);
  if (!account) throw new Refused(404, 'unknown account');
  return account;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Refused(400, `malformed ${parsed.error.issues[0]?.path.join('.') || 'request'}`);
  return parsed.data;
}

/** msg_signature = sha1(sort(token, timestamp, nonce, encrypted)) on a recent timestamp; decrypted for our CorpID. */
function open(deps: WecomCallbackDeps, account: WecomAccount, query: z.infer<typeof signedQuery>, encrypted: string): string {
  if (Math.abs(Number(query.timestamp) * 1000 - deps.clock().getTime()) > TIMESTAMP_TOLERANCE_MS) throw new Refused(403, 'stale timestamp');
  if (!signatureMatches(query.msg_signature, wechatSignature(account.token, query.timestamp, query.nonce, encrypted))) throw new Refused(403, 'bad msg_signature');
  const keys = [account.encodingAesKey, account.previousEncodingAesKey].filter((key): key is string => key !== undefined);
  const plain = openEncrypted(keys, encrypted, account.corpId);
  if (plain === null) throw new Refused(403, 'cannot decrypt for this CorpID');
  return plain;
}
