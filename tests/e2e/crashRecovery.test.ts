import { httpChannelClient, CHANNEL_TOKEN } from '../support/inProcessService';
import { startServiceProcess } from '../support/serviceProcess';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';
import { processBudget } from '../support/budgets';

describeEachEngine('a crash between the inbox write and handling', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: database.dataKey.toString('hex'), CHANNEL_TOKEN };
  });
  afterAll(() => database.drop());

  it('handles the message on the next start, exactly once', async () => {
    const first = await startServiceProcess(env);
    // The state a SIGKILL leaves right after the inbox write: the row is there, unhandled.
    await database.db.inboxMessage.create({
      data: {
        channel: 'http',
        botAccount: 'default',
        platformMessageId: 'sms-7',
        fromExternalId: 'tel:director',
        text: `绑定 ${village.directorCode}`,
        receivedAt: new Date(),
      },
    });
    await first.crash();

    const second = await startServiceProcess(env);
    const messages = (await httpChannelClient(second.url).outbox('tel:director')).messages;
    expect(messages.map((message) => message.text)).toEqual([expect.stringMatching(/^绑定成功！李主任/)]);
    expect(await database.db.chatIdentity.count({ where: { personId: village.directorId } })).toBe(1);
    await second.crash();

    const third = await startServiceProcess(env);
    expect((await httpChannelClient(third.url).outbox('tel:director')).messages).toHaveLength(1);
    expect(await database.db.inboxMessage.findUniqueOrThrow({ where: { channel_platformMessageId: { channel: 'http', platformMessageId: 'sms-7' } } })).toMatchObject({
      status: 'handled',
    });
    await third.stop();
  }, processBudget({ services: 3 }));
});
