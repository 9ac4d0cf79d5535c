import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Logger } from '../../src/log';
import { signatureMatches, wechatSignature } from './msgCrypt';
import { readBody } from './rawBody';

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

export interface CallbackHandlers {
  /** wechat-mp or wecom: the routes are /channels/<channel>/<account>/callback. */
  channel: string;
  logger: Logger;
  /** The URL check: what to answer (the echostr, decrypted on WeCom). */
  verify: (account: string, query: Context['query']) => string;
  /** A push: recorded in the inbox (or the spool) before this resolves; returns the answer body. */
  push: (account: string, query: Context['query'], body: string) => Promise<string>;
}

/**
 * GET|POST /channels/<channel>/<account>/callback, as the 服务号 and WeCom share them: a refused
 * request gets its 4xx and one log line without the body; a push that could be neither recorded
 * nor spooled gets a 503, and the platform's retry is recorded once.
 */
export function callbackRoutes(handlers: CallbackHandlers): Router {
  const router = new Router({ prefix: `/channels/${handlers.channel}` });
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
      const answer = await handlers.push(ctx.params.account!, ctx.query, body);
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
