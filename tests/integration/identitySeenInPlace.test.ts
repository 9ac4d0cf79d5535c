import type { Db } from '../../src/store/db/database';
import { claimInboundFromSender, recordInbound } from '../../src/store/messaging/inbox';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const NOW = new Date('2026-12-02T10:00:00.000Z');

/**
 * Every inbound message marks its sender's chat identity seen. At 1,000,000 children the update
 * that also wrote an entry in each of the table's indexes cost four random pages a message, each a
 * full-page image in PostgreSQL's WAL after a checkpoint (BENCHMARKS.md, 2026-12-02 evening). No
 * index names the columns it sets, and on PostgreSQL each page keeps room, so the row is
 * rewritten where it stands.
 */
describeEachEngine('marking a sender seen', (engine) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    db = database.db;
  });
  afterAll(() => database.drop());

  it('sets columns no index of the chat identities names', async () => {
    const indexed =
      engine === 'postgresql'
        ? (await db.$queryRaw<Array<{ column: string }>>`
            SELECT a."attname" AS "column" FROM pg_index i JOIN pg_attribute a ON a."attrelid" = i."indrelid" AND a."attnum" = ANY(i."indkey")
            WHERE i."indrelid" = '"ChatIdentity"'::regclass`).map((row) => row.column)
        : (
            await db.$queryRaw<Array<{ column: string }>>`
              SELECT c."name" AS "column" FROM pragma_index_list('ChatIdentity') l JOIN pragma_index_info(l."name") c`
          ).map((row) => row.column);
    expect(indexed).toEqual(expect.arrayContaining(['personId', 'externalId']));
    expect(indexed).not.toContain('lastSeenAt');
    expect(indexed).not.toContain('unreachableAt');
  });

  if (engine === 'postgresql') {
    it('rewrites the identity in place on PostgreSQL, its pages kept with room for it', async () => {
      const village = await createVillage(db, NOW);
      const parent = await db.person.create({ data: { name: '王父', role: 'parent', areaId: village.villageId } });
      await db.chatIdentity.create({ data: { personId: parent.id, channel: 'http', botAccount: 'default', externalId: 'wx-wang', boundAt: NOW, lastSeenAt: NOW } });
      const { id } = await recordInbound(db, { channel: 'http', botAccount: 'default', platformMessageId: 'm-1', from: { externalId: 'wx-wang' }, text: '已联系', receivedAt: NOW });
      const updates = await db.$transaction(async (tx) => {
        const claimed = await claimInboundFromSender(tx, engine, id, new Date(NOW.getTime() + 60_000));
        expect(claimed?.knownSender?.person.id).toBe(parent.id);
        const [counts] = await tx.$queryRaw<Array<{ updated: bigint; inPlace: bigint }>>`
          SELECT pg_stat_get_xact_tuples_updated('"ChatIdentity"'::regclass) AS "updated", pg_stat_get_xact_tuples_hot_updated('"ChatIdentity"'::regclass) AS "inPlace"`;
        return counts!;
      });
      expect(updates).toEqual({ updated: 1n, inPlace: 1n });
      const [table] = await db.$queryRaw<Array<{ options: string[] | null }>>`SELECT "reloptions" AS "options" FROM pg_class WHERE "oid" = '"ChatIdentity"'::regclass`;
      expect(table?.options).toContain('fillfactor=90');
    });
  }
});
