import { Prisma, inTransaction, type Db, type Tx } from '../../src/store/db/database';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

// Interactive transactions run on the driver adapter (src/store/db/adapterTransaction.ts): raw
// statements on its transaction, typed ones through Prisma's transaction adopting it. Whatever
// mix a unit of work uses, it commits or rolls back as one, and keeps Prisma's limits.
const AT = new Date('2026-11-04T04:05:06.789Z');

function insertRaw(tx: Tx | Db, id: string): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "InboxMessage" ("channel", "platformMessageId", "botAccount", "kind", "fromExternalId", "mentionsBot", "text", "receivedAt")
    VALUES ('http', ${id}, 'bot', 'message', 'u-1', ${false}, ${'你好'}, ${AT})`;
}

function insertTyped(tx: Tx | Db, id: string) {
  return tx.inboxMessage.create({ data: { channel: 'http', platformMessageId: id, botAccount: 'bot', kind: 'message', fromExternalId: 'u-2', text: '好', receivedAt: AT } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachEngine('a unit of work on the adapter’s transaction', (engine) => {
  let database: TestDatabase;
  let db: Db;
  const kept = (id: string) => db.inboxMessage.count({ where: { platformMessageId: id } });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    db = database.db;
  });
  afterAll(() => database.drop());

  it('commits raw statements alone, and undoes them when the work fails', async () => {
    expect(await inTransaction(db, (tx) => insertRaw(tx, 'raw-kept'))).toBe(1);
    await expect(
      inTransaction(db, async (tx) => {
        await insertRaw(tx, 'raw-undone');
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await kept('raw-kept')).toBe(1);
    expect(await kept('raw-undone')).toBe(0);
  });

  it('runs a typed statement after raw ones in the same transaction: it sees them, and both commit or neither', async () => {
    const seen = await inTransaction(db, async (tx) => {
      await insertRaw(tx, 'mixed-raw');
      await insertTyped(tx, 'mixed-typed');
      return tx.inboxMessage.count({ where: { platformMessageId: { in: ['mixed-raw', 'mixed-typed'] } } });
    });
    expect(seen).toBe(2);
    expect(await kept('mixed-raw')).toBe(1);
    expect(await kept('mixed-typed')).toBe(1);

    await expect(
      inTransaction(db, async (tx) => {
        await insertRaw(tx, 'mixed-raw-undone');
        await insertTyped(tx, 'mixed-typed-undone');
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await kept('mixed-raw-undone')).toBe(0);
    expect(await kept('mixed-typed-undone')).toBe(0);
  });

  it('passes on a typed statement’s own error, with its code, and rolls the raw ones back', async () => {
    await insertTyped(db, 'taken');
    const failed = inTransaction(db, async (tx) => {
      await insertRaw(tx, 'before-duplicate');
      await insertTyped(tx, 'taken');
    });
    await expect(failed).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(failed).rejects.toMatchObject({ code: 'P2002' });
    expect(await kept('before-duplicate')).toBe(0);
  });

  it('rolls back a unit that outlives its timeout, refuses its later statements, and leaves the database free', async () => {
    let late: Tx | undefined;
    const slow = inTransaction(
      db,
      async (tx) => {
        late = tx;
        await insertRaw(tx, 'too-slow');
        await sleep(400);
      },
      { timeout: 100 },
    );
    await expect(slow).rejects.toMatchObject({ code: 'P2028' });
    expect(await kept('too-slow')).toBe(0);
    await expect(insertRaw(late!, 'after-timeout')).rejects.toThrow('outside its transaction');
    await expect(insertTyped(late!, 'after-timeout-typed')).rejects.toThrow('outside its transaction');
    expect(await inTransaction(db, (tx) => insertRaw(tx, 'after-the-slow-one'))).toBe(1);
  });

  it('fails a unit that outlived its timeout as expired, even when a late statement of its own failed first', async () => {
    const slow = inTransaction(
      db,
      async (tx) => {
        await sleep(300);
        await insertRaw(tx, 'late-statement');
      },
      { timeout: 100 },
    );
    await expect(slow).rejects.toMatchObject({ code: 'P2028' });
    expect(await kept('late-statement')).toBe(0);
  });

  it('still runs a batch of typed statements as Prisma’s own transaction', async () => {
    await db.$transaction([insertTyped(db, 'batch-1'), insertTyped(db, 'batch-2')]);
    expect(await kept('batch-1')).toBe(1);
    expect(await kept('batch-2')).toBe(1);
  });
});

describe('a unit of work waiting for SQLite’s one writer', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('gives up after maxWait, and the one that gave up holds nothing once it would have started', async () => {
    const { db } = database;
    let release: () => void = () => undefined;
    const holding = inTransaction(db, async (tx) => {
      await insertRaw(tx, 'holder');
      await new Promise<void>((resolve) => (release = resolve));
    });
    await sleep(20);
    await expect(inTransaction(db, (tx) => insertRaw(tx, 'waiter'), { maxWait: 50 })).rejects.toMatchObject({ code: 'P2028' });
    release();
    await holding;
    expect(await inTransaction(db, (tx) => insertRaw(tx, 'next'), { maxWait: 1_000 })).toBe(1);
    expect(await db.inboxMessage.count({ where: { platformMessageId: 'waiter' } })).toBe(0);
  });
});
