import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createApp } from '../../src/api/app';
import { healthRoutes, type HealthSources } from '../../src/api/healthRoutes';
import { createLogger } from '../../src/log';
import type { Database } from '../../src/store/db/database';
import { migrationNames } from '../../src/store/db/migrations/migrationsFolder';
import { PROVIDER_FILES } from '../../src/store/db/providers';
import { onTestServer } from '../support/postgresTestServer';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

describeEachEngine('GET /healthz', (engine) => {
  let database: TestDatabase;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    server = createApp({ database, cipher: database.cipher, logger: createLogger('silent') }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.drop();
  });

  it('reports a reachable, fully migrated database as healthy', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const migrations = migrationNames(PROVIDER_FILES[engine].migrationsDir);
    expect(await response.json()).toMatchObject({ status: 'ok', migrations: { upToDate: true, applied: migrations.length, latest: migrations.at(-1), pending: [] } });
  });

  it('reports 503 with the pending migration when the database is behind the code', async () => {
    const [latest] = await database.db.$queryRawUnsafe<Array<{ migration_name: string }>>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
    );
    await database.db.$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE migration_name = '${latest!.migration_name}'`);
    try {
      const response = await fetch(url);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unhealthy', migrations: { upToDate: false, pending: [latest!.migration_name] } });
    } finally {
      await database.db.$executeRawUnsafe(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ('restored', 'x', '${latest!.migration_name}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`,
      );
    }
  });

  // An open SQLite file cannot become unreachable; a PostgreSQL database can disappear.
  if (engine === 'postgresql') {
    it('reports 503 when the database cannot be reached', async () => {
      await onTestServer((client) => client.query(`DROP DATABASE "${new URL(database.target.url).pathname.slice(1)}" WITH (FORCE)`));
      const response = await fetch(url);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unhealthy', database: { engine, reachable: false } });
    });
  }
});

describe('GET /healthz while the database does not answer', () => {
  /** A database whose every statement waits behind others (SQLite's busy lock held by another program). */
  const stuck = { engine: 'sqlite', ping: () => new Promise<boolean>(() => undefined) } as unknown as Database;
  const serve = async (sources: HealthSources) => {
    const app = new Koa().use(healthRoutes(stuck, { databaseWaitMs: 50, ...sources }).routes());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  };

  it('answers degraded, without waiting for it, while the spool takes messages', async () => {
    const { status, body } = await serve({ spool: () => ({ depth: 1, writable: true }) });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', database: { engine: 'sqlite', reachable: false, answering: false }, outbox: null });
  });

  it('answers 503 when nothing would keep a message', async () => {
    const { status, body } = await serve({ spool: () => ({ depth: 0, writable: false }) });
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'unhealthy', database: { answering: false } });
  });
});
