import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startService, type RunningService, type ServiceOverrides } from '../../src/service';
import type { TestDatabase } from './testDatabase';

export const CHANNEL_TOKEN = 'test-channel-token-0123456789';

/**
 * The whole service in this process, on an already migrated test database. No job is scheduled
 * unless the test passes `jobs`: a real cron on the real clock (case-overdue, the holiday prompt)
 * could fire mid-test. A test that needs time passes `clock`. Its attachments and spool go to a
 * folder of its own: on PostgreSQL the default data folder is the checkout's, shared by every test.
 */
export function startTestService(database: TestDatabase, env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'shouwang-service-'));
  const config = loadConfig({
    DATABASE_URL: database.target.url,
    SHOUWANG_DATA_KEY: database.dataKey.toString('hex'),
    HOST: '127.0.0.1',
    PORT: '0',
    CHANNEL_TOKEN,
    LOG_LEVEL: 'silent',
    // These tests run at any wall-clock time; quiet hours have tests of their own.
    SHOUWANG_QUIET_HOURS: '',
    SHOUWANG_ATTACHMENT_DIR: path.join(folder, 'attachments'),
    SHOUWANG_SPOOL_DIR: path.join(folder, 'spool'),
    ...env,
  });
  return startService(config, createLogger(config.logLevel), { jobs: [], ...overrides });
}

/** A client of the HTTP channel as an SMS gateway would use it. */
export function httpChannelClient(url: string, token = CHANNEL_TOKEN) {
  let sequence = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    async say(from: string, text: string, options: { id?: string; room?: string } = {}) {
      const response = await fetch(`${url}/channels/http/inbound`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id: options.id ?? `m${Date.now()}-${++sequence}`, from, text, room: options.room }),
      });
      return { status: response.status, body: (await response.json()) as { accepted: boolean; duplicate: boolean; replies: Array<{ to: string; text: string }> } };
    },
    async outbox(to: string, after = 0) {
      const response = await fetch(`${url}/channels/http/outbox?to=${encodeURIComponent(to)}&after=${after}`, { headers });
      return (await response.json()) as { messages: Array<{ id: number; to: string; text: string; at: string }>; cursor: number };
    },
  };
}
