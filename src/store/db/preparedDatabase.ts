import type { Config } from '../../config';
import type { Logger } from '../../log';
import { openDatabase, type Database } from './database';
import { resolveDataKey } from '../crypto/dataKey';
import { checkDataKeyFingerprint } from '../crypto/dataKeyFingerprint';
import { migrateDatabase } from './migrations/migrate';
import { NationalIdCipher } from '../crypto/nationalIdCipher';
import { textKeyringFor } from '../crypto/textKeys';
import type { TextKeyring } from '../crypto/textKeyring';

export interface PreparedDatabase {
  database: Database;
  cipher: NationalIdCipher;
  keyring: TextKeyring;
}

/**
 * What the service, the CLI and the terminal chat all do first: find the data key, migrate,
 * open, and check the key is the database's. Every check that can refuse runs before
 * anything is written.
 */
export async function prepareDatabase(config: Config, logger?: Logger): Promise<PreparedDatabase> {
  const dataKey = resolveDataKey(config);
  if (dataKey.generatedAt) {
    logger?.warn(
      { file: dataKey.generatedAt },
      'No SHOUWANG_DATA_KEY set: generated a data key beside the database. Back it up; without it stored ID numbers cannot be read.',
    );
  }
  const applied = await migrateDatabase(config.database);
  if (applied.length > 0) logger?.info({ applied }, 'database migrated');
  const keyring = textKeyringFor(config, dataKey.key);
  const database = await openDatabase(config.database, keyring);
  try {
    await checkDataKeyFingerprint(database.db, dataKey.key);
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, cipher: new NationalIdCipher(dataKey.key), keyring };
}
