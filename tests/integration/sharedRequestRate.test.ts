import { SharedRequestRate } from '../../src/api/requestRate';
import { openDatabase } from '../../src/store/db/database';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

const MINUTE_START = Date.parse('2026-11-30T02:00:00Z');

describeEachEngine('request budgets shared by every instance on one database', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(() => database.drop());

  it('lets a caller make its requests of the minute across two instances together, not on each, and again the next minute', async () => {
    const other = await openDatabase(database.target);
    try {
      const instances = [new SharedRequestRate(database.db, 3), new SharedRequestRate(other.db, 3)];
      const waits = [];
      for (let i = 0; i < 4; i += 1) waits.push(await instances[i % 2]!.take('token:7', MINUTE_START + 45_000));
      // Three in all, then the fourth waits for the 15 seconds left of the minute.
      expect(waits).toEqual([0, 0, 0, 15]);
      expect(await instances[1]!.take('token:8', MINUTE_START + 45_000)).toBe(0);
      expect(await instances[1]!.take('token:7', MINUTE_START + 60_000)).toBe(0);
    } finally {
      await other.close();
    }
  });
});
