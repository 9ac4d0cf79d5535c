import { SendFailure, type Channel, type ChannelStatus, type OutboundMessage } from '../../src/channel';
import type { Config } from '../../src/config';
import { Dispatcher, type DispatcherOptions } from '../../src/jobs/dispatcher';
import { createLogger } from '../../src/log';
import { openDatabase, type Database } from '../../src/store/db/database';
import { queueMessage } from '../../src/store/messaging/outbox';
import { claimOutbound, deadLetters, markSent, retryDeadLetters } from '../../src/store/messaging/outboxLeases';
import { EVENT_WAIT_MS } from '../support/budgets';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

/** A channel that records what it was asked to send and fails on cue, per address. */
class FakeChannel implements Channel {
  readonly delivered: OutboundMessage[] = [];
  calls = 0;
  /** While set, every send waits for it: lets a test hold a send in flight. */
  gate: Promise<void> | undefined;
  /** Runs inside every send, e.g. to let the injected clock pass as a slow platform call would. */
  during: (() => void) | undefined;
  private readonly failures = new Map<string, Error[]>();

  constructor(
    readonly name: string,
    private readonly accountNames: string[],
  ) {}

  accounts(): string[] {
    return this.accountNames;
  }

  /** The next sends to `address` throw these errors, in order. */
  failNext(address: string, ...errors: Error[]): void {
    this.failures.set(address, errors);
  }

  async send(message: OutboundMessage): Promise<void> {
    this.calls += 1;
    // Yield, as a real platform call would, so concurrent dispatchers interleave.
    await new Promise((resolve) => setImmediate(resolve));
    await this.gate;
    this.during?.();
    const failure = this.failures.get(message.address)?.shift();
    if (failure) throw failure;
    this.delivered.push({ id: message.id, channel: message.channel, botAccount: message.botAccount, address: message.address, isRoom: message.isRoom, text: message.text });
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): ChannelStatus {
    return { channel: this.name, accounts: this.accountNames.map((name) => ({ name, state: 'logged_in' })) };
  }
}

const NO_LIMITS: Config['sending'] = { intervalMs: 0, jitterMs: 0, dailyCap: 10_000, maxAttempts: 3, retryBaseMs: 1000 };
/** 10:00 on a Monday in Shanghai. */
const START = new Date('2026-03-02T02:00:00.000Z');

