import { createServer, type RequestListener, type Server } from 'node:http';
import type { Middleware } from 'koa';
import type { ClientLimits } from '../config';

/** An idle keep-alive connection is closed after this; a reverse proxy in front keeps its own. */
const KEEP_ALIVE_TIMEOUT_MS = 5000;

/** The node HTTP server with the timeouts of `limits` and a cap on connections per peer address. */
export function createLimitedServer(handler: RequestListener, limits: ClientLimits): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often node looks for connections past those timeouts (its default, 30 s, would let them overstay).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    handler,
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  if (!limits.trustProxy) {
    const open = new Map<string, number>();
    server.on('connection', (socket) => {
      const address = socket.remoteAddress ?? '';
      const count = (open.get(address) ?? 0) + 1;
      if (count > limits.maxConnectionsPerAddress) {
        socket.destroy();
        return;
      }
      open.set(address, count);
      socket.once('close', () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left === 0) open.delete(address);
        else open.set(address, left);
      });
    });
  }
  return server;
}

/** Answers 429 to a client address that already has `max` requests being handled. */
export function requestsPerAddress(max: number): Middleware {
  const inFlight = new Map<string, number>();
  return async (ctx, next) => {
    const address = ctx.ip;
    const count = inFlight.get(address) ?? 0;
    if (count >= max) {
      ctx.status = 429;
      ctx.set('Retry-After', '1');
      ctx.body = { error: 'too_many_requests', message: `at most ${max} requests at once from one address` };
      return;
    }
    inFlight.set(address, count + 1);
    try {
      await next();
    } finally {
      const left = (inFlight.get(address) ?? 1) - 1;
      if (left === 0) inFlight.delete(address);
      else inFlight.set(address, left);
    }
  };
}
