import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '../../src/channel';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { serviceChannelHost } from '../../src/chat/serviceChannelHost';
import { createLogger } from '../../src/log';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson } from '../support/village';

describeEachEngine('replies handed back to a channel', (engine) => {
  let database: TestDatabase;
  const now = new Date('2026-11-25T02:00:00Z');
  const message = (channel: string, externalId: string, text: string): InboundMessage => ({ channel, botAccount: 'default', platformMessageId: randomUUID(), from: { externalId }, text, receivedAt: now });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
  });
  afterAll(() => database.drop());

  it('are read back for a channel that answers its caller with them, and only queued for the others', async () => {
    const village = await createVillage(database.db, now);
    const inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => now });
    const host = serviceChannelHost(database.db, inbox, 1024, new Set(['http']));
    const overHttp = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent', now });
    const overWechat = await invitePerson(database.db, { name: '李强', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent', now });

    const answered = await host.receive(message('http', 'phone-1', `绑定 ${overHttp.code}`));
    expect(answered.replies.map((reply) => reply.text)).toEqual([expect.stringMatching(/^绑定成功！张伟/)]);

    const sent = await host.receive(message('wechaty', 'wxid-1', `绑定 ${overWechat.code}`));
    expect(sent.replies).toEqual([]);
    const queued = await database.db.outboxMessage.findMany({ where: { inboxMessageId: sent.inboxId! } });
    expect(queued.map((row) => row.text)).toEqual([expect.stringMatching(/^绑定成功！李强/)]);
  });

  it('are read back for every channel when the host is not told which answer', async () => {
    const inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => now });
    const host = serviceChannelHost(database.db, inbox, 1024);
    const result = await host.receive(message('wechaty', 'wxid-stranger', '你好'));
    expect(result.replies).toHaveLength(1);
  });
});
