import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATA_KEY_FILE } from '../../src/store/crypto/dataKey';
import { migrationNames } from '../../src/store/db/migrations/migrationsFolder';
import { PROVIDER_FILES } from '../../src/store/db/providers';
import { runTs } from '../support/runTs';
import { startServiceProcess } from '../support/serviceProcess';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 1, services: 1 }));

const KEY = 'b'.repeat(64);

async function health(url: string) {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Start-up failures are one sentence on stderr and a non-zero exit, never a stack trace. */
async function failedStart(env: Record<string, string>) {
  const result = await runTs('src/main.ts', [], { HOST: '127.0.0.1', PORT: '0', ...env });
  expect(result.code).not.toBe(0);
  expect(result.stdout).not.toMatch(/listening/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result.stderr.trim();
}

describe('npm start on a fresh machine', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-start-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the SQLite database and its data key, migrates, and reports healthy', async () => {
    const file = path.join(dir, 'nested', 'shouwang.db');
    const service = await startServiceProcess({ DATABASE_URL: `file:${file}` });
    try {
      const { status, body } = await health(service.url);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', database: { engine: 'sqlite', reachable: true }, migrations: { upToDate: true, pending: [] } });
      const migrations = migrationNames(PROVIDER_FILES.sqlite.migrationsDir);
      expect(body.migrations).toMatchObject({ applied: migrations.length, latest: migrations.at(-1) });
      expect(existsSync(path.join(dir, 'nested', DATA_KEY_FILE))).toBe(true);
      expect(service.output()).toMatch(/generated a data key/);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });
});

describeEachEngine('start-up', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(() => database.drop());

  it('serves /healthz as healthy on an up-to-date database', async () => {
    const service = await startServiceProcess({ DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: KEY });
    try {
      const { status, body } = await health(service.url);
      expect(status).toBe(200);
      expect(body.database).toEqual({ engine, reachable: true });
    } finally {
      await service.stop();
    }
  });

  it('refuses a database with a newer migration than the code, and changes nothing', async () => {
    await database.db.$executeRawUnsafe(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('future', 'x', '29991231000000_from_the_future', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`,
    );
    const message = await failedStart({ DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: KEY });
    expect(message).toMatch(/^The database has migration 29991231000000_from_the_future, which this version of Shouwang does not know/);
    expect(await database.db.serviceSetting.count()).toBe(0);
  });

  it('refuses a data key other than the one the database was encrypted with', async () => {
    const first = await startServiceProcess({ DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: KEY });
    await first.stop();
    const message = await failedStart({ DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: 'c'.repeat(64) });
    expect(message).toMatch(/SHOUWANG_DATA_KEY is not the key this database was encrypted with/);
  });
});

describe('start-up with bad configuration', () => {
  it('stops on a malformed DATABASE_URL', async () => {
    expect(await failedStart({ DATABASE_URL: 'mysql://localhost/shouwang' })).toBe(
      'Configuration error: DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL).',
    );
  });

  it('stops when PostgreSQL is unreachable', async () => {
    expect(await failedStart({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/shouwang', SHOUWANG_DATA_KEY: KEY })).toBe(
      'Cannot reach PostgreSQL at 127.0.0.1:1/shouwang: the connection was refused.',
    );
  });

  it('stops on a short data key, before touching the database', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-key-'));
    const file = path.join(dir, 'shouwang.db');
    expect(await failedStart({ DATABASE_URL: `file:${file}`, SHOUWANG_DATA_KEY: 'short' })).toMatch(
      /^Configuration error: SHOUWANG_DATA_KEY must be a 32-byte key/,
    );
    expect(existsSync(file)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops on a missing data key with PostgreSQL', async () => {
    expect(await failedStart({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/shouwang' })).toMatch(
      /^Configuration error: SHOUWANG_DATA_KEY is required with PostgreSQL/,
    );
  });
});

describe('the SQLite file after a refused start', () => {
  it('keeps its rows when a newer migration is found', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-newer-'));
    const file = path.join(dir, 'shouwang.db');
    const first = await startServiceProcess({ DATABASE_URL: `file:${file}` });
    await first.stop();
    const db = new Database(file);
    db.prepare(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('f', 'x', '29991231000000_later', 0, 0, 1)",
    ).run();
    const before = db.prepare('SELECT count(*) AS n FROM _prisma_migrations').get();
    db.close();
    await failedStart({ DATABASE_URL: `file:${file}` });
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT count(*) AS n FROM _prisma_migrations').get()).toEqual(before);
    after.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
