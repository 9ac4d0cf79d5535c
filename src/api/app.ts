import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import type Router from '@koa/router';
import Koa from 'koa';
import type { ChannelStatus } from '../channel';
import type { Logger } from '../log';
import type { ServiceMetrics } from '../metrics';
import type { Database } from '../store/database';
import type { NationalIdCipher } from '../store/nationalIdCipher';
import { adminApiRouter, API_PREFIX } from './adminApi';
import { healthRoutes } from './healthRoutes';
import { metricsRoutes } from './metricsRoutes';
import { requestLog } from './requestLog';

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
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For (failed-login limits are per address). */
  trustProxy?: boolean;
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
  trustProxy = false,
}: AppDependencies): Koa {
  // Without a proxy in front, X-Forwarded-For is whatever the client says: trusting it would let a guesser dodge the limit.
  const app = new Koa({ proxy: trustProxy });
  app.use(requestLog(logger));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
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
  const health = healthRoutes(database, { channels, clock });
  app.use(health.routes()).use(health.allowedMethods());
  if (metrics) app.use(metricsRoutes(metrics).routes());
  const api = adminApiRouter({ database, db: database.db, cipher, logger, clock, timeZone, inviteTtlDays, caseDeadlines });
  app.use(api.routes()).use(api.allowedMethods());
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
