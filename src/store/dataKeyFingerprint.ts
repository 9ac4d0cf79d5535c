import { createHmac } from 'node:crypto';
import { ConfigError } from '../configError';
import type { Db } from './database';

const SETTING = 'data_key_fingerprint';

/**
 * Records which key encrypted this database's ID numbers, and refuses to start with another:
 * a wrong key would make every stored ID unreadable and every ID lookup miss.
 */
export async function checkDataKeyFingerprint(db: Db, key: Buffer): Promise<void> {
  const fingerprint = createHmac('sha256', key).update('shouwang data key fingerprint').digest('hex').slice(0, 32);
  const stored = await db.serviceSetting.findUnique({ where: { key: SETTING } });
  if (!stored) {
    await db.serviceSetting.create({ data: { key: SETTING, value: fingerprint } });
    return;
  }
  if (stored.value !== fingerprint) {
    throw new ConfigError(
      'Configuration error: SHOUWANG_DATA_KEY is not the key this database was encrypted with; restore the original key.',
    );
  }
}
