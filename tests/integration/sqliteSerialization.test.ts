import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

describe('SQLite with one connection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  it('keeps a write made outside a transaction when a transaction open at the same time rolls back', async () => {
    const { db } = database;
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
    // The dispatcher marking a row sent, say: it must not become part of the open transaction.
    // (Prisma queries are lazy: then() starts it now, while the transaction is still open.)
    const outside = db.serviceSetting.create({ data: { key: 'outside', value: 'kept' } }).then((row) => row);
    await new Promise((resolve) => setTimeout(resolve, 200));
    finish();
    await expect(rolledBack).rejects.toThrow('handler failed');
    await outside;
    expect(await db.serviceSetting.findMany({ where: { key: { in: ['inside', 'outside'] } }, select: { key: true } })).toEqual([{ key: 'outside' }]);
  });
});
