import { InboxProcessor } from '../../src/chat/inboxProcessor';
import type { Channel, ChannelStatus, OutboundMessage } from '../../src/channel';
import type { Config } from '../../src/config';
import { Dispatcher } from '../../src/jobs/dispatcher';
import { parseQuietHours, type QuietHours } from '../../src/domain/quietHours';
import { createLogger } from '../../src/log';
import { queueMessage } from '../../src/store/messaging/outbox';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

class RecordingChannel implements Channel {
  readonly delivered: string[] = [];
  readonly name = 'wechaty';
  accounts(): string[] {
    return ['village-a'];
  }
  async send(message: OutboundMessage): Promise<void> {
    this.delivered.push(message.text);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): ChannelStatus {
    return { channel: this.name, accounts: [{ name: 'village-a', state: 'logged_in' }] };
  }
}

const NO_LIMITS: Config['sending'] = { intervalMs: 0, jitterMs: 0, dailyCap: 10_000, maxAttempts: 3, retryBaseMs: 1000 };
const TO = { channel: 'wechaty', botAccount: 'village-a', isRoom: false };
/** Friday 6 March 2026, 22:00 in Shanghai. */
const FRIDAY_2200 = new Date('2026-03-06T14:00:00.000Z');

describeEachEngine('quiet hours (21:30-08:00 Shanghai)', (engine) => {
  let database: TestDatabase;
  let now: Date;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    now = FRIDAY_2200;
  });
  afterEach(() => database.drop());

  const NIGHT = parseQuietHours('21:30-08:00');
  const dispatcher = (channel: Channel, quietHours: QuietHours | undefined) =>
    new Dispatcher({
      db: database.db,
      engine,
      channels: [channel],
      sending: NO_LIMITS,
      timeZone: 'Asia/Shanghai',
      instanceId: 'instance-1',
      logger: createLogger('silent'),
      clock: () => now,
      quietHours,
    });

  it('a prompt due at 22:00 waits until 08:00, while an urgent message and the answer to someone who wrote go at once', async () => {
    await queueMessage(database.db, { ...TO, address: 'parent-1' }, '本周还没有和孩子联系', { now, dedupeKey: 'reminder:1' });
    await queueMessage(database.db, { ...TO, address: 'director-1' }, '紧急报告：张小明', { now, urgent: true });
    const inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => now });
    const { inboxId } = await inbox.receive({
      channel: 'wechaty',
      botAccount: 'village-a',
      platformMessageId: 'msg-1',
      from: { externalId: 'guardian-1' },
      text: '帮助',
      receivedAt: now,
    });
    // A notice to someone else that handling the message queued: not urgent, so it waits.
    await queueMessage(database.db, { ...TO, address: 'director-2' }, '新情况：……', { now, inboxMessageId: inboxId });
    const wechat = new RecordingChannel();
    const sender = dispatcher(wechat, NIGHT);

    expect(await sender.runOnce()).toEqual({ sent: 2, failed: 0, dead: 0 });
    expect(wechat.delivered).toEqual(['紧急报告：张小明', expect.stringMatching(/^您好，这里是守望关爱服务。/)]);

    now = new Date('2026-03-06T23:59:59.000Z'); // 07:59:59 Saturday in Shanghai
    expect((await sender.runOnce()).sent).toBe(0);
    now = new Date('2026-03-07T00:00:00.000Z'); // 08:00 in Shanghai
    expect((await sender.runOnce()).sent).toBe(2);
    expect(wechat.delivered.slice(2)).toEqual(['本周还没有和孩子联系', '新情况：……']);
  });

  it('a prompt due at 21:31 waits; with quiet hours disabled (empty setting) it goes at once', async () => {
    now = new Date('2026-03-06T13:31:00.000Z'); // 21:31
    await queueMessage(database.db, { ...TO, address: 'parent-1' }, '提醒', { now });
    const wechat = new RecordingChannel();
    expect((await dispatcher(wechat, NIGHT).runOnce()).sent).toBe(0);
    expect((await dispatcher(wechat, parseQuietHours('')).runOnce()).sent).toBe(1);
  });
});
