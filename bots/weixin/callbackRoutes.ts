import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Logger } from '../../src/log';
import type { Db } from '../../src/store/db/database';
import { takeRateSlot } from '../../src/store/messaging/rateCounts';
import { catalog } from '../../src/texts/catalog';
import { encryptMessage, signatureMatches, wechatSignature } from './msgCrypt';
import { readBody } from './rawBody';
import { wechatXml } from './xml';

/** WeChat's signed timestamp must be this close to our clock: an old signed request replayed is refused. */
export const TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/** A callback refused with a 4xx: nothing is written, one log line without the body. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The configured account a callback URL names; 404 for any other. */
export function accountNamed<A extends { name: string }>(accounts: readonly A[], name: string): A {
  const account = accounts.find((candidate) => candidate.name === name);
  if (!account) throw new Refused(404, 'unknown account');
  return account;
}

/** A query or body read by its schema; 400 naming the first field that is wrong. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Refused(400, `malformed ${parsed.error.issues[0]?.path.join('.') || 'request'}`);
  return parsed.data;
}

/** A timestamp near our clock and sha1(sort(token, timestamp, nonce[, Encrypt])) equal to the given signature. */
export function checkSignature(clock: () => Date, given: string, token: string, timestamp: string, nonce: string, ...encrypted: string[]): void {
  if (Math.abs(Number(timestamp) * 1000 - clock().getTime()) > TIMESTAMP_TOLERANCE_MS) throw new Refused(403, 'stale timestamp');
  if (!signatureMatches(given, wechatSignature(token, timestamp, nonce, ...encrypted))) throw new Refused(403, `bad ${encrypted.length > 0 ? 'msg_signature' : 'signature'}`);
}

const WINDOW_MS = 60_000;
/** How long a push waits on the shared counts before it is handled anyway (WeChat waits 5 s in all). */
const ADMIT_WAIT_MS = 1000;

/** Counts each push acknowledged but not handled, by what was over its limit (/metrics). */
export interface CallbackLimitMetrics {
  callbackLimited(channel: string, scope: 'sender' | 'account'): void;
}

export interface CallbackLimitOptions {
  db: Db;
  perSenderPerMinute: number;
  perAccountPerMinute: number;
  metrics?: CallbackLimitMetrics;
}

/**
 * What becomes of a signed push: handled; acknowledged only; or acknowledged with the one
 * "slow down" answer its sender gets in a window (as the passive reply, which costs none of the
 * 服务号's five 客服消息 of a window and needs no outbox row).
 */
export type Admission = 'handle' | 'drop' | 'slow_down';

/**
 * Platform callbacks are limited per sender (openid, WeCom userid) and per account, not per
 * address: WeChat calls from few addresses. Counted in RateCount windows of a minute, so every
 * instance on one database shares them; ended windows go with the platform-limits-purge job.
 */
export class CallbackLimit {
  constructor(
    private readonly options: CallbackLimitOptions,
    private readonly logger: Logger,
  ) {}

  async admit(channel: string, account: string, sender: string, now: Date): Promise<Admission> {
    const { db, perSenderPerMinute, perAccountPerMinute, metrics } = this.options;
    const start = now.getTime() - (now.getTime() % WINDOW_MS);
    const expiresAt = new Date(start + WINDOW_MS);
    const prefix = `callback:${channel}:${account}`;
    const senderWithin = await takeRateSlot(db, { key: `${prefix}:from:${sender}:${start}`, limit: perSenderPerMinute, expiresAt });
    // A sender over their own limit does not spend the account's budget of everyone else.
    if (senderWithin && (await takeRateSlot(db, { key: `${prefix}:${start}`, limit: perAccountPerMinute, expiresAt }))) return 'handle';
    const scope = senderWithin ? 'account' : 'sender';
    metrics?.callbackLimited(channel, scope);
    if (!(await takeRateSlot(db, { key: `${prefix}:told:${sender}:${start}`, limit: 1, expiresAt }))) return 'drop';
    // One line per sender and window, not per message: a flood must not flood the log. No sender id: the metric and this line suffice.
    this.logger.warn({ account: account.slice(0, 40), scope }, `${channel} callbacks over the limit per ${scope}: acknowledged, not handled, for the rest of the minute`);
    return 'slow_down';
  }
}

