/**
 * Prisma's codes for a database that did not answer in time or could not be reached: P1001 not
 * reachable, P1002 and P1008 timed out (SQLite's busy lock surfaces as P1008), P1017 connection
 * closed, P2024 no pooled connection in time, P2037 too many connections.
 */
const AWAY_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);

/** What the drivers themselves call it, when Prisma passes their error on (raw queries, unknown kinds). */
const AWAY_KINDS = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);
const AWAY_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLite's busy and locked codes (with their extended forms); PostgreSQL's connection exceptions (08…), shutdown and startup (57P01–57P03), too many connections. */
function awayDriverCode(code: string): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(code) || /^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code) || AWAY_SOCKET_CODES.has(code);
}

interface DriverAdapterErrorLike {
  cause?: { kind?: unknown; originalCode?: unknown };
}

/**
 * True for an error that says the database is busy, slow or unreachable for now, rather than that
 * it refused what was asked: the same request is expected to succeed once it answers again.
 */
export function isDatabaseAway(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, errorCode, meta, cause } = current as { code?: unknown; errorCode?: unknown; meta?: { driverAdapterError?: DriverAdapterErrorLike }; cause?: unknown };
    // errorCode: a PrismaClientInitializationError's (the first connection failed).
    for (const value of [code, errorCode]) if (typeof value === 'string' && (AWAY_CODES.has(value) || awayDriverCode(value))) return true;
    const driverCause = (meta?.driverAdapterError ?? (current as DriverAdapterErrorLike)).cause;
    if (driverCause && typeof driverCause === 'object') {
      if (typeof driverCause.kind === 'string' && AWAY_KINDS.has(driverCause.kind)) return true;
      if (typeof driverCause.originalCode === 'string' && awayDriverCode(driverCause.originalCode)) return true;
    }
    current = cause;
  }
  return false;
}
