import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { createLogger } from '../../src/log';
import type { Engine } from '../../src/store/db/providers';
import { startApiServer, type ApiTestServer } from './adminApi';
import { createTestDatabase, type TestDatabase } from './testDatabase';
import { createVillage, type TestVillage } from './village';

/** One village behind both doors of a use case: the village director's chat and the admin API. */
export interface TwoDoors {
  database: TestDatabase;
  village: TestVillage;
  api: ApiTestServer;
  /** The director says `text` in chat; the replies' texts. */
  say(text: string): Promise<string[]>;
}

/**
 * Opens both doors before the suite and closes them after it. `villageAt` dates the village's
 * records; `now` is the clock of chat and API.
 */
export function twoDoors(engine: Engine, times: { villageAt: Date; now: Date }): TwoDoors {
  const doors = {} as TwoDoors;
  let inbox: InboxProcessor;
  beforeAll(async () => {
    doors.database = await createTestDatabase(engine);
    doors.village = await createVillage(doors.database.db, times.villageAt);
    inbox = new InboxProcessor({ db: doors.database.db, engine: doors.database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => times.now });
    doors.api = await startApiServer(doors.database, () => times.now);
  });
  afterAll(async () => {
    await doors.api.stop();
    await doors.database.drop();
  });
  doors.say = async (text) =>
    (await inbox.receive({ channel: 'http', botAccount: 'default', platformMessageId: randomUUID(), from: { externalId: 'tel:director' }, text, receivedAt: times.now })).replies.map(
      (reply) => reply.text,
    );
  return doors;
}
