import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { DatabaseTarget } from '../../config';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client';
import type { Engine } from './providers';
import { withSealedTexts } from '../crypto/sealedTexts';
import type { TextKeyring } from '../crypto/textKeyring';
import { SerializedSqliteFactory } from './serializedSqlite';
import { DirectRaw } from './directRaw';
import { behindStatementlessPooler, namingRepeatedStatements } from './namedStatements';

export { Prisma } from '../generated/sqlite/client';
export type * from '../generated/sqlite/client';

/**
 * The Prisma client, typed from the SQLite schema. The PostgreSQL client is generated from
 * the same models; the two differ only in $transaction isolation-level names.
 */
export type Db = SqliteClient;

export interface Database {
  db: Db;
  engine: Engine;
  /** Where it is: what a reader needing the driver itself (the audit verifier) opens. */
  target: DatabaseTarget;
  /** True when a trivial query succeeds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** With a keyring, the sensitive free texts are sealed at rest (src/store/crypto/sealedTexts.ts). */
export async function openDatabase(target: DatabaseTarget, keyring?: TextKeyring): Promise<Database> {
  const direct = new DirectRaw(target.engine, TRANSACTION_OPTIONS);
  const client = target.engine === 'sqlite' ? await openSqlite(target.file, direct) : openPostgres(target.url, direct);
  const db = direct.client(keyring ? withSealedTexts(client, keyring) : client);
  return {
    db,
    engine: target.engine,
    target,
    ping: () =>
      db.$queryRawUnsafe('SELECT 1').then(
        () => true,
        () => false,
      ),
    close: () => db.$disconnect(),
  };
}

/**
 * SQLite runs one transaction at a time: a message arriving while a job writes a batch waits
 * for it rather than failing after Prisma's default two seconds.
 */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 15_000 };

/**
 * 'minimal': any other format makes Prisma capture a stack trace (new Error) on every query to
 * point at the calling line in its messages, some 6% of the CPU of an inbound message
 * (BENCHMARKS.md). Logs keep the error's message and code either way.
 */
const ERROR_FORMAT = 'minimal';

const SYNC_BUSY_TIMEOUT_MS = 20;

async function openSqlite(file: string, direct: DirectRaw): Promise<Db> {
  mkdirSync(path.dirname(file), { recursive: true });
  // timeout is better-sqlite3's busy timeout, which blocks the event loop: a brief one, and the
  // rest of the wait for a writer in another process yields (serializedSqlite.ts).
  const db = new SqliteClient({
    adapter: direct.factory(new SerializedSqliteFactory(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: SYNC_BUSY_TIMEOUT_MS }))),
    transactionOptions: TRANSACTION_OPTIONS,
    errorFormat: ERROR_FORMAT,
  });
  // WAL lets readers (API, ledgers) run while the dispatcher and jobs write.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}

/** A database that does not answer a connection attempt counts as away (the inbox spools) rather than hanging requests. */
const POSTGRES_CONNECT_TIMEOUT_MS = 5000;

/**
 * A pooled connection idle this long is closed (pg's default, named here): a burst of work, such as
 * exports running side by side, opens connections that a quiet service then gives back.
 */
export const POSTGRES_IDLE_CLOSE_MS = 10_000;

/**
 * A pooled connection is replaced after this long. Its named statements (namedStatements.ts) keep
 * the plan PostgreSQL made on their sixth run, and a plan made while a table was nearly empty (a new
 * deployment's outbox, say) scans the whole table once it has grown; autovacuum's ANALYZE replaces
 * such plans too, but only where it runs. A new connection plans afresh: a stale plan lasts at most
 * this long. Longer lifetimes measured slower on the chat path (BENCHMARKS.md, "Statements parsed
 * once"), and a reconnection every few seconds costs the server little.
 */
export const POSTGRES_CONNECTION_LIFETIME_S = 10;

function openPostgres(url: string, direct: DirectRaw): Db {
  const pool = { connectionString: url, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS, idleTimeoutMillis: POSTGRES_IDLE_CLOSE_MS, maxLifetimeSeconds: POSTGRES_CONNECTION_LIFETIME_S };
  const naming = behindStatementlessPooler(url) ? {} : { statementNameGenerator: namingRepeatedStatements() };
  return new PostgresClient({ adapter: direct.factory(new PrismaPg(pool, naming)), transactionOptions: TRANSACTION_OPTIONS, errorFormat: ERROR_FORMAT }) as unknown as Db;
}

/** The client inside an interactive transaction: handlers write state and outbox rows through it. */
export type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/** Limits an interactive transaction may be given (a batch takes longer than a message). */
export type TransactionOptions = { maxWait?: number; timeout?: number };

/**
 * Runs `work` in one interactive transaction: the doors (chat, API, jobs, CLI) open their unit of
 * work here, so only src/store calls the Prisma client (tests/unit/architecture/prismaCalls.test.ts).
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
  return db.$transaction(work, options);
}
