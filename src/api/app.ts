import type Router from '@koa/router';
import Koa from 'koa';
import type { ChannelStatus } from '../chat/channel';
import type { Logger } from '../log';
import type { ServiceMetrics } from '../metrics';
import type { Database } from '../store/database';
import { healthRoutes } from './healthRoutes';
import { metricsRoutes } from './metricsRoutes';
import { requestLog } from './requestLog';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  /** Routers of channels that receive over HTTP. */
  routers?: Router[];
  /** Login states for /healthz. */
  channels?: () => ChannelStatus[];
  /** Serves /metrics when given. */
  metrics?: ServiceMetrics;
}

/** The HTTP surface of the service; channels and the admin API mount their routers here. */
export function createApp({ database, logger, routers = [], channels, metrics }: AppDependencies): Koa {
  const app = new Koa();
  app.use(requestLog(logger));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      logger.error({ err: error, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal_error' };
    }
  });
  const health = healthRoutes(database, { channels });
  app.use(health.routes()).use(health.allowedMethods());
  if (metrics) app.use(metricsRoutes(metrics).routes());
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
