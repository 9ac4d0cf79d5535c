import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpChannel } from '../../../bots/http/httpChannel';
import { createApp } from '../../../src/api/app';
import type { AnyRoute } from '../../../src/api/route';
import { RESOURCES } from '../../../src/api/routes';
import { InboxProcessor } from '../../../src/chat/inboxProcessor';
import { serviceChannelHost } from '../../../src/chat/serviceChannelHost';
import { createLogger } from '../../../src/log';
import { tokenFor } from '../../support/adminApi';
import { createApiWorld } from '../../support/apiWorld';
import { FUZZ_SCALE, FUZZ_SEED, Random } from '../../support/fuzz';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

const ROUTES: AnyRoute[] = RESOURCES.flatMap((resource) => resource.routes);
const PER_ROUTE = 12 * FUZZ_SCALE;
const CHANNEL_REQUESTS = 300 * FUZZ_SCALE;
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
/** What a response must never show: stack frames, source or system paths, SQL, the ORM. */
const LEAK = /\bat \S+ \(|\.ts:\d|node_modules|\/work\/|\/home\/|\/tmp\/|prisma|SELECT |INSERT INTO|UPDATE "|sqlite|postgres/i;

/** Hundreds of requests a test, 10 MB bodies among them: a loaded 2-core machine takes more than the default 30 s. */
const FUZZ_TIMEOUT_MS = 120_000;

const SEGMENTS = ['1', '0', '-1', '1.5', '1e99', '99999999999999999999', '2147483648', 'TV-2026-000001', '880101', '%zz', '%00', '..%2F..%2Fetc', '张三', 'null', '[]', ''];

describeEachEngine('every door of the HTTP surface, fuzzed', (engine) => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  let token: string;
  const channelToken = 'fuzz-channel-token';
  const tally = { requests: 0, byStatus: {} as Record<number, number> };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await createApiWorld(database.db, database.cipher);
    token = await tokenFor(database.db, 'officer_district', '880101');
    const logger = createLogger('silent');
    const channel = new HttpChannel({ token: channelToken, db: database.db });
    await channel.start(serviceChannelHost(database.db, new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger }), 10 * 1024 * 1024));
    server = createApp({ database, cipher: database.cipher, logger, routers: [channel.routes()] }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    process.stdout.write(`fuzz [${engine}] seed ${FUZZ_SEED}: ${tally.requests} requests, statuses ${JSON.stringify(tally.byStatus)}\n`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.drop();
  });

  async function send(method: string, path: string, options: { body?: string; bearer?: string } = {}): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.bearer ?? token}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${wellFormed(path)}`, { method, headers, body: options.body });
    const text = await response.text();
    tally.requests += 1;
    tally.byStatus[response.status] = (tally.byStatus[response.status] ?? 0) + 1;
    const where = `seed ${FUZZ_SEED}: ${method} ${path.slice(0, 200)} ${options.body?.slice(0, 200) ?? ''}`;
    if (response.status >= 500 || LEAK.test(text)) throw new Error(`${where} → ${response.status} ${text.slice(0, 300)}`);
    return { status: response.status, text };
  }

  const rowCounts = async () => {
    const { db } = database;
    return [await db.area.count(), await db.child.count(), await db.person.count(), await db.childLink.count(), await db.invite.count(), await db.caseStep.count(), await db.schoolCalendar.count(), await db.apiToken.count(), await db.userAccount.count(), await db.guardianshipAgreement.count()];
  };

  /** Lone surrogates cannot be percent-encoded: a client sends U+FFFD for them. */
  const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

  function randomPath(random: Random, route: AnyRoute): string {
    const path = route.path.replace(/:(\w+)/g, () => random.pick(SEGMENTS));
    const pairs = Array.from({ length: random.int(4) }, () => `${random.pick(['limit', 'after', 'area', 'format', 'periods', 'name', 'state', 'x', '__proto__'])}=${encodeURIComponent(wellFormed(random.pick([random.text(), String(random.value())])))}`);
    return `/api/v1${path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
  }

  /**
   * Whether a route's body must carry something: a route whose body may be empty (a retry, a revoke,
   * an accept with an optional note) rightly takes a random `{}`, which is no finding.
   */
  const needsFields = (route: AnyRoute): boolean => route.body !== undefined && !route.body.safeParse({}).success;

  function randomBody(random: Random): string {
    switch (random.int(5)) {
      case 0:
        return random.text();
      case 1:
        return `{"name": ${random.pick(['', '"', '[', '{', 'undefined', 'NaN', '1e999'])}`;
      default:
        return JSON.stringify(random.value());
    }
  }

  it('answers any body, query and path of every API route without a 5xx or a leak, writing nothing', async () => {
    const random = new Random(FUZZ_SEED);
    const before = await rowCounts();
    let writesAccepted = 0;
    for (const route of ROUTES) {
      for (let i = 0; i < PER_ROUTE; i += 1) {
        const hasBody = route.method !== 'get' && route.method !== 'delete';
        const { status } = await send(route.method.toUpperCase(), randomPath(random, route), hasBody ? { body: randomBody(random) } : {});
        if (hasBody && needsFields(route) && status < 300) writesAccepted += 1;
      }
      const plainPath = `/api/v1${route.path.replace(/:(\w+)/g, (_m, name: string) => (name === 'number' ? 'TV-2026-000001' : name === 'code' ? '880101' : '1'))}`;
      if (route.method !== 'get') expect((await send(route.method.toUpperCase(), plainPath, { body: `"${TEN_MB}"` })).status).toBe(413);
    }
    // Random input that a strict schema accepts would be a finding in itself.
    expect(writesAccepted).toBe(0);
    expect(await rowCounts()).toEqual(before);
  }, FUZZ_TIMEOUT_MS);

  it('answers anything posted to the HTTP channel without a 5xx, and keeps only well-formed messages', async () => {
    const random = new Random(FUZZ_SEED + 1);
    const before = await database.db.inboxMessage.count();
    let accepted = 0;
    for (let i = 0; i < CHANNEL_REQUESTS; i += 1) {
      const body = random.next() < 0.5 ? JSON.stringify({ id: `fuzz-${i}`, from: random.pick(['wx-1', 'wx-2', random.text()]), text: random.text(), ...(random.next() < 0.3 ? { room: random.value() } : {}), ...(random.next() < 0.3 ? { at: random.value() } : {}) }) : randomBody(random);
      const { status } = await send('POST', '/channels/http/inbound', { body, bearer: channelToken });
      if (status === 200) accepted += 1;
    }
    expect((await send('POST', '/channels/http/inbound', { body: TEN_MB, bearer: channelToken })).status).toBe(413);
    expect((await send('GET', `/channels/http/outbox?to=${encodeURIComponent(wellFormed(random.text()))}&after=-5`, { bearer: channelToken })).status).toBeLessThan(500);
    expect(await database.db.inboxMessage.count()).toBe(before + accepted);
  }, FUZZ_TIMEOUT_MS);
});
