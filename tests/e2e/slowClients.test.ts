import { connect, type Socket } from 'node:net';
import type { RunningService } from '../../src/service';
import { CHANNEL_TOKEN, httpChannelClient, startTestService } from '../support/inProcessService';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const BUDGET_MS = 60_000;
// 127.0.0.0/8 is all loopback on Linux: a second client address without a second machine.
const HOSTILE_ADDRESS = '127.0.0.2';

interface SlowClient {
  socket: Socket;
  /** What the server answered, if anything. */
  answer: () => string;
  closed: Promise<void>;
}

function slowClient(url: string, firstBytes: string): Promise<SlowClient> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress: HOSTILE_ADDRESS });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => {
      socket.write(firstBytes);
      resolve({ socket, answer: () => answer, closed });
    });
    socket.once('error', reject);
  });
}

/** Headers sent up to a point, then nothing: the slow-loris attack. */
const HALF_HEADERS = 'POST /channels/http/inbound HTTP/1.1\r\nHost: shouwang\r\nX-Slow: ';

/** Complete headers, then a body that never finishes. */
const HALF_BODY = [
  'POST /channels/http/inbound HTTP/1.1',
  'Host: shouwang',
  `Authorization: Bearer ${CHANNEL_TOKEN}`,
  'Content-Type: application/json',
  'Content-Length: 1000',
  '',
  '{"id":"slow',
].join('\r\n');

/** Resolves once `count` of the promises have settled. */
function settled(promises: Array<Promise<unknown>>, count: number): Promise<void> {
  let done = 0;
  return new Promise((resolve) => {
    if (count === 0) resolve();
    for (const promise of promises) {
      void promise.finally(() => {
        if (++done === count) resolve();
      });
    }
  });
}

describe('slow and hostile clients', () => {
  let database: TestDatabase;
  const clients: SlowClient[] = [];
  let service: RunningService | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await service?.stop();
    service = undefined;
  });
  afterAll(() => database.drop());

  it(
    'keeps answering chat from another address within 1 s while 200 slow clients hold connections from one',
    async () => {
      service = await startTestService(database, { SHOUWANG_MAX_CONNECTIONS_PER_ADDRESS: '64', SHOUWANG_MAX_REQUESTS_PER_ADDRESS: '32' });
      const { url } = service;

      // 40 bodies that never finish: 32 are being read, the 8 beyond the per-address limit are told 429 at once.
      const bodies = await Promise.all(Array.from({ length: 40 }, () => slowClient(url, HALF_BODY)));
      clients.push(...bodies);
      const tooMany = bodies.map((client) => new Promise<void>((resolve) => client.socket.on('data', () => client.answer().includes('\r\n\r\n') && resolve())));
      await settled(tooMany, 8);
      expect(bodies.filter((client) => client.answer().startsWith('HTTP/1.1 429'))).toHaveLength(8);

      // 160 slow-loris connections: the 24 still within the per-address cap are held, the other 136 closed at once.
      const loris = await Promise.all(Array.from({ length: 160 }, () => slowClient(url, HALF_HEADERS)));
      clients.push(...loris);
      await settled(
        loris.map((client) => client.closed),
        136,
      );

      const started = performance.now();
      const answer = await httpChannelClient(url).say('tel:neighbour', '你好');
      const elapsedMs = performance.now() - started;
      expect(answer.status).toBe(200);
      expect(answer.body.replies[0]!.text).toMatch(/^您还没有绑定身份/);
      expect(elapsedMs).toBeLessThan(1000);
      // The slow clients were still holding their connections while the neighbour was answered.
      expect(loris.filter((client) => !client.socket.destroyed)).toHaveLength(24);
      expect(bodies.filter((client) => !client.socket.destroyed && client.answer() === '')).toHaveLength(32);
    },
    BUDGET_MS,
  );

  it(
    'cuts off a client that does not finish its headers, or its body, in time',
    async () => {
      service = await startTestService(database, { SHOUWANG_HEADERS_TIMEOUT_MS: '1000', SHOUWANG_REQUEST_TIMEOUT_MS: '2000' });
      const loris = await slowClient(service.url, HALF_HEADERS);
      const body = await slowClient(service.url, HALF_BODY);
      clients.push(loris, body);
      await Promise.all([loris.closed, body.closed]);
      expect(loris.answer()).toMatch(/^HTTP\/1.1 408/);
      expect(body.answer()).toMatch(/^HTTP\/1.1 408/);
    },
    BUDGET_MS,
  );

  it(
    'behind a trusted proxy, limits each forwarded client address, not the proxy’s',
    async () => {
      service = await startTestService(database, { SHOUWANG_TRUST_PROXY: 'true', SHOUWANG_MAX_CONNECTIONS_PER_ADDRESS: '2', SHOUWANG_MAX_REQUESTS_PER_ADDRESS: '2' });
      const forwardedFor = (client: string) => HALF_BODY.replace('Host: shouwang', `Host: shouwang\r\nX-Forwarded-For: ${client}`);
      // Three connections from the one proxy address: the connection cap does not apply behind a proxy.
      const slow = await Promise.all([1, 2, 3].map(() => slowClient(service!.url, forwardedFor('203.0.113.7'))));
      clients.push(...slow);
      await new Promise<void>((resolve) => slow.forEach((client) => client.socket.on('data', () => client.answer().includes('\r\n\r\n') && resolve())));
      expect(slow.map((client) => client.answer().slice(0, 12)).sort()).toEqual(['', '', 'HTTP/1.1 429']);

      const response = await fetch(`${service.url}/channels/http/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CHANNEL_TOKEN}`, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' },
        body: JSON.stringify({ id: 'other-client', from: 'tel:other', text: '你好' }),
      });
      expect(response.status).toBe(200);
    },
    BUDGET_MS,
  );
});
