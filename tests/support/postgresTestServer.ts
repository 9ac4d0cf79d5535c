import { Client } from 'pg';

/** The server the PostgreSQL tests use; CI sets SHOUWANG_REQUIRE_POSTGRES=1 so a missing server fails the run. */
export const POSTGRES_TEST_URL = process.env.SHOUWANG_TEST_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432/test';

export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_TEST_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function onTestServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
