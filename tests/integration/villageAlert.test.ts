import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { createLogger } from '../../src/log';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

describeEachEngine('a report from a village whose director cannot be reached', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
  });
  afterAll(() => database.drop());

  it('goes to the township officer instead of nowhere', async () => {
    const officer = await database.db.person.create({ data: { name: '镇民政员', role: 'officer', areaId: village.townshipId } });
    await database.db.chatIdentity.create({ data: { personId: officer.id, channel: 'http', botAccount: 'default', externalId: 'tel:officer' } });
    const guardian = await invitePerson(database.db, { name: '王奶奶', role: 'guardian', areaId: village.villageId, childId: village.childId, linkKind: 'guardian' });
    const inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent') });
    const say = (text: string) =>
      inbox.receive({ channel: 'http', botAccount: 'default', platformMessageId: randomUUID(), from: { externalId: 'tel:grandma' }, text, receivedAt: new Date() });
    await say(`绑定 ${guardian.code}`);

    // The director (李主任) was registered but never bound a chat.
    const filed = await say('情况 孩子两天没回家了');
    expect(filed.replies.map((reply) => reply.address).sort()).toEqual(['tel:grandma', 'tel:officer']);
    expect(filed.replies.find((reply) => reply.address === 'tel:officer')!.text).toMatch(/^【新情况】TV-\d{4}-\d{6}\n孩子：张小明/);
  });
});
