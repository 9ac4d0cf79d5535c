import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/store/db/database';
import { checkDataKeyFingerprint } from '../../src/store/crypto/dataKeyFingerprint';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

describeEachEngine('the data key fingerprint', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    await database.db.serviceSetting.deleteMany();
  });
  afterEach(() => database.drop());

  it('lets two instances starting at once on a new database both start with the same key', async () => {
    const key = randomBytes(32);
    const other = await openDatabase(database.target);
    try {
      await expect(Promise.all([checkDataKeyFingerprint(database.db, key), checkDataKeyFingerprint(other.db, key)])).resolves.toEqual([undefined, undefined]);
    } finally {
      await other.close();
    }
    expect(await database.db.serviceSetting.count()).toBe(1);
  });

  it('refuses a key other than the one it recorded', async () => {
    await checkDataKeyFingerprint(database.db, randomBytes(32));
    await expect(checkDataKeyFingerprint(database.db, randomBytes(32))).rejects.toThrow(/not the key this database was encrypted with/);
  });
});
