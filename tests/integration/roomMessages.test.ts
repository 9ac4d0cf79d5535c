import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { createLogger } from '../../src/log';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const NOW = new Date('2026-11-04T02:00:00.000Z');

/**
 * A channel that could not tell whether a room is a care room (the database was away) hands its
 * unmentioned messages to the inbox anyway; handling answers them only in a care room.
 */
describeEachEngine('a room message without a mention', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: InboxProcessor;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, NOW);
    inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => NOW });
  });
  afterEach(() => database.drop());

  const say = (room: string, text: string) =>
    inbox.receive({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId: 'wxid-family' }, room: { externalId: room, mentionsBot: false }, text, receivedAt: NOW });

  it('gets no answer in a room that is not a care room, even when it is a keyword', async () => {
    expect((await say('room-strangers', '帮助')).replies).toEqual([]);
  });

  it('gets its command answered in a care room', async () => {
    await database.db.careRoom.create({ data: { childId: village.childId, channel: 'wechaty', botAccount: 'village-a', externalId: 'room-care', boundById: village.directorId } });
    expect((await say('room-care', '帮助')).replies).toEqual([expect.objectContaining({ address: 'room-care', isRoom: true })]);
    expect((await say('room-care', '孩子今天发烧了')).replies).toEqual([]);
  });
});
