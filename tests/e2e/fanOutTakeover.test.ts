import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { queueMessage } from '../../src/store/messaging/outbox';
import { startServiceProcess, type ServiceProcess } from '../support/serviceProcess';
import { createTestDatabase, ENGINES_UNDER_TEST, type TestDatabase } from '../support/testDatabase';

const describePostgres = ENGINES_UNDER_TEST.includes('postgresql') ? describe : describe.skip;
const PROMPTS = 60;
const LEASE_MS = 3000;

/** Checks the probe again after each turn of a short timer until it holds. */
async function eventually(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sent = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

describePostgres('two instances sending a fan-out on PostgreSQL', () => {
  let database: TestDatabase;
  const running: ServiceProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
  });
  afterAll(async () => {
    await Promise.all(running.map((service) => service.crash()));
    await database.drop();
  });

  function start(recordFile: string): Promise<ServiceProcess> {
    return startServiceProcess(
      {
        DATABASE_URL: database.target.url,
        SHOUWANG_DATA_KEY: database.dataKey.toString('hex'),
        WECHATY_PUPPET: 'wechaty-puppet-mock',
        WECHATY_ACCOUNTS: 'village',
        SHOUWANG_SEND_INTERVAL_MS: '200',
        SHOUWANG_SEND_JITTER_MS: '0',
        SHOUWANG_QUIET_HOURS: '',
        SHOUWANG_SPOOL_DIR: mkdtempSync(path.join(os.tmpdir(), 'spool-fanout-')),
        RECORD_FILE: recordFile,
        RECORD_CONTACTS: String(PROMPTS),
        RECORD_LEASE_MS: String(LEASE_MS),
      },
      60_000,
      'tests/support/recordingWechatService.ts',
    ).then((service) => {
      running.push(service);
      return service;
    });
  }

  it(
    'sends every prompt when one instance is killed mid-way: the other takes over its rows once their lease runs out',
    async () => {
      for (let index = 0; index < PROMPTS; index++) {
        await queueMessage(database.db, { channel: 'wechaty', botAccount: 'village', address: `contact-${index}`, isRoom: false }, `本周请记得和孩子联系 ${index}`, { now: new Date() });
      }
      const records = mkdtempSync(path.join(os.tmpdir(), 'fanout-'));
      const [first, second] = [path.join(records, 'first.log'), path.join(records, 'second.log')];
      const killed = await start(first);
      await eventually('the first instance to be sending', () => sent(first).length >= 3, 60_000);
      await start(second);
      // Killed part-way through the fan-out, holding the leases of the rows it was about to send.
      await killed.crash();
      await eventually('every prompt to be sent', async () => (await database.db.outboxMessage.count({ where: { status: 'sent' } })) === PROMPTS, 60_000);

      expect(sent(first).length).toBeLessThan(PROMPTS);
      expect(sent(second).length).toBeGreaterThan(0);
      const all = [...sent(first), ...sent(second)];
      expect(new Set(all).size).toBe(PROMPTS);
      // At most the one send the kill interrupted between the platform call and marking it sent goes out twice.
      expect(all.length - PROMPTS).toBeLessThanOrEqual(1);
    },
    180_000,
  );
});
