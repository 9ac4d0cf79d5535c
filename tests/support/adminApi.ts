import type { Department } from '../../src/domain/departments';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import type { ApiRole } from '../../src/domain/apiAccess';
import { createLogger, type Logger } from '../../src/log';
import { createApiToken } from '../../src/store/access/apiTokens';
import type { Db } from '../../src/store/db/database';
import type { TestDatabase } from './testDatabase';

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Tests read whatever shape the endpoint returns.
  body: any;
}

export interface ApiTestServer {
  url: string;
  /** Sends a request; `body` is sent as JSON unless `raw` text is given. */
  call(method: string, path: string, options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** The HTTP app (health, admin API) on a free port of 127.0.0.1, on a migrated test database. */
export async function startApiServer(
  database: TestDatabase,
  clock?: () => Date,
  logger: Logger = createLogger('silent'),
  options: { trustProxy?: boolean; apiRatePerMinute?: number; attachmentDir?: string } = {},
): Promise<ApiTestServer> {
  const server: Server = createApp({
    database,
    cipher: database.cipher,
    logger,
    clock,
    trustProxy: options.trustProxy,
    apiRatePerMinute: options.apiRatePerMinute,
    attachmentDir: options.attachmentDir,
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.raw !== undefined || options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = options.raw ?? JSON.stringify(options.body);
      }
      const response = await fetch(`${url}/api/v1${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A token's secret, made as the CLI makes it. */
export async function tokenFor(db: Db, role: ApiRole, areaCode: string, department?: Department): Promise<string> {
  return (await createApiToken(db, { role, areaCode, department, createdBy: 'test' })).token;
}
