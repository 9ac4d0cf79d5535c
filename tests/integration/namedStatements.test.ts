import { setTimeout as sleep } from 'node:timers/promises';
import { POSTGRES_CONNECTION_LIFETIME_S, type Tx } from '../../src/store/db/database';
import { ledgerChildren } from '../../src/store/ledgers/childLedgerReads';
import { waitingRowIds } from '../../src/store/messaging/outboxLeases';
import { writeFanOutPrompts } from '../support/fanOutPrompts';
import { createTestDatabase, ENGINES_UNDER_TEST, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const NOW = new Date('2026-12-03T02:00:00.000Z');
const ADDRESS = { channel: 'wechatmp', botAccount: 'mp', address: 'openid-7' };

/** The statement kept on this connection whose text is like `pattern`: its plan counters and what EXPLAIN `options` says of it for `args`. */
async function keptStatement(tx: Tx, pattern: string, args: Array<string | number>, options = ''): Promise<{ plan: string; genericPlans: number; customPlans: number } | undefined> {
  const [prepared] = await tx.$queryRaw<Array<{ name: string; generic_plans: bigint; custom_plans: bigint }>>`
    SELECT "name", "generic_plans", "custom_plans" FROM pg_prepared_statements WHERE "statement" LIKE ${pattern}`;
  if (!prepared) return undefined;
  const literals = args.map((arg) => (typeof arg === 'number' ? String(arg) : `'${arg.replace(/'/g, "''")}'`));
  const rows = await tx.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN ${options} EXECUTE "${prepared.name}"(${literals.join(', ')})`);
  return { plan: rows.map((row) => row['QUERY PLAN']).join('\n'), genericPlans: Number(prepared.generic_plans), customPlans: Number(prepared.custom_plans) };
}

/** A LIKE pattern matching exactly this text. */
const exactly = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** Runs the chat path's waiting read as often as a busy connection would, and says how PostgreSQL now plans it there. */
async function planOfWaitingRead(tx: Tx): Promise<{ plan: string; genericPlans: number; customPlans: number } | undefined> {
  const read = waitingRowIds(ADDRESS);
  for (let run = 0; run < 8; run += 1) await tx.$queryRaw(read);
  return keptStatement(tx, exactly(read.text), [ADDRESS.channel, ADDRESS.botAccount, ADDRESS.address]);
}

/**
 * On PostgreSQL a statement the service runs again is parsed once per connection and, after its
 * sixth run, keeps one plan (BENCHMARKS.md, "Statements parsed once"). A plan made while a table
 * was nearly empty would scan all of it once it has grown, so connections are replaced after a
 * lifetime and plan afresh.
 */
(ENGINES_UNDER_TEST.includes('postgresql') ? describe : describe.skip)('statements PostgreSQL keeps parsed [postgresql]', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    await database.db.$executeRawUnsafe('VACUUM ANALYZE "OutboxMessage"');
  });
  afterAll(() => database.drop());

  it('parses a repeated statement once on a connection and then keeps its plan', async () => {
    const kept = await database.db.$transaction((tx) => planOfWaitingRead(tx));
    expect(kept).toBeDefined();
    expect(kept!.genericPlans + kept!.customPlans).toBeGreaterThanOrEqual(7);
    expect(kept!.genericPlans).toBeGreaterThan(0);
  });

  it(
    'plans afresh on a new connection once the old one’s lifetime is over, so a plan made on an empty outbox does not stay',
    async () => {
      const db = database.db;
      const before = await db.$transaction(async (tx) => ({ pid: await backendOf(tx), plan: (await planOfWaitingRead(tx))?.plan }));
      expect(before.plan).toContain('Seq Scan');

      await writeFanOutPrompts(db, 5000, NOW);
      // Busy all along, as under load: never idle long enough for the pool's idle close.
      const until = Date.now() + (POSTGRES_CONNECTION_LIFETIME_S + 1) * 1000;
      while (Date.now() < until) {
        await db.$transaction((tx) => tx.$queryRaw(waitingRowIds(ADDRESS)));
        await sleep(500);
      }

      const after = await db.$transaction(async (tx) => ({ pid: await backendOf(tx), plan: (await planOfWaitingRead(tx))?.plan }));
      expect(after.pid).not.toBe(before.pid);
      expect(after.plan).toContain('OutboxMessage_channel_botAccount_address_waitingSince_idx');
    },
    (POSTGRES_CONNECTION_LIFETIME_S + 20) * 1000,
  );

  it('keeps reading only the exported village’s children once the export’s page read has one plan', async () => {
    // A city's children, village after village: a plan that walks every child by id to reach the last
    // village's reads the whole city on each page (the 1,000,000-children export took 388 s so).
    const villages = 40;
    const { villageId: firstVillage, townshipId } = await createVillage(database.db);
    await database.db.$executeRaw`
      INSERT INTO "Area" ("code", "name", "level", "parentId", "path", "updatedAt")
      SELECT '880101001' || lpad(n::text, 3, '0'), '村' || n, 'village', ${townshipId}, '/880101/880101001/880101001' || lpad(n::text, 3, '0') || '/', now()
      FROM generate_series(2, ${villages}) AS n`;
    await database.db.$executeRaw`
      INSERT INTO "Child" ("areaId", "name", "birthDate", "updatedAt")
      SELECT a."id", '孩子' || n, '2016-05-01', now() FROM "Area" a CROSS JOIN generate_series(1, 100) AS n
      WHERE a."level" = 'village' ORDER BY a."id", n`;
    await database.db.$executeRawUnsafe('ANALYZE "Child"');
    const [last] = await database.db.$queryRaw<Array<{ id: number }>>`SELECT max("areaId") AS "id" FROM "Child"`;
    expect(last!.id).toBeGreaterThan(firstVillage);

    const kept = await database.db.$transaction(async (tx) => {
      for (let run = 0; run < 8; run += 1) await ledgerChildren(tx, last!.id, 0, 500);
      return keptStatement(tx, '%FROM "Child" WHERE "areaId" = $1 AND "archivedAt" IS NULL AND "id" > $2%', [last!.id, 0, 500], '(ANALYZE, COSTS OFF, TIMING OFF)');
    });
    expect(kept!.genericPlans).toBeGreaterThan(0);
    const removed = Number(/Rows Removed by Filter: (\d+)/.exec(kept!.plan)?.[1] ?? 0);
    expect(removed).toBeLessThan(100);
  });
});

async function backendOf(tx: Tx): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS "pid"`;
  return row!.pid;
}
