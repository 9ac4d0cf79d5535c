import { createHmac } from 'node:crypto';
import { ConfigError } from '../../configError';
import { Prisma, type Db } from '../db/database';

export const DATA_KEY_FINGERPRINT_SETTING = 'data_key_fingerprint';

/** Names a key without revealing it: kept in the database and beside backups. */
export function dataKeyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('shouwang data key fingerprint').digest('hex').slice(0, 32);
}

/**
 * Records which key encrypted this database's ID numbers, and refuses to start with another:
 * a wrong key would make every stored ID unreadable and every ID lookup miss.
 */
export async function checkDataKeyFingerprint(db: Db, key: Buffer): Promise<void> {
  const fingerprint = dataKeyFingerprint(key);
  let stored = await db.serviceSetting.findUnique({ where: { key: DATA_KEY_FINGERPRINT_SETTING } });
  if (!stored) {
    try {
      await db.serviceSetting.create({ data: { key: DATA_KEY_FINGERPRINT_SETTING, value: fingerprint } });
      return;
    } catch (error) {
      // Two instances starting at once on a new database: the other wrote it first; compare with theirs.
      if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
      stored = await db.serviceSetting.findUniqueOrThrow({ where: { key: DATA_KEY_FINGERPRINT_SETTING } });
    }
  }
  if (stored.value !== fingerprint) {
    throw new ConfigError(
      'Configuration error: SHOUWANG_DATA_KEY is not the key this database was encrypted with; restore the original key.',
    );
  }
}
