import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { DatabaseTarget } from '../src/config';
import { openDatabase, type Database } from '../src/store/db/database';
import type { Engine } from '../src/store/db/providers';
import { TextKeyring } from '../src/store/crypto/textKeyring';

/** Where `--db postgres` creates its databases: any database on the server will do to connect. */
export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  target: DatabaseTarget;
  /** Opens another client on the same database: a second service instance, sealing texts as the service does unless the run asked for clear texts. */
  open(): Promise<Database>;
  /** Removes the database (the temp file, or DROP DATABASE). */
  drop(): Promise<void>;
}

/**
 * A database of its own for one run, migrated with the project's offline migrations, so a run
 * starts from the schema the service uses and never touches anyone's data.
 */
export async function createBenchDatabase(engine: Engine, serverUrl: string, options: { clearTexts?: boolean } = {}): Promise<BenchDatabase> {
  // One ring for every client of the run, as the instances of a service share SHOUWANG_TEXT_KEYS.
  const keyring = options.clearTexts ? undefined : new TextKeyring([randomBytes(32)]);
  const name = `shouwang_bench_${randomBytes(4).toString('hex')}`;
  let target: DatabaseTarget;
  let remove: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-bench-'));
    const file = path.join(dir, `${name}.db`);
    target = { engine, url: `file:${file}`, file };
    remove = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    await onServer(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    target = { engine, url: url.toString() };
    remove = () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  }
  try {
    const location = target.engine === 'sqlite' ? target.file : target.url;
    await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'migrate.ts'), target.engine, location]);
  } catch (error) {
    await remove();
    throw error;
  }
  return { target, open: () => openDatabase(target, keyring), drop: remove };
}

async function onServer<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
