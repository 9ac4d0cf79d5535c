import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseUrl, onTestServer, POSTGRES_TEST_URL } from './postgresTestServer';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Migrates one template database per engine for the whole run; each test file then gets a
 * fresh copy (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL).
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}${process.pid}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-test-'));
  const sqliteTemplate = path.join(dir, 'template.db');
  migrate('sqlite', sqliteTemplate);
  process.env.SHOUWANG_TEST_RUN = runId;
  process.env.SHOUWANG_TEST_DIR = dir;
  process.env.SHOUWANG_TEST_SQLITE_TEMPLATE = sqliteTemplate;

  const reachable: true | Error = await onTestServer(async () => true as const).catch((error: Error) => error);
  if (reachable !== true) {
    if (process.env.SHOUWANG_REQUIRE_POSTGRES === '1') {
      throw new Error(`PostgreSQL tests are required but ${POSTGRES_TEST_URL} is unreachable: ${reachable.message}`);
    }
    process.stdout.write(`\n⚠ PostgreSQL tests SKIPPED: ${POSTGRES_TEST_URL} is unreachable (${reachable.message}).\n`);
    return;
  }
  const template = `shouwang_test_${runId}_template`;
  await onTestServer((client) => client.query(`CREATE DATABASE "${template}"`));
  migrate('postgresql', databaseUrl(template));
  process.env.SHOUWANG_TEST_POSTGRES_TEMPLATE = template;
}

function migrate(engine: 'sqlite' | 'postgresql', location: string): void {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/support/migrateForTests.ts'), engine, location], {
    stdio: 'inherit',
  });
}
