import { Prisma, inTransaction, type Db } from '../../src/store/db/database';
import type { Engine } from '../../src/store/db/providers';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

// Raw statements run on the driver adapter directly (src/store/db/directRaw.ts). Prisma's own path
// for the same SQL and arguments is `$queryRawUnsafe`, which it still takes: the two must return
// the same values, of the same types, for every kind of column and argument the store uses.
const AT = new Date('2026-11-04T04:05:06.789Z');

/** The same statement as a template (direct) and as text with placeholders (Prisma's path). */
function both(db: Db, engine: Engine, sql: Prisma.Sql): Promise<[unknown[], unknown[]]> {
  return Promise.all([db.$queryRaw<unknown[]>(sql), db.$queryRawUnsafe<unknown[]>(engine === 'sqlite' ? sql.sql : sql.text, ...sql.values)]);
}

describeEachEngine('raw statements on the adapter, beside Prisma’s path', (engine) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    db = database.db;
    await db.$executeRaw`
      INSERT INTO "InboxMessage" ("channel", "platformMessageId", "botAccount", "kind", "fromExternalId", "fromName", "roomExternalId", "mentionsBot", "fromTag", "text", "attachmentSize", "receivedAt")
      VALUES ('http', 'm-1', 'bot', 'message', 'u-1', NULL, NULL, ${true}, NULL, ${'你好'}, ${12345}, ${AT})`;
    await db.outboxMessage.create({ data: { channel: 'http', botAccount: 'bot', address: 'u-1', text: '好', params: { name: '小红', n: 2 }, nextAttemptAt: AT, createdAt: AT } });
  });
  afterAll(() => database.drop());

  it('reads every column kind as Prisma does: integers, big counts, booleans, times, texts, JSON and nulls', async () => {
    const [direct, prisma] = await both(
      db,
      engine,
      Prisma.sql`SELECT "id", "mentionsBot", "receivedAt", "text", "fromName", "attachmentSize", "handledAt", COUNT(*) OVER () AS "n" FROM "InboxMessage" WHERE "platformMessageId" = ${'m-1'}`,
    );
    expect(direct).toEqual(prisma);
    expect(direct).toHaveLength(1);
    const [row] = direct as Array<Record<string, unknown>>;
    expect(row!.receivedAt).toEqual(AT);
    expect(typeof row!.n).toBe('bigint');
  });

  it('reads a JSON column and computed values as Prisma does', async () => {
    const [direct, prisma] = await both(db, engine, Prisma.sql`SELECT "params", "urgent", "isRoom", "nextAttemptAt", 1.5 AS "half", 'x' AS "word", NULL AS "nothing" FROM "OutboxMessage"`);
    expect(direct).toEqual(prisma);
  });

  it('binds strings, numbers, booleans, times, big integers, nulls and JSON arrays as Prisma does', async () => {
    const list = JSON.stringify([1, 2, 3]);
    const sql =
      engine === 'sqlite'
        ? Prisma.sql`SELECT ${'文字'} AS "s", ${42} AS "i", ${2.5} AS "f", ${true} AS "b", ${AT} AS "t", ${BigInt('9007199254740993')} AS "big", ${null} AS "z", (SELECT COUNT(*) FROM json_each(${list})) AS "c"`
        : Prisma.sql`SELECT ${'文字'}::text AS "s", ${42}::int AS "i", ${2.5}::float8 AS "f", ${true}::boolean AS "b", ${AT}::timestamp(3) AS "t", ${BigInt('9007199254740993')}::bigint AS "big", ${null}::text AS "z", jsonb_array_length(${list}::jsonb) AS "c"`;
    const [direct, prisma] = await both(db, engine, sql);
    expect(direct).toEqual(prisma);
  });

  it('returns the rows a write touched, and how many', async () => {
    const changed = await db.$executeRaw`UPDATE "InboxMessage" SET "fromTag" = ${'tag'} WHERE "platformMessageId" = ${'m-1'}`;
    expect(changed).toBe(1);
    expect(await db.$executeRaw`UPDATE "InboxMessage" SET "fromTag" = ${'tag'} WHERE "platformMessageId" = ${'none'}`).toBe(0);
  });

  it('runs a transaction’s raw statements inside it: they see its typed writes, and its rollback undoes them', async () => {
    const failed = inTransaction(db, async (tx) => {
      await tx.inboxMessage.create({ data: { channel: 'http', platformMessageId: 'm-2', botAccount: 'bot', kind: 'message', fromExternalId: 'u-2', text: 'a', receivedAt: AT } });
      const [seen] = await tx.$queryRaw<Array<{ n: bigint | number }>>`SELECT COUNT(*) AS "n" FROM "InboxMessage" WHERE "platformMessageId" = ${'m-2'}`;
      expect(Number(seen!.n)).toBe(1);
      await tx.$executeRaw`UPDATE "InboxMessage" SET "text" = ${'b'} WHERE "platformMessageId" = ${'m-1'}`;
      throw new Error('undo');
    });
    await expect(failed).rejects.toThrow('undo');
    expect(await db.inboxMessage.count({ where: { platformMessageId: 'm-2' } })).toBe(0);
    expect((await db.inboxMessage.findFirstOrThrow({ where: { platformMessageId: 'm-1' } })).text).toBe('你好');
  });

  it('refuses a raw statement on a transaction that has ended, rather than running it elsewhere', async () => {
    let late: Parameters<Parameters<typeof inTransaction>[1]>[0] | undefined;
    await inTransaction(db, async (tx) => {
      late = tx;
    });
    await expect(late!.$queryRaw`SELECT 1 AS "one"`).rejects.toThrow('outside its transaction');
  });

  it('runs its first statement on a client that has not connected yet', async () => {
    const fresh = await createTestDatabase(engine);
    try {
      const [direct, prisma] = await both(fresh.db, engine, Prisma.sql`SELECT 1 AS "one"`);
      expect(direct).toEqual(prisma);
      expect(direct).toHaveLength(1);
    } finally {
      await fresh.drop();
    }
  });
});
