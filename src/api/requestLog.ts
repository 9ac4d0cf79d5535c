import type { Middleware } from 'koa';
import type { Logger } from '../log';

/**
 * One structured line per request. Only the matched route pattern (`/api/v1/children/:id`) is
 * logged: never the raw path, query strings or bodies, where names, ID numbers, phones and
 * addresses travel. An unmatched request logs no route at all.
 */
export function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      const auth = ctx.state.auth as { tokenId?: number | null; userId?: number | null } | undefined;
      const tokenId = auth?.tokenId;
      const userId = auth?.userId;
      logger.info(
        { method: ctx.method, route: typeof route === 'string' ? route : null, status: ctx.status, ms: Math.round(ms * 10) / 10, ...(tokenId ? { tokenId } : {}), ...(userId ? { userId } : {}) },
        'request',
      );
    }
  };
}
