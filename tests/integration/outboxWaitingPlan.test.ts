import { Prisma, type Db } from '../../src/store/db/database';
import { anythingWaitingFor, waitingRowIds } from '../../src/store/messaging/outboxLeases';
import { writeFanOutPrompts } from '../support/fanOutPrompts';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

const NOW = new Date('2026-11-30T01:00:00.000Z');
const PROMPTS = 5000;

/**
 * Every inbound message asks whether anything waits for the sender's next message. Right after a
 * fan-out the outbox holds a prompt for every away parent, pending, and the statistics PostgreSQL
 * plans by still describe the outbox before it: with a status condition in the read it took the
 * dispatcher's (channel, botAccount, status) index and walked every pending row, 1.4 s a message at
 * a city of 1,000,000 children (BENCHMARKS.md "1,000,000 children, quiet").
 */
describeEachEngine('the waiting-messages read right after a fan-out', (engine) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    db = database.db;
    // Statistics taken while the outbox was empty, then the fan-out's pending prompts.
    await db.$executeRawUnsafe(engine === 'postgresql' ? 'VACUUM ANALYZE "OutboxMessage"' : 'ANALYZE');
    await writeFanOutPrompts(db, PROMPTS, NOW);
  });
  afterAll(() => database.drop());

  it.each([
    ['the waiting rows', () => waitingRowIds({ channel: 'wechatmp', botAccount: 'mp', address: 'openid-7' })],
    ['whether anything waits (the inbox row’s INSERT asks)', () => Prisma.sql`SELECT ${anythingWaitingFor({ channel: 'wechatmp', botAccount: 'mp', address: 'openid-7' })} AS "waiting"`],
  ])('finds %s by the sender’s address, not through every pending prompt', async (_, statement) => {
    const read = statement();
    const plan =
      engine === 'postgresql'
        ? JSON.stringify(await db.$queryRaw(Prisma.sql`EXPLAIN (FORMAT JSON) ${read}`))
        : (await db.$queryRaw<Array<{ detail: string }>>(Prisma.sql`EXPLAIN QUERY PLAN ${read}`)).map((row) => row.detail).join('\n');
    expect(plan).toContain('OutboxMessage_channel_botAccount_address_waitingSince_idx');
    expect(plan).not.toContain('OutboxMessage_channel_botAccount_status_idx');
  });
});
