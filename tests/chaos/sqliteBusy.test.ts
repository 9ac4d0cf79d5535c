import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { RunningService } from '../../src/service';
import { httpChannelClient, startTestService } from '../support/inProcessService';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const DIRECTOR = 'tel:13800000001';

/** Waits, without sleeping blind, until `check` holds or the time is up. */
async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return check();
}

/**
 * Another program (an operator's sqlite3 shell, a backup tool) holds SQLite's write lock longer
 * than the service's busy timeout. Only SQLite has a file lock another process can hold; the
 * PostgreSQL outage is tests/e2e/databaseOutage.test.ts.
 */
describe('SQLite held busy by another connection [sqlite]', () => {
  let database: TestDatabase;
  let service: RunningService;
  let lock: BetterSqlite3.Database;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const village = await createVillage(database.db);
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'http', botAccount: 'default', externalId: DIRECTOR } });
    service = await startTestService(database, { SHOUWANG_SPOOL_DIR: mkdtempSync(path.join(os.tmpdir(), 'shouwang-busy-spool-')) });
    if (database.target.engine !== 'sqlite') throw new Error('a SQLite database was asked for');
    lock = new BetterSqlite3(database.target.file);
  });
  afterAll(async () => {
    if (lock.inTransaction) lock.exec('ROLLBACK');
    lock.close();
    await service.stop();
    await database.drop();
  });

  it('accepts a message written while the lock is held, and records and answers it once after', async () => {
    const client = httpChannelClient(service.url);
    lock.exec('BEGIN IMMEDIATE');
    const during = await client.say(DIRECTOR, '帮助', { id: 'while-busy' });
    expect(during.status).toBe(200);
    expect(during.body).toMatchObject({ accepted: true, spooled: true });
    expect(service.spoolingInbox.state().depth).toBe(1);
    const health = (await (await fetch(`${service.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('degraded');
    expect(await database.db.inboxMessage.count({ where: { platformMessageId: 'while-busy' } })).toBe(0);

    lock.exec('COMMIT');
    const recorded = () => database.db.inboxMessage.findMany({ where: { platformMessageId: 'while-busy' } });
    expect(await eventually(async () => (await recorded()).some((row) => row.status === 'handled'), 60_000)).toBe(true);
    expect((await recorded()).map((row) => row.status)).toEqual(['handled']);
    const answers = await client.outbox(DIRECTOR);
    expect(answers.messages.map((message) => message.text)).toEqual([expect.stringMatching(/^李主任您好/)]);
    expect(service.spoolingInbox.state().depth).toBe(0);
  }, 120_000);
});
