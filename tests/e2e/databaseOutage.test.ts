import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { until } from '../support/budgets';
import { CHANNEL_TOKEN, httpChannelClient } from '../support/inProcessService';
import { POSTGRES_TEST_URL } from '../support/postgresTestServer';
import { startServiceProcess, type ServiceProcess } from '../support/serviceProcess';
import { SimulatedMpPlatform } from '../support/simulatedWechatMp';
import { SimulatedWecom } from '../support/simulatedWecom';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy';
import { createTestDatabase, ENGINES_UNDER_TEST, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

const describePostgres = ENGINES_UNDER_TEST.includes('postgresql') ? describe : describe.skip;

/** Tencent's WeCom sample CorpID, Token and EncodingAESKey. */
const WECOM_APP = { name: 'district', corpId: 'wx5823bf96d3bd56c7', agentId: 1000002, secret: 'simulated-corp-secret', token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

const MP_ACCOUNT = { name: 'city', appId: 'wx2c2769f8efd9abc2', appSecret: 'simulated-app-secret', token: 'spamtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };

// Starting service processes on a loaded 2-core machine takes seconds each; the outage itself lasts a minute.
const BUDGET_MS = 300_000;
/** How long the database stays away, as the issue asks: a restart of a minute. */
const OUTAGE_MS = 60_000;
/** Between one sender's messages during the outage: steady, not a flood. */
const STEADY_PAUSE_MS = 2000;

interface Health {
  status: string;
  spool?: { depth: number; writable: boolean };
}

async function health(service: ServiceProcess): Promise<{ status: number; body: Health }> {
  const response = await fetch(`${service.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Health };
}

/**
 * The shared PostgreSQL server stays up: each service reaches it through a TCP proxy the test
 * cuts, which is what a database restart or a network failure looks like from the service.
 */
describePostgres('PostgreSQL away under chat traffic', () => {
  let database: TestDatabase;
  let village: TestVillage;
  let proxy: TcpProxy;
  const running: ServiceProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgresql');
    village = await createVillage(database.db);
    const server = new URL(POSTGRES_TEST_URL);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  });
  afterEach(async () => {
    proxy.restore();
    await Promise.all(running.splice(0).map((service) => service.crash()));
  });
  afterAll(async () => {
    await proxy.close();
    await database.drop();
  });

  function start(spoolDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const url = new URL(database.target.url);
    url.host = `127.0.0.1:${proxy.port}`;
    return startServiceProcess(
      {
        DATABASE_URL: url.toString(),
        SHOUWANG_DATA_KEY: database.dataKey.toString('hex'),
        CHANNEL_TOKEN,
        SHOUWANG_SPOOL_DIR: spoolDir,
        SHOUWANG_QUIET_HOURS: '',
        ...env,
      },
      60_000,
    ).then((service) => {
      running.push(service);
      return service;
    });
  }

  async function boundParents(count: number, prefix: string, service: ServiceProcess): Promise<Array<{ from: string; personId: number }>> {
    const parents = [];
    for (let index = 0; index < count; index++) {
      const from = `tel:${prefix}-${index}`;
      const { personId, code } = await invitePerson(database.db, { name: `家长${prefix}${index}`, role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent' });
      expect((await httpChannelClient(service.url).say(from, `绑定 ${code}`)).body.replies[0]!.text).toMatch(/^绑定成功/);
      parents.push({ from, personId });
    }
    return parents;
  }

  async function loggedMinutes(personId: number): Promise<Array<number | null>> {
    const logs = await database.db.contactLog.findMany({ where: { loggedById: personId }, orderBy: { id: 'asc' }, select: { minutes: true } });
    return logs.map((log) => log.minutes);
  }

  it(
    'accepts every message during a minute away, from two instances, and handles each once, in order, when it is back',
    async () => {
      const instances = [await start(mkdtempSync(path.join(os.tmpdir(), 'spool-a-'))), await start(mkdtempSync(path.join(os.tmpdir(), 'spool-b-')))];
      const senders = await Promise.all(instances.map(async (service, index) => ({ service, parents: await boundParents(2, `two${index}`, service) })));

      proxy.cut();
      const cutUntil = Date.now() + OUTAGE_MS;
      const sent = await Promise.all(
        senders.flatMap(({ service, parents }) =>
          parents.map(async (parent) => {
            const chat = httpChannelClient(service.url);
            const statuses = [];
            // Steady traffic for the whole outage; each sender waits for the answer before writing again, as a person (or a gateway's queue) does.
            for (let round = 1; round === 1 || Date.now() < cutUntil; round++) {
              statuses.push(await chat.say(parent.from, `已联系 电话 ${10 + round}`, { id: `${parent.from}-${round}` }));
              await new Promise((resolve) => setTimeout(resolve, STEADY_PAUSE_MS));
            }
            const rounds = statuses.length;
            // The platform delivers the first one again: accepted, and still handled once.
            statuses.push(await chat.say(parent.from, '已联系 电话 11', { id: `${parent.from}-1` }));
            return { service, parent, rounds, statuses };
          }),
        ),
      );
      for (const answer of sent.flatMap(({ statuses }) => statuses)) expect(answer).toEqual({ status: 200, body: { accepted: true, duplicate: false, replies: [], spooled: true } });
      for (const service of instances) {
        const spooled = sent.filter((sender) => sender.service === service).reduce((sum, sender) => sum + sender.rounds + 1, 0);
        expect(await health(service)).toEqual({ status: 200, body: expect.objectContaining({ status: 'degraded', spool: { depth: spooled, writable: true } }) });
      }
      expect(await database.db.contactLog.count()).toBe(0);
      const metrics = await fetch(`${instances[0]!.url}/metrics`);
      expect(metrics.status).toBe(200);
      const spooledByFirst = sent.filter((sender) => sender.service === instances[0]).reduce((sum, sender) => sum + sender.rounds + 1, 0);
      expect(await metrics.text()).toMatch(new RegExp(`^shouwang_inbound_spool_depth ${spooledByFirst}$`, 'm'));

      proxy.restore();
      await Promise.all(instances.map((service) => service.waitForOutput(/inbound spool drained/, 60_000)));

      for (const { parent, rounds } of sent) expect(await loggedMinutes(parent.personId)).toEqual(Array.from({ length: rounds }, (_, index) => 11 + index));
      // Texts are sealed at rest: read them back through the store rather than filtering in SQL.
      const inbound = (await database.db.inboxMessage.findMany({ select: { id: true, status: true, text: true } })).filter((row) => row.text.startsWith('已联系'));
      expect(inbound).toHaveLength(sent.reduce((sum, sender) => sum + sender.rounds, 0));
      expect(new Set(inbound.map((row) => row.status))).toEqual(new Set(['handled']));
      const replies = await database.db.outboxMessage.groupBy({ by: ['inboxMessageId'], where: { inboxMessageId: { in: inbound.map((row) => row.id) } }, _count: { _all: true } });
      expect(replies.map((group) => group._count._all)).toEqual(inbound.map(() => 1));
      for (const service of instances) expect(await health(service)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', spool: { depth: 0, writable: true } }) });
    },
    BUDGET_MS,
  );

  it(
    'records a WeCom member’s message while it is away, before any lookup, and recognises the member when it is back',
    async () => {
      let service: ServiceProcess | undefined;
      const wecom = new SimulatedWecom(WECOM_APP, () => new Date(), () => service!.url);
      const apiBase = await wecom.start();
      try {
        service = await start(mkdtempSync(path.join(os.tmpdir(), 'spool-wecom-')), { SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify({ wecom: [{ ...WECOM_APP, apiBase }] }) });
        // Put on the record after the start: the member is recognised by the userid when the message is handled.
        await database.db.person.create({ data: { name: '钱干事', role: 'officer', areaId: village.townshipId, wecomUserId: 'qian.officer' } });

        proxy.cut();
        expect(await wecom.member('qian.officer').says('帮助')).toEqual({ status: 200, text: '' });
        expect(await health(service)).toEqual({ status: 200, body: expect.objectContaining({ status: 'degraded', spool: { depth: 1, writable: true } }) });

        proxy.restore();
        await service.waitForOutput(/inbound spool drained/, 60_000);
        await until('the officer’s app message', () => wecom.deliveredTo('qian.officer').length > 0, 30_000);
        expect(wecom.deliveredTo('qian.officer')).toEqual([expect.objectContaining({ text: expect.stringContaining('钱干事您好，您是工作人员') })]);
      } finally {
        await wecom.stop();
      }
    },
    BUDGET_MS,
  );

  it(
    'records a 服务号 follower’s unfollow while it is away, and marks them unreachable when it is back',
    async () => {
      let service: ServiceProcess | undefined;
      const platform = new SimulatedMpPlatform(MP_ACCOUNT, () => new Date(), () => service!.url);
      const apiBase = await platform.start();
      try {
        service = await start(mkdtempSync(path.join(os.tmpdir(), 'spool-mp-')), { SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify({ wechatMp: [{ ...MP_ACCOUNT, apiBase }] }) });
        const { personId } = await invitePerson(database.db, { name: '郑家长', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent' });
        await database.db.chatIdentity.create({ data: { personId, channel: 'wechat-mp', botAccount: 'city', externalId: 'o-leaving' } });

        proxy.cut();
        expect(await platform.follower('o-leaving').unfollows()).toEqual({ status: 200, text: 'success' });
        proxy.restore();
        await service.waitForOutput(/inbound spool drained/, 60_000);
        expect(await database.db.chatIdentity.findFirstOrThrow({ where: { externalId: 'o-leaving' } })).toMatchObject({ unreachableAt: expect.any(Date) });
      } finally {
        await platform.stop();
      }
    },
    BUDGET_MS,
  );

  it(
    'keeps what it spooled across a crash and records it at the next start',
    async () => {
      const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'spool-crash-'));
      const first = await start(spoolDir);
      const [parent] = await boundParents(1, 'crash', first);
      proxy.cut();
      const chat = httpChannelClient(first.url);
      for (const minutes of [21, 22, 23]) expect((await chat.say(parent!.from, `已联系 视频 ${minutes}`)).body).toMatchObject({ accepted: true, spooled: true });
      await first.crash();

      proxy.restore();
      const second = await start(spoolDir);
      // The start-up drain comes before the service listens: nothing newer can overtake it.
      expect(second.output()).toMatch(/inbound spool drained/);
      expect(await loggedMinutes(parent!.personId)).toEqual([21, 22, 23]);
      const replies = (await httpChannelClient(second.url).outbox(parent!.from)).messages.map((message) => message.text);
      expect(replies.filter((text) => text.startsWith('已记录'))).toHaveLength(3);
    },
    BUDGET_MS,
  );

  it(
    'refuses with 503, rather than accepting, a message it can neither record nor spool',
    async () => {
      const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'spool-full-'));
      // Every write to /dev/full fails with ENOSPC: a full disk, whatever the test's user may do.
      symlinkSync('/dev/full', path.join(spoolDir, 'inbound.jsonl'));
      const service = await start(spoolDir);
      const [parent] = await boundParents(1, 'full', service);
      const chat = httpChannelClient(service.url);

      proxy.cut();
      const refused = await fetch(`${service.url}/channels/http/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CHANNEL_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'full-1', from: parent!.from, text: '已联系 电话 31' }),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(await refused.json()).toMatchObject({ error: 'unavailable' });
      expect(await health(service)).toEqual({ status: 503, body: expect.objectContaining({ status: 'unhealthy', spool: { depth: 0, writable: false } }) });

      proxy.restore();
      // The gateway delivers it again, and this time it is recorded and answered.
      const again = await chat.say(parent!.from, '已联系 电话 31', { id: 'full-1' });
      expect(again.status).toBe(200);
      expect(again.body.replies[0]!.text).toMatch(/^已记录/);
      expect(await loggedMinutes(parent!.personId)).toEqual([31]);
    },
    BUDGET_MS,
  );
});
