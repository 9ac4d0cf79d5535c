import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseTarget } from '../../src/config';
import { openDatabase, type Database } from '../../src/store/db/database';
import { NationalIdCipher } from '../../src/store/crypto/nationalIdCipher';
import { TextKeyring } from '../../src/store/crypto/textKeyring';
import type { Engine } from '../../src/store/db/providers';
import { databaseUrl, onTestServer } from './postgresTestServer';

/** The engines this run tests: SQLite always, PostgreSQL when the global setup found a server. */
export const ENGINES_UNDER_TEST: Engine[] = process.env.SHOUWANG_TEST_POSTGRES_TEMPLATE ? ['sqlite', 'postgresql'] : ['sqlite'];

/** describe() once per engine; PostgreSQL shows up as skipped where no server is reachable. */
export function describeEachEngine(title: string, body: (engine: Engine) => void): void {
  describe.each(['sqlite', 'postgresql'] as Engine[])(`${title} [%s]`, (engine) => {
    if (!ENGINES_UNDER_TEST.includes(engine)) {
      it.skip('needs PostgreSQL (set SHOUWANG_TEST_POSTGRES_URL)', () => undefined);
      return;
    }
    body(engine);
  });
}

export interface TestDatabase extends Database {
  target: DatabaseTarget;
  dataKey: Buffer;
  cipher: NationalIdCipher;
  /** Seals the sensitive texts; the database's client already uses it. */
  keyring: TextKeyring;
  /** Closes the client and removes the database. */
  drop(): Promise<void>;
}

/** A freshly migrated database of its own, so tests never see each other's rows. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  // Random, not a counter: jest gives every test file a fresh module registry, so a counter
  // would restart at 1 for each file a worker runs and two files would share a database.
  const name = `shouwang_test_${process.env.SHOUWANG_TEST_RUN}_${randomBytes(6).toString('hex')}`;
  let target: DatabaseTarget;
  let remove = async () => {};
  if (engine === 'sqlite') {
    const file = path.join(process.env.SHOUWANG_TEST_DIR!, `${name}.db`);
    copyFileSync(process.env.SHOUWANG_TEST_SQLITE_TEMPLATE!, file);
    target = { engine, url: `file:${file}`, file };
  } else {
    const template = process.env.SHOUWANG_TEST_POSTGRES_TEMPLATE;
    if (!template) throw new Error('PostgreSQL is not available in this test run.');
    await onTestServer((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
    target = { engine, url: databaseUrl(name) };
    remove = () => onTestServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  }
  const dataKey = randomBytes(32);
  const keyring = new TextKeyring([dataKey]);
  const database = await openDatabase(target, keyring);
  return {
    ...database,
    target,
    dataKey,
    keyring,
    cipher: new NationalIdCipher(dataKey),
    drop: async () => {
      await database.close();
      await remove();
    },
  };
}
