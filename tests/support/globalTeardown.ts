import { rmSync } from 'node:fs';
import { onTestServer } from './postgresTestServer';

/** Drops every database this run created, including any a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.SHOUWANG_TEST_RUN;
  if (process.env.SHOUWANG_TEST_POSTGRES_TEMPLATE && runId) {
    await onTestServer(async (client) => {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `shouwang_test_${runId}_%`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    });
  }
  if (process.env.SHOUWANG_TEST_DIR) rmSync(process.env.SHOUWANG_TEST_DIR, { recursive: true, force: true });
}
