import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import type { ReferralDeadlineHours } from '../domain/referrals';
import type Router from '@koa/router';
import Koa from 'koa';
import type { ChannelStatus } from '../channel';
import type { SpoolState } from '../store/messaging/inboundSpool';
import type { Logger } from '../log';
import type { ServiceMetrics } from '../metrics';
import type { Database } from '../store/db/database';
import type { NationalIdCipher } from '../store/crypto/nationalIdCipher';
import { adminApiRouter, API_PREFIX } from './adminApi';
import { clientWentAway } from './clientGone';
import { consoleRoutes } from './consoleRoutes';
import { answerClientError } from './errors';
import { FailedLogins } from './failedLogins';
import { RESOURCES } from './routes';
import { sessionRouter } from './sessionRoutes';
import { requestsPerAddress } from './clientLimits';
import { healthRoutes } from './healthRoutes';
import { metricsRoutes } from './metricsRoutes';
import { requestLog } from './requestLog';
import { RequestRate, SharedRequestRate } from './requestRate';
import { securityHeaders } from './securityHeaders';
import type { InviteQr } from './route';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  /** Encrypts national ID numbers written through the admin API, and opens them for officers. */
  cipher: NationalIdCipher;
  /** Routers of channels that receive over HTTP. */
  routers?: Router[];
  /** Login states for /healthz. */
  channels?: () => ChannelStatus[];
  /** Serves /metrics when given. */
  metrics?: ServiceMetrics;
  clock?: () => Date;
  timeZone?: string;
  inviteTtlDays?: number;
  caseDeadlines?: CaseDeadlineHours;
  /** Time each department has to answer a referral (SHOUWANG_REFERRAL_DEADLINES). */
  referralDeadlines?: ReferralDeadlineHours;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (failed-login limits are per address). */
  trustProxy?: boolean;
  /** A console session idle this long ends; 30 minutes when unset. */
  sessionIdleMs?: number;
  /** The built web console served at /console (console/dist by default). */
  consoleDir?: string;
  /** Requests handled at once per client address; unlimited when not given (tests of single routes). */
  maxRequestsPerAddress?: number;
  /** Admin API and login requests per minute per token/session and per client address; unlimited when not given. */
  apiRatePerMinute?: number;
  /** The inbound spool, for /healthz: degraded while it holds messages or the database is away. */
  spool?: () => SpoolState;
  inviteQr?: InviteQr;
  /** The folder of report attachments, streamed to those who may view them. */
  attachmentDir?: string;
}

/** The HTTP surface of the service: /healthz, the admin API under /api/v1, and the channels' routers. */
export function createApp({
  database,
  logger,
  cipher,
  routers = [],
  clock = () => new Date(),
  timeZone = 'Asia/Shanghai',
  inviteTtlDays = 7,
  channels,
  metrics,
  caseDeadlines,
  referralDeadlines,
  trustProxy = false,
  sessionIdleMs = 30 * 60_000,
  consoleDir,
  spool,
  maxRequestsPerAddress,
  apiRatePerMinute,
  inviteQr,
  attachmentDir,
}: AppDependencies): Koa {
  // Without a proxy in front, X-Forwarded-For is whatever the client says: trusting it would let a guesser dodge the limit.
  const app = new Koa({ proxy: trustProxy });
  // What koa reports outside the middleware chain is a connection's trouble: a streamed body cut short,
  // a client that sent garbage or was too slow. A client that hung up is no fault of the service (the
  // export stops and logs it); the rest is one line, not a stack on stderr.
  app.on('error', (error: Error & { code?: string }, ctx?: Koa.Context) => {
    if (clientWentAway(error)) return;
    const route = (ctx as { _matchedRoute?: unknown } | undefined)?._matchedRoute ?? null;
    logger.warn({ err: { message: error.message, code: error.code }, route }, 'client connection failed');
  });
  app.use(requestLog(logger));
  app.use(securityHeaders());
  if (maxRequestsPerAddress) app.use(requestsPerAddress(maxRequestsPerAddress));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      // Every router's client errors (a channel's unparsable body too) are 4xx, never a 500.
      if (answerClientError(ctx, error)) return;
      if (clientWentAway(error)) {
        logger.info({ route: (ctx as { _matchedRoute?: unknown })._matchedRoute ?? null }, 'request stopped: the client went away');
        return;
      }
      // the route pattern, not the path: a path may carry what logs must not
      logger.error({ err: error, route: (ctx as { _matchedRoute?: unknown })._matchedRoute ?? null }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal_error' };
    }
    if (ctx.status === 404 && ctx.body == null && ctx.path.startsWith(`${API_PREFIX}/`)) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', message: `no route ${ctx.method} ${ctx.path}` };
    }
  });
  app.use(consoleRoutes(consoleDir));
  const health = healthRoutes(database, { channels, clock, spool });
  app.use(health.routes()).use(health.allowedMethods());
  if (metrics) app.use(metricsRoutes(metrics).routes());
  const apiDeps = { database, db: database.db, cipher, logger, clock, timeZone, inviteTtlDays, caseDeadlines, referralDeadlines, sessionIdleMs, inviteQr, attachmentDir };
  // One count of failures per address, whether a token or a password was wrong.
  const failedLogins = new FailedLogins();
  // One budget per address for logins and API calls alike; tokens and accounts have their own besides.
  // Several instances share one PostgreSQL database: there the budget is counted in it, so it holds across them.
  const rate = !apiRatePerMinute ? undefined : database.engine === 'postgresql' ? new SharedRequestRate(database.db, apiRatePerMinute) : new RequestRate(apiRatePerMinute);
  const sessions = sessionRouter(API_PREFIX, apiDeps, failedLogins, rate);
  app.use(sessions.routes()).use(sessions.allowedMethods());
  const api = adminApiRouter(apiDeps, RESOURCES, failedLogins, rate);
  app.use(api.routes()).use(api.allowedMethods());
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
