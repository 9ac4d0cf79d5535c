import { queueMessage } from '../../src/store/messaging/outbox';
import { runCli } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 2 }));

const KEY = 'e'.repeat(64);

describeEachEngine('npm run cli -- outbox', (engine) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let deadId: number;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: KEY };
    const to = { channel: 'wechaty', botAccount: 'village-a', isRoom: false };
    // 2026-03-02 09:30 in Shanghai.
    const queuedAt = new Date('2026-03-02T01:30:00.000Z');
    await queueMessage(database.db, { ...to, address: 'parent-1' }, '本周还没有联系孩子', { now: queuedAt });
    await queueMessage(database.db, { ...to, address: 'parent-2' }, '已收到', { now: queuedAt });
    const [dead] = await database.db.outboxMessage.findMany({ orderBy: { id: 'asc' }, select: { id: true } });
    deadId = dead!.id;
    await database.db.outboxMessage.update({ where: { id: deadId }, data: { status: 'dead', attempts: 6, lastError: 'contact not found' } });
  });
  afterAll(() => database.drop());

  it('outbox failed lists each dead letter on one readable line, and nothing else', async () => {
    const result = await runCli(['outbox', 'failed'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`#${deadId}  wechaty/village-a  6 attempts  created 2026-03-02 09:30  last error: contact not found\n`);
  });

  it('outbox retry <id> requeues it with fresh attempts, after which nothing is listed as failed', async () => {
    const retry = await runCli(['outbox', 'retry', String(deadId)], env);
    expect(retry.stdout).toBe(`Requeued 1 message(s): #${deadId}.\n`);
    expect(retry.code).toBe(0);
    expect(await database.db.outboxMessage.findUniqueOrThrow({ where: { id: deadId } })).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await runCli(['outbox', 'failed'], env)).stdout).toBe('No failed messages.\n');
  });

  it('outbox retry refuses an id that is not a failed message, and a call with neither ids nor --all', async () => {
    const notDead = await runCli(['outbox', 'retry', String(deadId + 1)], env);
    expect(notDead.stderr).toBe(`Not a failed message: #${deadId + 1}.\n`);
    expect(notDead.code).toBe(2);
    const nothing = await runCli(['outbox', 'retry'], env);
    expect(nothing.stderr).toBe('Give the ids of the messages to retry, or --all.\n');
    expect(nothing.code).toBe(2);
  });

  it('outbox retry --all requeues every failed message', async () => {
    await database.db.outboxMessage.updateMany({ data: { status: 'dead' } });
    const retry = await runCli(['outbox', 'retry', '--all'], env);
    expect(retry.stdout).toBe(`Requeued 2 message(s): #${deadId}, #${deadId + 1}.\n`);
    expect(await database.db.outboxMessage.count({ where: { status: 'pending' } })).toBe(2);
  });
});
