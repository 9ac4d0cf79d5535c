import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../../src/store/generated/sqlite/client';
import { openDatabase } from '../../src/store/db/database';
import { SerializedSqliteFactory } from '../../src/store/db/serializedSqlite';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The better-sqlite3 factory, telling when a statement outside any transaction is handed to the
 * serialized adapter: SerializedSqliteFactory reads the statement method off the adapter as the
 * statement is issued, before it waits for open transactions.
 */
function watchedFactory(file: string, onStatementIssued: () => void): SqlDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: `file:${file}` });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await inner.connect();
      return new Proxy(adapter, {
        get(target, key) {
          if (key === 'queryRaw' || key === 'executeRaw') onStatementIssued();
          const value = Reflect.get(target, key, target);
          // The adapter's methods read its private fields: call them on the adapter, not the proxy.
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

describe('SQLite with one connection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('keeps a write made outside a transaction when a transaction open at the same time rolls back', async () => {
    if (database.target.engine !== 'sqlite') throw new Error('a SQLite test');
    let onStatementIssued = () => {};
    const db = new PrismaClient({ adapter: new SerializedSqliteFactory(watchedFactory(database.target.file, () => onStatementIssued())) });
    try {
      let inside!: () => void;
      const started = new Promise<void>((resolve) => (inside = resolve));
      let finish!: () => void;
      const held = new Promise<void>((resolve) => (finish = resolve));
      const rolledBack = db.$transaction(
        async (tx) => {
          await tx.serviceSetting.create({ data: { key: 'inside', value: 'rolled back' } });
          inside();
          await held;
          throw new Error('handler failed');
        },
        { timeout: 10_000 },
      );
      await started;
      const issued = new Promise<void>((resolve) => (onStatementIssued = resolve));
      // The dispatcher marking a row sent, say: it must not become part of the open transaction.
      // (Prisma queries are lazy: then() starts it now, while the transaction is still open.)
      const outside = db.serviceSetting.create({ data: { key: 'outside', value: 'kept' } }).then((row) => row);
      // The write reached the adapter while the transaction is open; only then does the transaction end.
      await issued;
      finish();
      await expect(rolledBack).rejects.toThrow('handler failed');
      await outside;
      expect(await db.serviceSetting.findMany({ where: { key: { in: ['inside', 'outside'] } }, select: { key: true } })).toEqual([{ key: 'outside' }]);
    } finally {
      await db.$disconnect();
    }
  });

  it('waits for another program holding the write lock while the rest of the service keeps running', async () => {
    if (database.target.engine !== 'sqlite') throw new Error('a SQLite test');
    const service = await openDatabase(database.target);
    const other = new BetterSqlite3(database.target.file);
    let letGo: NodeJS.Timeout | undefined;
    try {
      other.exec('BEGIN IMMEDIATE');
      // The other program lets go on a timer of this process: a wait that froze the event loop would never see it.
      letGo = setTimeout(() => other.exec('COMMIT'), 500);
      await expect(service.db.$executeRawUnsafe('CREATE TABLE written_after_the_lock (x INTEGER)')).resolves.toBe(0);
    } finally {
      clearTimeout(letGo);
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await service.close();
    }
  });
});
