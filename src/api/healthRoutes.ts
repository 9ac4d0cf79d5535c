import Router from '@koa/router';
import type { Database } from '../store/database';
import { readMigrationStateWith } from '../store/migrations/migrate';

/** GET /healthz: 200 when the database answers and every migration is applied, 503 otherwise. */
export function healthRoutes(database: Database): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const reachable = await database.ping();
    const migrations = reachable ? await readMigrationStateWith(database.db, database.engine).catch(() => null) : null;
    const upToDate = migrations !== null && migrations.pending.length === 0 && migrations.unknown.length === 0;
    const healthy = reachable && upToDate;
    ctx.status = healthy ? 200 : 503;
    ctx.body = {
      status: healthy ? 'ok' : 'unhealthy',
      database: { engine: database.engine, reachable },
      migrations: migrations && {
        upToDate,
        applied: migrations.applied.length,
        latest: migrations.applied.at(-1) ?? null,
        pending: migrations.pending,
      },
    };
  });
  return router;
}
