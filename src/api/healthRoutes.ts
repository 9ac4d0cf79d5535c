import Router from '@koa/router';
import type { ChannelStatus } from '../channel';
import type { Database } from '../store/database';
import type { SpoolState } from '../store/inboundSpool';
import { readMigrationStateWith } from '../store/migrations/migrate';
import { outboxBacklog } from '../store/operationalCounts';

export interface HealthSources {
  /** Each channel's accounts and their login state. */
  channels?: () => ChannelStatus[];
  clock?: () => Date;
  /** The inbound spool of a running service. */
  spool?: () => SpoolState;
}

/**
 * GET /healthz: 200 `ok` when the database answers and every migration is applied; 200
 * `degraded` while inbound messages wait in the spool (the database is away, or it is being
 * drained): the instance still accepts messages and a restart would not help; 503 otherwise.
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
    const spool = sources.spool?.();
    const status = reachable ? (!upToDate ? 'unhealthy' : spool && spool.depth > 0 ? 'degraded' : 'ok') : spool?.writable ? 'degraded' : 'unhealthy';
    ctx.status = status === 'unhealthy' ? 503 : 200;
    ctx.body = {
      status,
      database: { engine: database.engine, reachable },
      ...(spool ? { spool } : {}),
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
