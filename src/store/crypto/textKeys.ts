import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import { ConfigError } from '../../configError';
import { parseDataKey } from './dataKey';
import { TextKeyring } from './textKeyring';

export const TEXT_KEYS_FILE = 'shouwang.textkeys';

/**
 * Where the text keys come from: SHOUWANG_TEXT_KEYS (needed with several instances), else the
 * key file beside a SQLite database, else the data key alone, so an install that never rotated
 * needs no new setting.
 */
export function textKeysFor(config: Config, dataKey: Buffer): Buffer[] {
  if (config.textKeys !== undefined) {
    return config.textKeys.split(',').map((text, index) => parseDataKey(text, `SHOUWANG_TEXT_KEYS (key ${index + 1})`));
  }
  const file = path.join(config.dataDir, TEXT_KEYS_FILE);
  if (config.database.engine === 'sqlite' && existsSync(file)) {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => parseDataKey(line, file));
  }
  return [dataKey];
}

export function textKeyringFor(config: Config, dataKey: Buffer): TextKeyring {
  return new TextKeyring(textKeysFor(config, dataKey));
}

/**
 * Puts a new current key at the head of the key file, keeping the older ones, written to a
 * temporary file and renamed so a kill leaves either the old ring or the whole new one.
 * Only for SQLite installs that keep their keys on disk; configured keys are the operator's.
 */
export function addTextKeyToFile(config: Config, dataKey: Buffer): void {
  if (config.textKeys !== undefined || config.database.engine !== 'sqlite') {
    throw new ConfigError(
      'Configuration error: text keys are configured in SHOUWANG_TEXT_KEYS; put a new key first there (`openssl rand -hex 32`) on every instance, then run `keys rotate`.',
    );
  }
  const keys = [randomBytes(32), ...textKeysFor(config, dataKey)];
  const file = path.join(config.dataDir, TEXT_KEYS_FILE);
  const temporary = `${file}.new`;
  writeFileSync(temporary, keys.map((key) => `${key.toString('hex')}\n`).join(''), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
