import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { InboundNotKept, type Channel, type ChannelHost, type ChannelStatus, type InboundResult, type OutboundMessage } from '../../src/channel';
import type { Db } from '../../src/store/db/database';
import { secretsMatch } from '../../src/domain/secretsMatch';
import { recordRefusedSecret } from '../../src/store/audit/auditLog';
import { outboxForAddress } from '../../src/store/messaging/outbox';

export const HTTP_CHANNEL = 'http';
const ACCOUNT = 'default';

export const inboundBody = z.object({
  id: z.string().trim().min(1).max(200),
  from: z.string().trim().min(1).max(200),
  name: z.string().trim().max(100).optional(),
  text: z.string().max(20_000),
  room: z.string().trim().min(1).max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

export const outboxQuery = z.object({
  to: z.string().trim().min(1).max(200),
  after: z.coerce.number().int().min(0).max(2_147_483_647).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * The generic webhook channel (SMS gateways, other platforms, tests). Nothing is pushed:
 * a message "sent" on this channel is one the other side can fetch from the outbox.
 */
export class HttpChannel implements Channel {
  readonly name = HTTP_CHANNEL;
  private host: ChannelHost | undefined;

  constructor(private readonly options: { token: string; db: Db }) {}

  accounts(): string[] {
    return [ACCOUNT];
  }

  async start(host: ChannelHost): Promise<void> {
    this.host = host;
  }

  async stop(): Promise<void> {
    this.host = undefined;
  }

  async send(_message: OutboundMessage): Promise<void> {}

  status(): ChannelStatus {
    return { channel: this.name, accounts: [{ name: ACCOUNT, state: this.host ? 'logged_in' : 'stopped' }] };
  }

  routes(): Router {
    const router = new Router({ prefix: '/channels/http' });
    router.use(bearer(this.options.token, this.options.db), bodyParser({ enableTypes: ['json'], jsonLimit: '256kb' }));
    router.post('/inbound', async (ctx) => {
      const body = inboundBody.safeParse(ctx.request.body);
      if (!body.success) return invalid(ctx, body.error);
      const host = this.host;
      if (!host) {
        ctx.status = 503;
        ctx.body = { error: 'channel_stopped', message: 'the HTTP channel is stopping or not started' };
        return;
      }
      let result: InboundResult;
      try {
        result = await host.receive({
          channel: HTTP_CHANNEL,
          botAccount: ACCOUNT,
          platformMessageId: body.data.id,
          from: { externalId: body.data.from, name: body.data.name },
          // A gateway forwards only what is meant for the bot, so room messages count as addressed to it.
          room: body.data.room ? { externalId: body.data.room, mentionsBot: true } : undefined,
          text: body.data.text,
          receivedAt: body.data.at ? new Date(body.data.at) : new Date(),
        });
      } catch (error) {
        if (!(error instanceof InboundNotKept)) throw error;
        // Not accepted, so the gateway keeps the message and delivers it again.
        ctx.status = 503;
        ctx.set('Retry-After', '30');
        ctx.body = { error: 'unavailable', message: 'the message could not be kept; deliver it again later' };
        return;
      }
      const replies = result.replies.map((reply) => ({ to: reply.address, text: reply.text }));
      ctx.body = { accepted: true, duplicate: result.duplicate, replies, ...(result.spooled ? { spooled: true } : {}) };
    });
    router.get('/outbox', async (ctx) => {
      const query = outboxQuery.safeParse(ctx.query);
      if (!query.success) return invalid(ctx, query.error);
      const rows = await outboxForAddress(this.options.db, { channel: HTTP_CHANNEL, address: query.data.to, after: query.data.after, limit: query.data.limit });
      ctx.body = {
        messages: rows.map((row) => ({ id: row.id, to: row.address, text: row.text, at: row.createdAt.toISOString() })),
        cursor: rows.at(-1)?.id ?? query.data.after,
      };
    });
    return router;
  }
}

function bearer(token: string, db: Db) {
  return async (ctx: Context, next: Next) => {
    const given = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
    if (!secretsMatch(given, token)) {
      await recordRefusedSecret(db, { at: new Date(), kind: 'channel_token', address: ctx.ip });
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.body = { error: 'unauthorized' };
      return;
    }
    await next();
  };
}

function invalid(ctx: Context, error: z.ZodError): void {
  ctx.status = 400;
  ctx.body = { error: 'invalid_request', issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
}
