import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import { ConfigError } from '../../configError';

export const DATA_KEY_FILE = 'shouwang.key';

export interface ResolvedDataKey {
  key: Buffer;
  /** Set when no key was configured and one was made beside the SQLite file. */
  generatedAt?: string;
}

/**
 * The 32-byte key that encrypts national ID numbers. SQLite installs may run without one:
 * a key is generated once and kept beside the database, so a fresh machine starts with
 * one command. PostgreSQL serves several instances, which must share a configured key.
 */
export function resolveDataKey(config: Config): ResolvedDataKey {
  if (config.dataKey !== undefined) return { key: parseDataKey(config.dataKey, 'SHOUWANG_DATA_KEY') };
  if (config.database.engine !== 'sqlite') {
    throw new ConfigError(
      'Configuration error: SHOUWANG_DATA_KEY is required with PostgreSQL (generate one with `openssl rand -hex 32`).',
    );
  }
  const file = path.join(config.dataDir, DATA_KEY_FILE);
  if (existsSync(file)) return { key: parseDataKey(readFileSync(file, 'utf8'), file) };
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key: parseDataKey(readFileSync(file, 'utf8'), file), generatedAt: file };
}

/** Accepts 64 hex characters or base64 of exactly 32 bytes. */
export function parseDataKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new ConfigError(
    `Configuration error: ${source} must be a 32-byte key, as 64 hex characters or base64 (generate one with \`openssl rand -hex 32\`).`,
  );
}

/**
 * The key a restore must use: the configured one, or the key file already in the data folder.
 * Never a new one, which could read nothing of what the backup holds.
 */
export function dataKeyForRestore(config: Config): Buffer {
  if (config.dataKey !== undefined) return parseDataKey(config.dataKey, 'SHOUWANG_DATA_KEY');
  const file = path.join(config.dataDir, DATA_KEY_FILE);
  if (config.database.engine === 'sqlite' && existsSync(file)) return parseDataKey(readFileSync(file, 'utf8'), file);
  throw new ConfigError(`Configuration error: set SHOUWANG_DATA_KEY, or put the key file ${DATA_KEY_FILE} into ${config.dataDir}, before restoring.`);
}
