import Router from '@koa/router';
import type { ChannelStatus } from '../channel';
import type { Database } from '../store/database';
import { readMigrationStateWith } from '../store/migrations/migrate';
import { outboxBacklog } from '../store/operationalCounts';

export interface HealthSources {
  /** Each channel's accounts and their login state. */
  channels?: () => ChannelStatus[];
  clock?: () => Date;
}

/**
 * GET /healthz: 200 when the database answers and every migration is applied, 503 otherwise.
 * Channel login states and the dispatcher backlog are reported, not judged: a logged-out
 * WeChat account needs a person to scan a QR code, not a restart.
 */
export function healthRoutes(database: Database, sources: HealthSources = {}): Router {
  const router = new Router();
  const clock = sources.clock ?? (() => new Date());
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
      channels: sources.channels?.() ?? [],
      outbox: reachable ? await outboxBacklog(database.db, clock()).catch(() => null) : null,
    };
  });
  return router;
}
