import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ChannelHost, InboundMessage } from '../../src/channel';
import type { WechatMpAccount } from '../../src/config';
import type { Logger } from '../../src/log';
import type { Db } from '../../src/store/database';
import { markIdentityUnreachable } from '../../src/store/identities';
import { openEncrypted, signatureMatches, wechatSignature } from '../weixin/msgCrypt';
import { readBody } from '../weixin/rawBody';
import { parsePushBody } from '../weixin/pushBody';
import { WECHAT_MP_CHANNEL } from './mpApi';

/** WeChat's signed timestamp must be this close to our clock: an old signed request replayed is refused. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

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
  Format: z.string().max(16).optional(),
  Event: z.string().optional(),
  EventKey: z.string().max(128).optional(),
});
type PushedMessage = z.infer<typeof pushedMessage>;

export interface CallbackDeps {
  accounts: WechatMpAccount[];
  db: Db;
  logger: Logger;
  clock: () => Date;
  host: () => ChannelHost | undefined;
  calledBack: (account: string) => void;
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
 * GET|POST /channels/wechat-mp/<account>/callback: WeChat's URL check and its message pushes,
 * plaintext or safe mode (AES). A push is written to the inbox and answered `success` at once
 * (WeChat waits 5 seconds, then retries three times); handling follows, and answers go out as
 * 客服消息. Bad input gets a 4xx and one log line without the body; nothing is written.
 */
export function wechatMpRoutes(deps: CallbackDeps): Router {
  const router = new Router({ prefix: `/channels/${WECHAT_MP_CHANNEL}` });
  const refuse = (ctx: Context, account: string, error: unknown) => {
    if (!(error instanceof Refused)) throw error;
    deps.logger.warn({ account: account.slice(0, 40), status: error.status, reason: error.reason }, 'wechat-mp callback refused');
    ctx.status = error.status;
    ctx.type = 'text/plain';
    ctx.body = error.reason;
  };

  router.get('/:account/callback', (ctx) => {
    try {
      const account = accountOf(deps, ctx.params.account!);
      const query = parse(verifyQuery, ctx.query);
      checkSigned(deps, account, query);
      ctx.type = 'text/plain';
      ctx.body = query.echostr;
    } catch (error) {
      refuse(ctx, ctx.params.account!, error);
    }
  });

  router.post('/:account/callback', async (ctx) => {
    try {
      const account = accountOf(deps, ctx.params.account!);
      const query = parse(pushQuery, ctx.query);
      checkSigned(deps, account, query);
      const body = await readBody(ctx);
      if (body === null) throw new Refused(413, 'body too large');
      const message = parse(pushedMessage, openBody(account, query, body));
      deps.calledBack(account.name);
      await receive(deps, account, message);
      ctx.type = 'text/plain';
      ctx.body = 'success';
    } catch (error) {
      if (error instanceof Refused) return refuse(ctx, ctx.params.account!, error);
      // The database is away: WeChat retries, and the retry is recorded once.
      deps.logger.error({ err: error, account: ctx.params.account }, 'wechat-mp callback could not be recorded');
      ctx.status = 503;
      ctx.body = 'try again';
    }
  });
  return router;
}

function accountOf(deps: CallbackDeps, name: string): WechatMpAccount {
  const account = deps.accounts.find((candidate) => candidate.name === name);
  if (!account) throw new Refused(404, 'unknown account');
  return account;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Refused(400, `malformed ${parsed.error.issues[0]?.path.join('.') || 'request'}`);
  return parsed.data;
}

/** signature = sha1(sort(token, timestamp, nonce)), on a timestamp near our clock. */
function checkSigned(deps: CallbackDeps, account: WechatMpAccount, query: z.infer<typeof signedQuery>): void {
  if (Math.abs(Number(query.timestamp) * 1000 - deps.clock().getTime()) > TIMESTAMP_TOLERANCE_MS) throw new Refused(403, 'stale timestamp');
  if (!signatureMatches(query.signature, wechatSignature(account.token, query.timestamp, query.nonce))) throw new Refused(403, 'bad signature');
}

/** The message's fields (XML or JSON): the body itself in plaintext mode; in safe mode, the decrypted Encrypt for our appid. */
function openBody(account: WechatMpAccount, query: z.infer<typeof pushQuery>, body: string): Record<string, unknown> {
  const outer = parsePushBody(body);
  if (!outer) throw new Refused(400, 'malformed body');
  if (query.encrypt_type !== 'aes') return outer;
  const keys = [account.encodingAesKey, account.previousEncodingAesKey].filter((key): key is string => key !== undefined);
  const encrypted = outer.Encrypt;
  if (keys.length === 0) throw new Refused(400, 'safe mode is not configured for this account');
  if (typeof encrypted !== 'string' || !query.msg_signature) throw new Refused(400, 'malformed encrypted body');
  if (!signatureMatches(query.msg_signature, wechatSignature(account.token, query.timestamp, query.nonce, encrypted))) throw new Refused(403, 'bad msg_signature');
  const plain = openEncrypted(keys, encrypted, account.appId);
  if (plain === null) throw new Refused(403, 'cannot decrypt for this appid');
  const inner = parsePushBody(plain);
  if (!inner) throw new Refused(400, 'malformed body');
  return inner;
}

async function receive(deps: CallbackDeps, account: WechatMpAccount, pushed: PushedMessage): Promise<void> {
  const follower = { channel: WECHAT_MP_CHANNEL, botAccount: account.name, externalId: pushed.FromUserName };
  if (pushed.MsgType === 'event' && pushed.Event === 'unsubscribe') {
    await markIdentityUnreachable(deps.db, follower, deps.clock());
    return;
  }
  const inbound = inboundOf(pushed);
  if (!inbound) return;
  const host = deps.host();
  if (!host) throw new Error('the channel is stopped');
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
 * Events WeChat repeats carry no MsgId: FromUserName + CreateTime names them.
 */
function inboundOf(pushed: PushedMessage): Pick<InboundMessage, 'platformMessageId' | 'text' | 'attachment'> | null {
  const messageId = pushed.MsgId ?? `${pushed.FromUserName}:${pushed.CreateTime}`;
  switch (pushed.MsgType) {
    case 'text':
      return { platformMessageId: messageId, text: pushed.Content ?? '' };
    case 'voice':
      // Speech recognition (when the account has it on) gives the words; without them it is a voice note.
      if (pushed.Recognition) return { platformMessageId: messageId, text: pushed.Recognition };
      return { platformMessageId: messageId, text: '', attachment: { kind: 'audio', name: `${messageId}.${pushed.Format ?? 'amr'}` } };
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

function eventOf(pushed: PushedMessage): Pick<InboundMessage, 'platformMessageId' | 'text'> | null {
  const platformMessageId = `event:${pushed.FromUserName}:${pushed.CreateTime}`;
  const key = pushed.EventKey ?? '';
  if (pushed.Event === 'subscribe') {
    const scene = key.startsWith('qrscene_') ? key.slice('qrscene_'.length) : '';
    return { platformMessageId, text: scene ? `绑定 ${scene}` : '帮助' };
  }
  // SCAN: an invite's code scanned by someone who already follows.
  if (pushed.Event === 'SCAN' && key) return { platformMessageId, text: `绑定 ${key}` };
  return null;
}
