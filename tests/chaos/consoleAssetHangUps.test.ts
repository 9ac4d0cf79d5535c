import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../../src/api/app';
import { createLogger } from '../../src/log';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

/** Each way of hanging up, this many times: a browser closing its tab mid-load does it all day. */
const TIMES = 50;

const openFiles = () => readdirSync('/proc/self/fd').length;

/** Asks for `file` and hangs up right after asking, or once part of the body has come. */
function hangUp(port: number, file: string, when: 'after-request' | 'mid-body'): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${file} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`);
      if (when === 'after-request') socket.destroy();
    });
    let seen = 0;
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (when === 'mid-body' && seen > 64 * 1024) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

/** Waits, without sleeping blind, until `check` holds or the time is up. */
async function settles(check: () => boolean, withinMs = 10_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

/**
 * The console's files are streamed from disk; a browser that leaves mid-file must not leave the
 * file open, nor a stack in the log. A built console of its own (one large script), so the test
 * does not depend on whether `npm run build:console` has run. The console needs no database of
 * its own; the app does, for its API.
 */
describe('browsers that hang up while the console loads', () => {
  let dist: string;
  let database: TestDatabase;
  let server: Server;
  let port: number;
  const logLines: string[] = [];

  beforeAll(async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'shouwang-console-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), `<!doctype html><title>守望</title>${'<!-- padding -->'.repeat(20_000)}`);
    writeFileSync(path.join(dist, 'assets', 'index-big.js'), randomBytes(8 * 1024 * 1024).toString('base64'));
    database = await createTestDatabase('sqlite');
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const app = createApp({ database, logger: createLogger('info', log), cipher: database.cipher, consoleDir: dist });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.drop();
    rmSync(dist, { recursive: true, force: true });
  });

  it('closes every file it opened and keeps serving the console', async () => {
    const baseline = openFiles();
    for (const file of ['/console/assets/index-big.js', '/console/cases']) {
      for (const when of ['after-request', 'mid-body'] as const) {
        for (let i = 0; i < TIMES; i++) await hangUp(port, file, when);
        const whole = await fetch(`http://127.0.0.1:${port}${file}`);
        expect({ file, when, status: whole.status }).toEqual({ file, when, status: 200 });
        await whole.arrayBuffer();
      }
    }
    expect(await settles(() => openFiles() <= baseline + 2)).toBe(true);
    expect(logLines.join('\n')).not.toMatch(/client connection failed|request failed|ERR_STREAM_PREMATURE_CLOSE/);
    expect(logLines.filter((line) => /"route"/.test(line) && /"status":200/.test(line)).length).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
