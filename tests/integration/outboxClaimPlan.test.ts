import { Prisma } from '../../src/store/db/database';
import { claimableIds } from '../../src/store/messaging/outboxLeases';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/**
 * The dispatcher claims on every round, several times a second under chat traffic. SQLite plans
 * by the shape of its indexes (it keeps no statistics unless told to ANALYZE): with the account's
 * (channel, botAccount, address, …) index it walked every row the account ever sent, and the
 * 30-minute soak's event-loop delay grew with the outbox (BENCHMARKS.md). PostgreSQL plans by its
 * statistics, so only SQLite's plan is pinned here; the claim's behaviour is tested on both
 * engines in dispatcher.test.ts.
 */
describe('the outbox claim plan [sqlite]', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.drop());

  const plan = async (quiet: boolean) => {
    const ids = claimableIds('sqlite', { channel: 'wechaty', botAccount: 'village-a', now: new Date('2026-03-02T02:00:00.000Z'), limit: 50, quiet });
    const rows = await database.db.$queryRaw<Array<{ detail: string }>>(Prisma.sql`EXPLAIN QUERY PLAN ${ids}`);
    return rows.map((row) => row.detail);
  };

  it.each([false, true])('reads an account’s unsent rows by the status index, not its sent history (quiet hours: %s)', async (quiet) => {
    expect(await plan(quiet)).toContainEqual(
      'SEARCH OutboxMessage USING INDEX OutboxMessage_channel_botAccount_status_idx (channel=? AND botAccount=? AND status=?)',
    );
  });
});
