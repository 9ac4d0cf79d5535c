import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { consoleRoutes } from '../../src/api/consoleRoutes';

describe('the web console’s files at /console', () => {
  let folder: string;
  let servers: Server[] = [];

  /** The middleware over a built (or missing) console folder, on a free port. */
  async function serve(dist: string): Promise<string> {
    const app = new Koa();
    app.use(consoleRoutes(dist));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
    mkdirSync(path.join(folder, 'dist', 'assets'), { recursive: true });
    writeFileSync(path.join(folder, 'dist', 'index.html'), '<!doctype html><title>守望</title>');
    writeFileSync(path.join(folder, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(folder, 'secret.txt'), 'not for the web');
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    servers = [];
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers every console path with index.html, never cached, under a self-only content policy', async () => {
    const url = await serve(path.join(folder, 'dist'));
    for (const page of ['/console/', '/console/overview', '/console/children/12']) {
      const response = await fetch(`${url}${page}`);
      expect({ page, status: response.status, body: await response.text() }).toEqual({ page, status: 200, body: '<!doctype html><title>守望</title>' });
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect((await fetch(`${url}/console`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
  });

  it('serves the hashed assets for a year, and 404 for a missing one', async () => {
    const url = await serve(path.join(folder, 'dist'));
    const asset = await fetch(`${url}/console/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${url}/console/assets/gone.js`)).status).toBe(404);
  });

  it('never serves a file outside the built folder', async () => {
    const url = await serve(path.join(folder, 'dist'));
    for (const escape of ['/console/assets/..%2F..%2Fsecret.txt', '/console/..%2Fsecret.txt', '/console/assets/%2e%2e/%2e%2e/secret.txt']) {
      const response = await fetch(`${url}${escape}`);
      expect(await response.text()).not.toContain('not for the web');
    }
    expect((await fetch(`${url}/console/%E0%A4%A`)).status).toBe(400);
  });

  it('says how to build the console when it is not built', async () => {
    const url = await serve(path.join(folder, 'nowhere'));
    const response = await fetch(`${url}/console/overview`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:console');
  });
});
