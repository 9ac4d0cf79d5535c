import type { RunningService } from '../../src/service';
import { catalog } from '../../src/texts/catalog';
import { startTestService } from '../support/inProcessService';
import { SimulatedMpPlatform } from '../support/simulatedWechatMp';
import { SimulatedWecom } from '../support/simulatedWecom';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

const START = new Date('2026-11-04T02:00:10.000Z');
const MP = { name: 'city', appId: 'wx2c2769f8efd9abc2', appSecret: 'simulated-app-secret', token: 'spamtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
const WECOM = { name: 'district', corpId: 'wx5823bf96d3bd56c7', agentId: 1000002, secret: 'simulated-corp-secret', token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const LIMITS = { SHOUWANG_CALLBACK_RATE_PER_MINUTE: '3', SHOUWANG_CALLBACK_ACCOUNT_RATE_PER_MINUTE: '5' };

describeEachEngine('platform callbacks limited per sender and per account', (engine) => {
  let database: TestDatabase;
  let mp: SimulatedMpPlatform;
  let wecom: SimulatedWecom;
  let instances: RunningService[];
  /** The instance WeChat's next push reaches (a load balancer's choice). */
  let target: number;
  let now: Date;

  beforeEach(async () => {
    now = START;
    target = 0;
    database = await createTestDatabase(engine);
    mp = new SimulatedMpPlatform(MP, () => now, () => instances[target]!.url);
    wecom = new SimulatedWecom(WECOM, () => now, () => instances[target]!.url);
    const channels = { wechatMp: [{ ...MP, apiBase: await mp.start() }], wecom: [{ ...WECOM, apiBase: await wecom.start() }] };
    const env = { SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify(channels), ...LIMITS };
    instances = [await startTestService(database, env, { clock: () => now, jobs: [], manualDispatch: true, instanceId: 'instance-a' })];
    // Several instances share the counts only through PostgreSQL; SQLite is served by one.
    if (engine === 'postgresql') instances.push(await startTestService(database, env, { clock: () => now, jobs: [], manualDispatch: true, instanceId: 'instance-b' }));
  });
  afterEach(async () => {
    for (const instance of instances) await instance.stop();
    await mp.stop();
    await wecom.stop();
    await database.drop();
  });

  const settled = () => Promise.all(instances.map((instance) => instance.inbox.settled()));
  const handledFrom = async (externalId: string) => {
    await settled();
    return database.db.inboxMessage.count({ where: { fromExternalId: externalId } });
  };
  const limited = async (channel: string, scope: string) => {
    let total = 0;
    for (const instance of instances) {
      const values = (await instance.metrics.registry.getSingleMetric('shouwang_callbacks_limited_total')!.get()).values;
      total += values.find((value) => value.labels.channel === channel && value.labels.scope === scope)?.value ?? 0;
    }
    return total;
  };

  it('acknowledges a 服务号 follower’s pushes over the limit without handling them, telling them once a minute to slow down', async () => {
    const follower = mp.follower('o-fast');
    const answers = [];
    for (let i = 0; i < 6; i += 1) {
      // Each push reaches another instance where there are several: the count is shared.
      target = i % instances.length;
      answers.push(await follower.says(`帮助 ${i}`));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.slice(0, 3).map((answer) => answer.text)).toEqual(['success', 'success', 'success']);
    expect(mp.passiveReply(answers[3]!.text)).toEqual({ to: 'o-fast', text: catalog.callbackSlowDown });
    expect(answers.slice(4).map((answer) => answer.text)).toEqual(['success', 'success']);
    expect(await handledFrom('o-fast')).toBe(3);
    expect(await limited('wechat-mp', 'sender')).toBe(3);

    // Another follower is not held back by this one; the next minute the first is handled again.
    expect((await mp.follower('o-calm').says('帮助')).text).toBe('success');
    now = new Date(START.getTime() + 60_000);
    expect((await follower.says('帮助 again')).text).toBe('success');
    expect(await handledFrom('o-fast')).toBe(4);
    expect(await handledFrom('o-calm')).toBe(1);
  });

  it('stops an account’s pushes past its limit of all senders together, whoever sends them', async () => {
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push(await mp.follower(`o-${i}`).says('帮助'));
    expect(await database.db.inboxMessage.count()).toBe(5);
    expect(answers.slice(5).map((answer) => mp.passiveReply(answer.text)?.text)).toEqual([catalog.callbackSlowDown, catalog.callbackSlowDown]);
    expect(await limited('wechat-mp', 'account')).toBe(2);
    // The 服务号's limit is its own: WeCom's members are counted apart.
    expect((await wecom.member('li.director').says('帮助')).text).toBe('');
  });

  it('limits a WeCom member the same way, the slow-down reply encrypted for the CorpID', async () => {
    const member = wecom.member('li.director');
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await member.says('帮助'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.slice(0, 3).map((answer) => answer.text)).toEqual(['', '', '']);
    expect(answers[3]!.text).not.toContain(catalog.callbackSlowDown);
    expect(wecom.passiveReply(answers[3]!.text)).toEqual({ to: 'li.director', text: catalog.callbackSlowDown });
    expect(answers[4]!.text).toBe('');
    expect(await handledFrom('li.director')).toBe(3);
    expect(await limited('wecom', 'sender')).toBe(2);
  });
});
