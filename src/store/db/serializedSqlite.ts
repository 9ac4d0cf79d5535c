import type { ConnectionInfo, SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { Mutex } from 'async-mutex';
import type BetterSqlite3 from 'better-sqlite3';
import { keepingStatementsPrepared } from './preparedStatements';

/**
 * The better-sqlite3 adapter runs every query on one connection and locks only transactions
 * against each other: a query issued outside a transaction while one is open runs inside it,
 * and is undone if that transaction rolls back (a sent outbox row would be sent again). This
 * factory makes each statement outside a transaction wait for open transactions to finish.
 */
export class SerializedSqliteFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;

  constructor(private readonly inner: SqlDriverAdapterFactory) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return serialized(withPreparedStatements(await this.inner.connect()));
  }
}

/**
 * The adapter keeps its better-sqlite3 connection in a public `client` field and prepares every
 * statement through it; it offers no hook, so the field is swapped. An adapter release that
 * renames it fails here, so every SQLite test fails at once rather than the service running slower.
 */
function withPreparedStatements(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const holder = adapter as unknown as { client?: BetterSqlite3.Database };
  if (typeof holder.client?.prepare !== 'function') throw new Error(`${adapter.adapterName}: no better-sqlite3 client to keep statements prepared on`);
  holder.client = keepingStatementsPrepared(holder.client);
  return adapter;
}

/**
 * The SQLite that better-sqlite3 bundles binds up to 32,766 values a statement. Without being told,
 * Prisma assumes 999 and refuses a groupBy over 1,000 parents' ids (the weekly contact jobs' batch).
 */
const CONNECTION_INFO: ConnectionInfo = { maxBindValues: 32_766, supportsRelationJoins: false };

function serialized(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const mutex = new Mutex();
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key === 'getConnectionInfo') return () => CONNECTION_INFO;
      if (key === 'queryRaw' || key === 'executeRaw') {
        const statement = Reflect.get(target, key, receiver) as (input: unknown) => Promise<unknown>;
        return (input: unknown) => mutex.runExclusive(() => waitingOutBusy(() => statement.call(target, input)));
      }
      if (key === 'executeScript') {
        const script = Reflect.get(target, key, receiver) as (input: unknown) => Promise<unknown>;
        return (input: unknown) => mutex.runExclusive(() => script.call(target, input));
      }
      if (key === 'startTransaction') {
        return async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
          const release = await mutex.acquire();
          try {
            return releasingOnEnd(await target.startTransaction(...args), release);
          } catch (error) {
            release();
            throw error;
          }
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

function releasingOnEnd(transaction: Transaction, release: () => void): Transaction {
  let released = false;
  const end = (finish: () => Promise<void>) => async () => {
    try {
      await finish();
    } finally {
      if (!released) {
        released = true;
        release();
      }
    }
  };
  return new Proxy(transaction, {
    get(target, key, receiver) {
      if (key === 'commit') return end(() => target.commit());
      if (key === 'rollback') return end(() => target.rollback());
      if (key === 'queryRaw' || key === 'executeRaw') {
        const statement = Reflect.get(target, key, receiver) as (input: unknown) => Promise<unknown>;
        return (input: unknown) => waitingOutBusy(() => statement.call(target, input));
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * How long a statement waits for another process (a CLI command, an operator's sqlite3 shell) to
 * release SQLite's write lock. better-sqlite3's own busy timeout waits synchronously, freezing
 * every request, timer and send for its length; this wait yields between tries, so the service
 * keeps answering while the lock is held. After it the error stands (Prisma's P1008).
 */
const BUSY_WAIT_MS = 5000;
const FIRST_PAUSE_MS = 5;
const LONGEST_PAUSE_MS = 100;

async function waitingOutBusy<T>(statement: () => Promise<T>): Promise<T> {
  const until = Date.now() + BUSY_WAIT_MS;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return await statement();
    } catch (error) {
      if (!isBusy(error) || Date.now() + pause > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** SQLITE_BUSY and its extended codes, except a stale snapshot: only its transaction starting again resolves that. */
function isBusy(error: unknown): boolean {
  const code = (error as { cause?: { originalCode?: unknown } }).cause?.originalCode;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY') && code !== 'SQLITE_BUSY_SNAPSHOT';
}
