import path from 'node:path';
import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/configError';

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env, '/srv/shouwang');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('runs on an embedded SQLite file under ./data when DATABASE_URL is unset', () => {
    const config = loadConfig({}, '/srv/shouwang');
    expect(config.database).toEqual({ engine: 'sqlite', url: 'file:./data/shouwang.db', file: '/srv/shouwang/data/shouwang.db' });
    expect(config.dataDir).toBe('/srv/shouwang/data');
    expect(config.port).toBe(3000);
    expect(config.timeZone).toBe('Asia/Shanghai');
  });

  it('uses PostgreSQL when DATABASE_URL is a postgresql:// URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://shouwang:secret@db.internal:5432/shouwang' }, '/srv/shouwang');
    expect(config.database).toEqual({ engine: 'postgresql', url: 'postgresql://shouwang:secret@db.internal:5432/shouwang' });
    expect(config.dataDir).toBe(path.resolve('/srv/shouwang', 'data'));
  });

  it('names the bad variable in one line', () => {
    expect(configError({ DATABASE_URL: 'mysql://localhost/x' })).toBe(
      'Configuration error: DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL).',
    );
    expect(configError({ DATABASE_URL: 'postgresql://db.internal:5432' })).toMatch(/^Configuration error: DATABASE_URL names no database/);
    expect(configError({ PORT: 'eighty' })).toMatch(/^Configuration error: PORT is invalid/);
    expect(configError({ SHOUWANG_TIMEZONE: 'Mars/Olympus' })).toMatch(/^Configuration error: SHOUWANG_TIMEZONE is not an IANA time zone/);
    expect(configError({ LOG_LEVEL: 'loud' })).toMatch(/^Configuration error: LOG_LEVEL is invalid/);
    for (const message of [configError({ PORT: '-1' }), configError({ DATABASE_URL: 'file:' })]) {
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('keeps report attachments beside the database, up to 10 MB each, unless told otherwise', () => {
    expect(loadConfig({}, '/srv/shouwang').attachments).toEqual({ dir: '/srv/shouwang/data/attachments', maxBytes: 10 * 1024 * 1024 });
    expect(loadConfig({ SHOUWANG_ATTACHMENT_DIR: 'files', SHOUWANG_ATTACHMENT_MAX_BYTES: '2000000' }, '/srv/shouwang').attachments).toEqual({
      dir: '/srv/shouwang/files',
      maxBytes: 2_000_000,
    });
    expect(configError({ SHOUWANG_ATTACHMENT_MAX_BYTES: '10MB' })).toMatch(/^Configuration error: SHOUWANG_ATTACHMENT_MAX_BYTES is invalid/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }, '/srv/shouwang').database.engine).toBe('sqlite');
  });
});
