import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { ConfigError } from '../../../src/configError';
import { DATA_KEY_FILE, resolveDataKey } from '../../../src/store/crypto/dataKey';

const HEX_KEY = 'a'.repeat(64);

describe('the data key', () => {
  it('is generated once beside the SQLite file when none is configured, readable only by the service user', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-key-'));
    const config = loadConfig({}, dir);
    const first = resolveDataKey(config);
    expect(first.generatedAt).toBe(path.join(dir, 'data', DATA_KEY_FILE));
    expect(first.key).toHaveLength(32);
    expect(statSync(first.generatedAt!).mode & 0o777).toBe(0o600);
    const second = resolveDataKey(config);
    expect(second.generatedAt).toBeUndefined();
    expect(second.key.equals(first.key)).toBe(true);
    expect(readFileSync(first.generatedAt!, 'utf8').trim()).toBe(first.key.toString('hex'));
  });

  it('accepts 64 hex characters or base64 of 32 bytes', () => {
    expect(resolveDataKey(loadConfig({ SHOUWANG_DATA_KEY: HEX_KEY })).key).toEqual(Buffer.alloc(32, 0xaa));
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(resolveDataKey(loadConfig({ SHOUWANG_DATA_KEY: base64 })).key).toEqual(Buffer.alloc(32, 7));
  });

  it('refuses a short key with a sentence naming the variable', () => {
    expect(() => resolveDataKey(loadConfig({ SHOUWANG_DATA_KEY: 'abc123' }))).toThrow(
      new ConfigError(
        'Configuration error: SHOUWANG_DATA_KEY must be a 32-byte key, as 64 hex characters or base64 (generate one with `openssl rand -hex 32`).',
      ),
    );
  });

  it('must be configured for PostgreSQL, where several instances share the database', () => {
    expect(() => resolveDataKey(loadConfig({ DATABASE_URL: 'postgresql://localhost/shouwang' }))).toThrow(/SHOUWANG_DATA_KEY is required with PostgreSQL/);
  });
});