/** Where a passive reply goes back: the account's token and, in safe mode, its key and appid/CorpID. */
export interface PassiveReplyTo {
  token: string;
  encodingAesKey?: string;
  receiverId: string;
}

/**
 * The slow-down text as the callback's answer to the sender (`to`), from the account (`from`, the
 * push's ToUserName), sealed and signed as the push was when the account uses encryption.
 */
export function slowDownReply(clock: () => Date, reply: PassiveReplyTo, to: string, from: string): string {
  const text = catalog.callbackSlowDown;
  const createTime = Math.floor(clock().getTime() / 1000);
  const plain = wechatXml({ ToUserName: to, FromUserName: from, CreateTime: createTime, MsgType: 'text', Content: text });
  if (!reply.encodingAesKey) return plain;
  const encrypted = encryptMessage(reply.encodingAesKey, plain, reply.receiverId);
  const nonce = String(Math.floor(Math.random() * 1e9));
  const timestamp = String(createTime);
  return wechatXml({ Encrypt: encrypted, MsgSignature: wechatSignature(reply.token, timestamp, nonce, encrypted), TimeStamp: timestamp, Nonce: nonce });
}

export interface CallbackHandlers {
  /** wechat-mp or wecom: the routes are /channels/<channel>/<account>/callback. */
  channel: string;
  logger: Logger;
  /** The URL check: what to answer (the echostr, decrypted on WeCom). */
  verify: (account: string, query: Context['query']) => string;
  /**
   * A push: recorded in the inbox (or the spool) before this resolves; returns the answer body.
   * Once the signature is checked and the sender read, it asks `admit` whether to handle it.
   */
  push: (account: string, query: Context['query'], body: string, admit: (account: string, sender: string) => Promise<Admission>) => Promise<string>;
  /** Per sender and per account; without it every signed push is handled. */
  limit?: CallbackLimitOptions;
  clock: () => Date;
}

/**
 * GET|POST /channels/<channel>/<account>/callback, as the 服务号 and WeCom share them: a refused
 * request gets its 4xx and one log line without the body; a push that could be neither recorded
 * nor spooled gets a 503, and the platform's retry is recorded once.
 */
export function callbackRoutes(handlers: CallbackHandlers): Router {
  const router = new Router({ prefix: `/channels/${handlers.channel}` });
  const limit = handlers.limit ? new CallbackLimit(handlers.limit, handlers.logger) : undefined;
  const admit = async (account: string, sender: string): Promise<Admission> => {
    if (!limit) return 'handle';
    // The counts live in the database; while it is away (or slow) the push goes on to the spool
    // unlimited rather than be refused: a lost message is worse than an unlimited minute.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<Admission>((resolve) => {
      timer = setTimeout(() => resolve('handle'), ADMIT_WAIT_MS);
    });
    try {
      return await Promise.race([limit.admit(handlers.channel, account, sender, handlers.clock()).catch((): Admission => 'handle'), waited]);
    } finally {
      clearTimeout(timer);
    }
  };
  const refuse = (ctx: Context, error: Refused) => {
    handlers.logger.warn({ account: String(ctx.params.account).slice(0, 40), status: error.status, reason: error.reason }, `${handlers.channel} callback refused`);
    ctx.status = error.status;
    ctx.type = 'text/plain';
    ctx.body = error.reason;
  };

  router.get('/:account/callback', (ctx) => {
    try {
      const answer = handlers.verify(ctx.params.account!, ctx.query);
      ctx.type = 'text/plain';
      ctx.body = answer;
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      refuse(ctx, error);
    }
  });

  router.post('/:account/callback', async (ctx) => {
    try {
      const body = await readBody(ctx);
      if (body === null) throw new Refused(413, 'body too large');
      const answer = await handlers.push(ctx.params.account!, ctx.query, body, admit);
      ctx.type = 'text/plain';
      ctx.body = answer;
    } catch (error) {
      if (error instanceof Refused) return refuse(ctx, error);
      handlers.logger.error({ err: error, account: String(ctx.params.account).slice(0, 40) }, `${handlers.channel} callback could not be recorded`);
      ctx.status = 503;
      ctx.body = 'try again';
    }
  });
  return router;
}
