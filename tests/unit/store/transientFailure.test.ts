import { Prisma } from '../../../src/store/db/database';
import { isDatabaseAway } from '../../../src/store/db/transientFailure';

const prismaError = (code: string, driverCause?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: 'test', meta: driverCause ? { driverAdapterError: { cause: driverCause } } : undefined });

describe('which database errors mean "away for now" rather than "refused"', () => {
  it.each([
    ['SQLite held busy by another connection', prismaError('P1008', { kind: 'SocketTimeout', originalCode: 'SQLITE_BUSY' })],
    ['SQLite busy in a raw query', prismaError('P2010', { kind: 'sqlite', originalCode: 'SQLITE_BUSY' })],
    ['PostgreSQL refusing connections', prismaError('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    ['PostgreSQL closing the connection', prismaError('P1017', { kind: 'ConnectionClosed' })],
    ['PostgreSQL shutting down', prismaError('P2039', { kind: 'postgres', code: '57P01', originalCode: '57P01' })],
    ['no pooled connection in time', prismaError('P2024')],
    ['the socket itself refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a cause further down', new Error('outer', { cause: prismaError('P1008', { kind: 'SocketTimeout', originalCode: 'SQLITE_BUSY' }) })],
  ])('%s is away', (_, error) => {
    expect(isDatabaseAway(error)).toBe(true);
  });

  it.each([
    ['a duplicate key', prismaError('P2002', { kind: 'UniqueConstraintViolation' })],
    ['a missing foreign row', prismaError('P2003', { kind: 'ForeignKeyConstraintViolation', originalCode: 'SQLITE_CONSTRAINT_FOREIGNKEY' })],
    ['a write conflict', prismaError('P2034', { kind: 'TransactionWriteConflict' })],
    ['a bug in a handler', new TypeError('cannot read properties of undefined')],
    ['a full disk', Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })],
  ])('%s is not', (_, error) => {
    expect(isDatabaseAway(error)).toBe(false);
  });
});
