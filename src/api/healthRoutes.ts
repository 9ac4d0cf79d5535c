import Router from '@koa/router';
import type { ChannelStatus } from '../channel';
import type { Database } from '../store/db/database';
import type { SpoolState } from '../store/messaging/inboundSpool';
import { readMigrationStateWith, type MigrationState } from '../store/db/migrations/migrate';
import { outboxBacklog, type OutboxBacklog } from '../store/ops/operationalCounts';

export interface HealthSources {
  /** Each channel's accounts and their login state. */
  channels?: () => ChannelStatus[];
  clock?: () => Date;
  /** The inbound spool of a running service. */
  spool?: () => SpoolState;
  /** How long the answer waits for the database's; after it the database counts as not answering. */
  databaseWaitMs?: number;
}

/**
 * A probe waits behind the statements queued before it: on SQLite, while another program holds
 * the write lock, each of them waits out the busy lock (serializedSqlite.ts), and /healthz once took
 * 19 s. A supervisor's probe needs an answer sooner than that; a first PostgreSQL connection on a
 * loaded machine takes seconds (up to its 5 s connect timeout), which is no reason to report it away.
 */
const DATABASE_WAIT_MS = 5000;

interface DatabaseProbe {
  reachable: boolean;
  migrations: MigrationState | null;
  outbox: OutboxBacklog | null;
}

/**
 * GET /healthz: 200 `ok` when the database answers and every migration is applied; 200
 * `degraded` while inbound messages wait in the spool (the database is away, busy, or it is being
 * drained): the instance still accepts messages and a restart would not help; 503 otherwise.
 * Channel login states and the dispatcher backlog are reported, not judged: a logged-out
 * WeChat account needs a person to scan a QR code, not a restart.
 */
export function healthRoutes(database: Database, sources: HealthSources = {}): Router {
  const router = new Router();
  const clock = sources.clock ?? (() => new Date());
  const probe = async (): Promise<DatabaseProbe> => {
    const reachable = await database.ping();
    if (!reachable) return { reachable, migrations: null, outbox: null };
    const migrations = await readMigrationStateWith(database.db, database.engine).catch(() => null);
    return { reachable, migrations, outbox: await outboxBacklog(database.db, clock()).catch(() => null) };
  };
  router.get('/healthz', async (ctx) => {
    const answered = await withinMs(probe(), sources.databaseWaitMs ?? DATABASE_WAIT_MS);
    const { reachable, migrations, outbox } = answered ?? { reachable: false, migrations: null, outbox: null };
    const upToDate = migrations !== null && migrations.pending.length === 0 && migrations.unknown.length === 0;
    const spool = sources.spool?.();
    const status = reachable ? (!upToDate ? 'unhealthy' : spool && spool.depth > 0 ? 'degraded' : 'ok') : spool?.writable ? 'degraded' : 'unhealthy';
    ctx.status = status === 'unhealthy' ? 503 : 200;
    ctx.body = {
      status,
      database: { engine: database.engine, reachable, ...(answered ? {} : { answering: false }) },
      ...(spool ? { spool } : {}),
      migrations: migrations && {
        upToDate,
        applied: migrations.applied.length,
        latest: migrations.applied.at(-1) ?? null,
        pending: migrations.pending,
      },
      channels: sources.channels?.() ?? [],
      outbox,
    };
  });
  return router;
}

/** The work's value, or null if it has not settled within the time (it goes on, unobserved). */
function withinMs<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
