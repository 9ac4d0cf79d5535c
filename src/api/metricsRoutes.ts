import Router from '@koa/router';
import type { ServiceMetrics } from '../metrics';

/** GET /metrics: Prometheus text format, from the service's own registry. */
export function metricsRoutes(metrics: ServiceMetrics): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