describeEachEngine('outbox dispatcher', (engine) => {
  let database: TestDatabase;
  /** Rows per status, every status present. */
  const outboxDepth = async () => {
    const depth = { pending: 0, sending: 0, sent: 0, dead: 0 };
    for (const status of Object.keys(depth) as Array<keyof typeof depth>) depth[status] = await database.db.outboxMessage.count({ where: { status } });
    return depth;
  };
  let now: Date;
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    now = START;
  });
  afterEach(() => database.drop());

  function dispatcher(channels: Channel[], options: Partial<DispatcherOptions> = {}): Dispatcher {
    return new Dispatcher({
      db: database.db,
      engine,
      channels,
      sending: NO_LIMITS,
      timeZone: 'Asia/Shanghai',
      instanceId: 'instance-1',
      logger: createLogger('silent'),
      clock: () => now,
      random: () => 0.5,
      ...options,
    });
  }

  async function queue(channel: string, botAccount: string, address: string, text = `你好 ${address}`): Promise<number> {
    await queueMessage(database.db, { channel, botAccount, address, isRoom: false }, text, { now });
    const row = await database.db.outboxMessage.findFirstOrThrow({ where: { address }, orderBy: { id: 'desc' }, select: { id: true } });
    return row.id;
  }

  const row = (id: number) => database.db.outboxMessage.findUniqueOrThrow({ where: { id } });

  it('retries a failing send with exponential backoff and sends it exactly once on the third attempt', async () => {
    const wechat = new FakeChannel('wechaty', ['village-a']);
    wechat.failNext('parent-1', new SendFailure('network down'), new SendFailure('network down'));
    const id = await queue('wechaty', 'village-a', 'parent-1');
    const sender = dispatcher([wechat]);

    expect(await sender.runOnce()).toEqual({ sent: 0, failed: 1, dead: 0 });
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'network down', nextAttemptAt: new Date(START.getTime() + 1000) });

    advance(999);
    expect(await sender.runOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    advance(1);
    expect(await sender.runOnce()).toEqual({ sent: 0, failed: 1, dead: 0 });
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: new Date(now.getTime() + 2000) });

    advance(1999);
    expect(await sender.runOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    advance(1);
    expect(await sender.runOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect(await row(id)).toMatchObject({ status: 'sent', sentAt: now, leaseOwner: null });

    advance(3_600_000);
    await sender.runOnce();
    expect(wechat.calls).toBe(3);
    expect(wechat.delivered.map((message) => message.id)).toEqual([id]);
  });

  it('dead-letters a message that keeps failing after maxAttempts, lists it, and sends it once retried', async () => {
    const wechat = new FakeChannel('wechaty', ['village-a']);
    wechat.failNext('parent-1', ...Array.from({ length: 3 }, () => new SendFailure('contact unreachable')));
    const id = await queue('wechaty', 'village-a', 'parent-1');
    const sender = dispatcher([wechat]);

    const tallies = [];
    for (let round = 0; round < 4; round += 1) {
      tallies.push(await sender.runOnce());
      advance(60_000);
    }
    expect(tallies).toEqual([
      { sent: 0, failed: 1, dead: 0 },
      { sent: 0, failed: 1, dead: 0 },
      { sent: 0, failed: 0, dead: 1 },
      { sent: 0, failed: 0, dead: 0 },
    ]);
    expect(wechat.calls).toBe(3);
    expect(await deadLetters(database.db, { limit: 10 })).toEqual([
      { id, channel: 'wechaty', botAccount: 'village-a', attempts: 3, lastError: 'contact unreachable', createdAt: START },
    ]);
    expect(await outboxDepth()).toEqual({ pending: 0, sending: 0, sent: 0, dead: 1 });

    expect(await retryDeadLetters(database.db, [id, id + 1], now)).toEqual([id]);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: now });
    expect(await deadLetters(database.db, { limit: 10 })).toEqual([]);
    expect(await sender.runOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect(wechat.delivered.map((message) => message.id)).toEqual([id]);
  });

  it('dead-letters a permanent failure at once, without retrying', async () => {
    const wechat = new FakeChannel('wechaty', ['village-a']);
    wechat.failNext('stranger', new SendFailure('no such contact', true));
    const id = await queue('wechaty', 'village-a', 'stranger');
    const sender = dispatcher([wechat]);

    expect(await sender.runOnce()).toEqual({ sent: 0, failed: 0, dead: 1 });
    advance(86_400_000);
    expect(await sender.runOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    expect(wechat.calls).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'no such contact' });
  });

  it('takes over a row whose dispatcher crashed holding the lease, but only once the lease has expired', async () => {
    const id = await queue('wechaty', 'village-a', 'parent-1');
    const leased = await claimOutbound(database.db, engine, { channel: 'wechaty', botAccount: 'village-a', owner: 'crashed', now, leaseMs: 60_000, limit: 10 });
    expect(leased.map((message) => message.id)).toEqual([id]);
    const wechat = new FakeChannel('wechaty', ['village-a']);
    const survivor = dispatcher([wechat], { instanceId: 'survivor' });

    advance(60_000);
    expect(await survivor.runOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    advance(1);
    expect(await survivor.runOnce()).toEqual({ sent: 1, failed: 0, dead: 0 });
    expect(wechat.delivered.map((message) => message.id)).toEqual([id]);
    expect(await row(id)).toMatchObject({ status: 'sent', leaseOwner: null });
    // The crashed instance, were it to come back, can no longer mark the row.
    expect(await markSent(database.db, id, 'crashed', now)).toBe(false);
  });

  it('dead-letters a message whose every send attempt was interrupted by a crash, instead of resending it forever', async () => {
    const id = await queue('wechaty', 'village-a', 'parent-1');
    const wechat = new FakeChannel('wechaty', ['village-a']);
    const maxAttempts = NO_LIMITS.maxAttempts;
    for (let crash = 0; crash < maxAttempts; crash++) {
      await claimOutbound(database.db, engine, { channel: 'wechaty', botAccount: 'village-a', owner: `crashed-${crash}`, now, leaseMs: 1000, limit: 10 });
      advance(1001);
    }
    expect(await dispatcher([wechat]).runOnce()).toEqual({ sent: 0, failed: 0, dead: 1 });
    expect(wechat.delivered).toEqual([]);
    expect(await row(id)).toMatchObject({ status: 'dead', lastError: `sending was interrupted ${maxAttempts} times` });
  });

  it('sends an urgent alert before a backlog of weekly prompts queued earlier', async () => {
    const prompts = [await queue('wechaty', 'village-a', 'p1'), await queue('wechaty', 'village-a', 'p2')];
    const alert = (await database.db.outboxMessage.create({
      data: { channel: 'wechaty', botAccount: 'village-a', address: 'director-1', text: '【紧急】', urgent: true, nextAttemptAt: now },
    })).id;
    const wechat = new FakeChannel('wechaty', ['village-a']);
    await dispatcher([wechat]).runOnce();
    expect(wechat.delivered.map((message) => message.id)).toEqual([alert, ...prompts]);
  });

  it('leaves the rows of a logged-out account queued, spending none of their attempts', async () => {
    const id = await queue('wechaty', 'village-a', 'parent-1');
    const wechat = new FakeChannel('wechaty', ['village-a']);
    wechat.status = () => ({ channel: 'wechaty', accounts: [{ name: 'village-a', state: 'logged_out' }] });
    expect(await dispatcher([wechat]).runOnce()).toEqual({ sent: 0, failed: 0, dead: 0 });
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('compares due times correctly however the timestamp was written (Prisma or a SQL default format)', async () => {
    await database.db.$executeRawUnsafe(
      `INSERT INTO "OutboxMessage" ("channel", "botAccount", "address", "text", "nextAttemptAt") VALUES ('wechaty', 'village-a', 'parent-1', '你好', '2026-03-02 12:00:00')`,
    );
    const claim = (at: string) => claimOutbound(database.db, engine, { channel: 'wechaty', botAccount: 'village-a', owner: 'one', now: new Date(at), leaseMs: 1000, limit: 10 });
    expect(await claim('2026-03-02T11:59:59.999Z')).toEqual([]);
    expect(await claim('2026-03-02T12:00:00.000Z')).toEqual([expect.objectContaining({ address: 'parent-1', isRoom: false, attempts: 0 })]);
  });

  it('sends one message per account every interval plus jitter, by the injected clock', async () => {
    const wechat = new FakeChannel('wechaty', ['village-a']);
    const ids = [await queue('wechaty', 'village-a', 'p1'), await queue('wechaty', 'village-a', 'p2'), await queue('wechaty', 'village-a', 'p3')];
    // random() = 0.5 makes the jitter 1500 ms of 3000.
    const sender = dispatcher([wechat], { sending: { ...NO_LIMITS, intervalMs: 4000, jitterMs: 3000 } });

    expect((await sender.runOnce()).sent).toBe(1);
    expect((await sender.runOnce()).sent).toBe(0);
    advance(5499);
    expect((await sender.runOnce()).sent).toBe(0);
    advance(1);
    expect((await sender.runOnce()).sent).toBe(1);
    advance(5500);
    expect((await sender.runOnce()).sent).toBe(1);
    expect(wechat.delivered.map((message) => message.id)).toEqual(ids);
    expect(await outboxDepth()).toEqual({ pending: 0, sending: 0, sent: 3, dead: 0 });
  });

  it('stops at the daily cap until the next day in Shanghai, also across a restart', async () => {
    now = new Date('2026-03-02T15:00:00.000Z'); // 23:00 in Shanghai, still 2 March in UTC until 24:00 UTC
    const capped = { ...NO_LIMITS, dailyCap: 2 };
    const wechat = new FakeChannel('wechaty', ['village-a']);
    const ids = [await queue('wechaty', 'village-a', 'p1'), await queue('wechaty', 'village-a', 'p2'), await queue('wechaty', 'village-a', 'p3')];

    expect((await dispatcher([wechat], { sending: capped }).runOnce()).sent).toBe(2);
    const restarted = dispatcher([wechat], { sending: capped, instanceId: 'instance-2' });
    advance(30 * 60_000);
    expect((await restarted.runOnce()).sent).toBe(0);
    now = new Date('2026-03-02T15:59:59.999Z');
    expect((await restarted.runOnce()).sent).toBe(0);
    now = new Date('2026-03-02T16:00:00.000Z'); // midnight in Shanghai
    expect((await restarted.runOnce()).sent).toBe(1);
    expect(wechat.delivered.map((message) => message.id)).toEqual(ids);
  });

  it('sends each message through its own channel and bot account; http is not rate-limited', async () => {
    const wechat = new FakeChannel('wechaty', ['village-a', 'village-b']);
    const http = new FakeChannel('http', ['default']);
    const toB = await queue('wechaty', 'village-b', 'parent-b');
    const overHttp = [await queue('http', 'default', 'gateway-1'), await queue('http', 'default', 'gateway-2')];
    const toA = await queue('wechaty', 'village-a', 'parent-a');
    const orphan = await queue('wechaty', 'village-z', 'parent-z');
    const sender = dispatcher([wechat, http], { sending: { ...NO_LIMITS, intervalMs: 4000, jitterMs: 3000 } });

    expect(await sender.runOnce()).toEqual({ sent: 4, failed: 0, dead: 0 });
    expect(wechat.delivered).toEqual([
      { id: toA, channel: 'wechaty', botAccount: 'village-a', address: 'parent-a', isRoom: false, text: '你好 parent-a' },
      { id: toB, channel: 'wechaty', botAccount: 'village-b', address: 'parent-b', isRoom: false, text: '你好 parent-b' },
    ]);
    expect(http.delivered.map((message) => [message.id, message.botAccount, message.address])).toEqual([
      [overHttp[0], 'default', 'gateway-1'],
      [overHttp[1], 'default', 'gateway-2'],
    ]);
    // No running channel has account village-z: its row waits rather than going out through another account.
    expect(await row(orphan)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('hands back the rest of a batch, unsent and without counting an attempt, once half its lease has passed', async () => {
    const http = new FakeChannel('http', ['default']);
    http.during = () => advance(3000);
    const ids = [];
    for (const address of ['g1', 'g2', 'g3', 'g4']) ids.push(await queue('http', 'default', address));
    const sender = dispatcher([http], { leaseMs: 10_000 });

    expect((await sender.runOnce()).sent).toBe(2);
    expect(await database.db.outboxMessage.findMany({ where: { id: { in: ids.slice(2) } }, select: { status: true, attempts: true, leaseOwner: true } })).toEqual([
      { status: 'pending', attempts: 0, leaseOwner: null },
      { status: 'pending', attempts: 0, leaseOwner: null },
    ]);
    expect((await sender.runOnce()).sent).toBe(2);
    expect(http.delivered.map((message) => message.id)).toEqual(ids);
  });

  it('start() sends a queued message as soon as it is nudged, and stop() lets the send in flight finish', async () => {
    const wechat = new FakeChannel('wechaty', ['village-a']);
    let openGate = () => {};
    wechat.gate = new Promise((resolve) => (openGate = resolve));
    const sender = dispatcher([wechat], { pollMs: 60_000 });
    // Once the first, empty round is over, the loop idles for a minute: only a nudge sends sooner.
    const firstRound = new Promise<void>((resolve) => {
      const runOnce = sender.runOnce.bind(sender);
      jest.spyOn(sender, 'runOnce').mockImplementationOnce(() => runOnce().finally(resolve));
    });
    sender.start();
    try {
      await firstRound;
      const id = await queue('wechaty', 'village-a', 'parent-1');
      sender.nudge();
      const deadline = Date.now() + EVENT_WAIT_MS;
      while (wechat.calls === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(wechat.calls).toBe(1);

      let stopped = false;
      const stopping = sender.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      openGate();
      await stopping;
      expect(await row(id)).toMatchObject({ status: 'sent' });
    } finally {
      // Ends the loop even when an expectation failed, so a broken nudge fails the test instead of hanging the run.
      openGate();
      await sender.stop();
    }
  });

  it('hands back the lease of a send still hanging when stop’s grace runs out, for another instance to send it now', async () => {
    const wechat = new FakeChannel('wechaty', ['village-a']);
    let openGate = () => {};
    wechat.gate = new Promise((resolve) => (openGate = resolve));
    const id = await queue('wechaty', 'village-a', 'parent-1');
    const sender = dispatcher([wechat], { pollMs: 60_000 });
    sender.start();
    try {
      await new Promise<void>((resolve) => {
        const check = () => (wechat.calls > 0 ? resolve() : setImmediate(check));
        check();
      });
      await sender.stop(50);
      expect(await row(id)).toMatchObject({ status: 'pending', leaseOwner: null, attempts: 0 });
      const other = dispatcher([new FakeChannel('wechaty', ['village-a'])], { instanceId: 'instance-2' });
      expect(await other.runOnce()).toMatchObject({ sent: 1 });
    } finally {
      openGate();
    }
  });

  if (engine === 'postgresql') {
    it('two instances on separate connections send each of 2,000 rows exactly once', async () => {
      const total = 2000;
      await database.db.outboxMessage.createMany({
        data: Array.from({ length: total }, (_, index) => ({ channel: 'http', botAccount: 'load', address: `user-${index}`, text: `第${index}条`, nextAttemptAt: now, createdAt: now })),
      });
      const connections: Database[] = [await openDatabase(database.target), await openDatabase(database.target)];
      const channels = [new FakeChannel('http', ['load']), new FakeChannel('http', ['load'])];
      try {
        const instances = connections.map((connection, index) => dispatcher([channels[index]!], { db: connection.db, instanceId: `instance-${index}` }));
        const drain = async (instance: Dispatcher) => {
          while ((await instance.runOnce()).sent > 0);
        };
        await Promise.all(instances.map(drain));
      } finally {
        await Promise.all(connections.map((connection) => connection.close()));
      }

      const sendsPerId = new Map<number, number>();
      for (const message of channels.flatMap((channel) => channel.delivered)) sendsPerId.set(message.id, (sendsPerId.get(message.id) ?? 0) + 1);
      expect(sendsPerId.size).toBe(total);
      expect([...sendsPerId].filter(([, count]) => count > 1)).toEqual([]);
      expect(channels.every((channel) => channel.delivered.length > 0)).toBe(true);
      expect(await outboxDepth()).toEqual({ pending: 0, sending: 0, sent: total, dead: 0 });
    }, 60_000);
  }
});
