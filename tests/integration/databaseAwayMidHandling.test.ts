import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InboundMessage } from '../../src/channel';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { SpoolingInbox } from '../../src/chat/spoolingInbox';
import { createLogger } from '../../src/log';
import { Prisma, type Db } from '../../src/store/db/database';
import { InboundSpool } from '../../src/store/messaging/inboundSpool';
import { catalog } from '../../src/texts/catalog';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SENDER = 'wxid-director';

/** SQLite's busy lock as Prisma reports it once the wait is over. */
const busy = () =>
  new Prisma.PrismaClientKnownRequestError('Operation has timed out', {
    code: 'P1008',
    clientVersion: 'test',
    meta: { driverAdapterError: { cause: { kind: 'SocketTimeout', originalCode: 'SQLITE_BUSY' } } },
  });

/** The database client, whose next `failures` handling transactions fail as a busy database's do; the inbox row is written before them. */
function awayForTransactions(db: Db, failures: { left: number }): Db {
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key === '$transaction' && failures.left > 0) {
        return () => {
          failures.left -= 1;
          return Promise.reject(busy());
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function eventually(check: () => Promise<boolean>, withinMs = 20_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describeEachEngine('the database busy after a message is recorded, before it is handled', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: SpoolingInbox;
  const failures = { left: 0 };

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'wechaty', botAccount: 'village-a', externalId: SENDER } });
    const processor = new InboxProcessor({
      db: awayForTransactions(database.db, failures),
      engine: database.engine,
      settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 },
      logger: createLogger('silent'),
    });
    inbox = new SpoolingInbox({
      inbox: processor,
      spool: await InboundSpool.open(mkdtempSync(path.join(os.tmpdir(), 'shouwang-mid-handling-')), database.keyring),
      ping: () => database.ping(),
      logger: createLogger('silent'),
      retryMs: { first: 20, max: 100 },
    });
  });
  afterEach(async () => {
    await inbox.stop();
    await database.drop();
  });

  const message = (): InboundMessage => ({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId: SENDER }, text: '帮助', receivedAt: new Date() });

  async function answeredOnce(platformMessageId: string): Promise<void> {
    const row = () => database.db.inboxMessage.findFirst({ where: { platformMessageId } });
    expect(await eventually(async () => (await row())?.status === 'handled')).toBe(true);
    const answers = await database.db.outboxMessage.findMany({ where: { inboxMessageId: (await row())!.id } });
    expect(answers.map((answer) => answer.text)).toEqual([expect.stringMatching(/^李主任您好/)]);
    expect(answers.map((answer) => answer.text)).not.toContain(catalog.internalError);
    expect(await database.db.inboxMessage.count({ where: { platformMessageId } })).toBe(1);
  }

  it('a message answered at once is accepted, and answered once when the database is back, not with an error', async () => {
    failures.left = 2;
    const sent = message();
    expect(await inbox.receive(sent)).toMatchObject({ spooled: true, replies: [] });
    // The spooled copy is recorded as the duplicate it is, and the spool empties.
    expect(await eventually(async () => inbox.state().depth === 0)).toBe(true);
    await answeredOnce(sent.platformMessageId);
  });

  it('a message handled after its callback was answered is handled once later, and nothing crashes', async () => {
    failures.left = 2;
    const sent = message();
    expect(await inbox.accept(sent)).toMatchObject({ duplicate: false, inboxId: expect.any(Number) });
    await answeredOnce(sent.platformMessageId);
  });
});
