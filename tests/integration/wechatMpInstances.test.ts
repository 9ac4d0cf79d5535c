import type { WechatMpChannel } from '../../bots/wechat-mp/wechatMpChannel';
import type { RunningService } from '../../src/service';
import { startTestService } from '../support/inProcessService';
import { SimulatedMpPlatform } from '../support/simulatedWechatMp';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

const START = new Date('2026-11-04T02:00:00.000Z');
const ACCOUNT = {
  name: 'city',
  appId: 'wx2c2769f8efd9abc2',
  appSecret: 'simulated-app-secret',
  token: 'spamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
/** More answers than one dispatcher claims in a round (50): both instances send, and both need the token. */
const FOLLOWERS = Array.from({ length: 120 }, (_, i) => `o-follower-${i}`);
/** 240 signed, encrypted callbacks and their answers, one after another, on a loaded 2-core machine. */
const BUDGET_MS = 120_000;

describeEachEngine('two service instances on one 服务号', (engine) => {
  if (engine === 'sqlite') {
    it.skip('is a PostgreSQL deployment', () => undefined);
    return;
  }
  let database: TestDatabase;
  let platform: SimulatedMpPlatform;
  let instances: RunningService[];
  let now: Date;

  beforeEach(async () => {
    now = START;
    database = await createTestDatabase(engine);
    platform = new SimulatedMpPlatform(ACCOUNT, () => now, () => instances[0]!.url);
    const apiBase = await platform.start();
    const env = { SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify({ wechatMp: [{ ...ACCOUNT, apiBase }] }) };
    instances = [
      await startTestService(database, env, { clock: () => now, jobs: [], manualDispatch: true, instanceId: 'instance-a' }),
      await startTestService(database, env, { clock: () => now, jobs: [], manualDispatch: true, instanceId: 'instance-b' }),
    ];
  });
  afterEach(async () => {
    for (const instance of instances) await instance.stop();
    await platform.stop();
    await database.drop();
  });

  /** Both instances dispatch at once, round after round (a deferred row waits a few seconds), until nothing is left. */
  async function dispatchTogether(): Promise<void> {
    await instances[0]!.inbox.settled();
    for (let round = 0; round < 5; round += 1) {
      await Promise.all(instances.map((instance) => instance.dispatcher.runOnce()));
      if ((await database.db.outboxMessage.count({ where: { status: { not: 'sent' } } })) === 0) return;
      now = new Date(now.getTime() + 6_000);
    }
  }

  const tokenOf = (instance: RunningService) => (instance.channels.find((channel) => channel.name === 'wechat-mp') as WechatMpChannel).api('city')!.token;

  it('ask WeChat for the token once per expiry, however many ask at once', async () => {
    const askTogether = () => Promise.allSettled(instances.flatMap((instance) => [tokenOf(instance).get(), tokenOf(instance).get()]));
    const first = await askTogether();
    const issued = first.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(new Set(issued)).toEqual(new Set(['TOKEN-1']));
    // Those that found another instance refreshing get the stored token once it is there.
    expect(await Promise.all(instances.map((instance) => tokenOf(instance).get()))).toEqual(['TOKEN-1', 'TOKEN-1']);

    now = new Date(START.getTime() + 7_200_000 - 60_000);
    await askTogether();
    expect(await Promise.all(instances.map((instance) => tokenOf(instance).get()))).toEqual(['TOKEN-2', 'TOKEN-2']);
    expect(platform.tokensIssued).toBe(2);
  });

  it('share one access token, refreshed once per expiry, and send each answer once', async () => {
    for (const id of FOLLOWERS) await platform.follower(id).says('帮助');
    await dispatchTogether();
    expect(platform.delivered.map((message) => message.to).sort()).toEqual([...FOLLOWERS].sort());
    expect(platform.tokensIssued).toBe(1);
    const senders = await database.db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
    expect(senders).toEqual([{ status: 'sent', _count: { _all: FOLLOWERS.length } }]);
    const sentBy = await Promise.all(instances.map(async (instance) => (await instance.metrics.registry.getSingleMetric('shouwang_messages_sent_total')!.get()).values[0]?.value ?? 0));
    expect(sentBy.every((count) => count > 0)).toBe(true);

    now = new Date(START.getTime() + 7_200_000);
    for (const id of FOLLOWERS) await platform.follower(id).says('帮助');
    await dispatchTogether();
    expect(platform.delivered).toHaveLength(FOLLOWERS.length * 2);
    expect(new Set(platform.delivered.map((message) => `${message.to}@${message.at.toISOString().slice(0, 13)}`)).size).toBe(FOLLOWERS.length * 2);
    expect(platform.tokensIssued).toBe(2);
  }, BUDGET_MS);
});
