import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlDriverAdapter, SqlQuery, SqlQueryable, Transaction } from '@prisma/driver-adapter-utils';
import { Prisma } from '../generated/sqlite/client';

/**
 * Interactive transactions opened on the driver adapter itself. Prisma's own builds a client for
 * each one (a proxy over every model, the sealing extension applied again): on the chat path, whose
 * statements are all raw, that was about a third of a keyword message's CPU (BENCHMARKS.md, "The
 * handling transaction on the adapter"). Here raw statements run on the adapter's transaction, and
 * the first typed statement opens Prisma's transaction over that same transaction (it adopts it,
 * see `adopting`), so typed and raw statements stay one unit of work that commits or rolls back
 * once. Limits and errors are Prisma's: `maxWait` to start, `timeout` to finish, P2028 past either.
 */
export interface TransactionLimits {
  maxWait: number;
  timeout: number;
}

/** The adapter transaction of one unit of work; closed once it commits, rolls back or times out. */
export interface TransactionSlot {
  transaction: Transaction;
  closed?: boolean;
  /** Its rollback, once begun: whoever else ends the unit waits for it. */
  rollingBack?: Promise<void>;
}

/** What a unit of work's client needs of the statements' owner (DirectRaw). */
export interface RawStatements {
  query(on: SqlQueryable, first: unknown, values: unknown[]): Promise<unknown[]>;
  execute(on: SqlQueryable, first: unknown, values: unknown[]): Promise<number>;
}

type Work = (tx: object) => Promise<unknown>;
type PrismaTransaction = (work: Work, options?: Partial<TransactionLimits>) => Promise<unknown>;

const COMMIT: SqlQuery = { sql: 'COMMIT', args: [], argTypes: [] };
const ROLLBACK: SqlQuery = { sql: 'ROLLBACK', args: [], argTypes: [] };

/** The client's keys that are model delegates (`child`, `outboxMessage`): what only Prisma's client runs. */
const MODEL_KEYS = new Set(Object.values(Prisma.ModelName).map((name) => name[0]!.toLowerCase() + name.slice(1)));

/** Set while Prisma starts a typed part: its startTransaction is handed this slot's transaction. */
const adoptingFor = new AsyncLocalStorage<TransactionSlot>();

export function openTransaction(slot: TransactionSlot): SqlQueryable {
  // Past its end the connection may be another's (PostgreSQL's pool): a late statement must not run there.
  if (slot.closed) throw new Error('A statement ran outside its transaction (it had timed out or ended).');
  return slot.transaction;
}

/** Runs `work` in one transaction on `adapter`; `client` is the Prisma client its typed statements go to. */
export async function runTransaction(
  adapter: SqlDriverAdapter,
  client: object,
  statements: RawStatements,
  work: Work,
  limits: TransactionLimits,
  prismaTransaction: PrismaTransaction,
): Promise<unknown> {
  const slot: TransactionSlot = { transaction: await started(adapter, limits.maxWait) };
  const typed = new TypedPart(slot, prismaTransaction, limits);
  let expired: Error | undefined;
  const timer = setTimeout(() => {
    expired = transactionError(`Transaction already closed: its timeout of ${limits.timeout} ms passed, and it was rolled back.`);
    // Nothing awaits the timer: a failed rollback still releases the connection (rolledBack), and is not worth stopping for.
    rolledBack(slot).catch(() => undefined);
  }, limits.timeout);
  try {
    let result: unknown;
    try {
      result = await work(unitClient(client, slot, statements, typed));
      await typed.end(true);
    } catch (error) {
      await typed.end(false);
      throw error;
    }
    if (expired) throw expired;
    await committed(slot);
    return result;
  } catch (error) {
    await rolledBack(slot);
    // A unit that outlived its timeout fails as expired, as with Prisma, whatever its late statements threw.
    throw expired ?? error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The adapter as Prisma's client holds it: while a typed part starts, its transaction is the unit
 * of work's, whose COMMIT and ROLLBACK are the unit's to send.
 */
export function adopting(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key === 'startTransaction') {
        return (...args: Parameters<SqlDriverAdapter['startTransaction']>) => {
          const slot = adoptingFor.getStore();
          return slot ? Promise.resolve(adopted(slot)) : target.startTransaction(...args);
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function adopted(slot: TransactionSlot): Transaction {
  const ends = (query: SqlQuery) => query.sql === COMMIT.sql || query.sql === ROLLBACK.sql;
  return new Proxy(slot.transaction, {
    get(target, key, receiver) {
      if (key === 'commit' || key === 'rollback') return () => Promise.resolve();
      if (key === 'executeRaw') return (query: SqlQuery) => (ends(query) ? Promise.resolve(0) : (openTransaction(slot) as Transaction).executeRaw(query));
      if (key === 'queryRaw') return (query: SqlQuery) => (openTransaction(slot) as Transaction).queryRaw(query);
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The client a unit of work is given: raw statements on the adapter transaction; a model's
 * methods and Prisma's other functions through the typed part, opened at their first call; plain
 * values (the sealing keyring) as the client has them.
 */
function unitClient(client: object, slot: TransactionSlot, statements: RawStatements, typed: TypedPart): object {
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === '$queryRaw') return async (first: unknown, ...values: unknown[]) => statements.query(openTransaction(slot), first, values);
      if (key === '$executeRaw') return async (first: unknown, ...values: unknown[]) => statements.execute(openTransaction(slot), first, values);
      if (key === 'then') return undefined;
      if (typeof key === 'string' && MODEL_KEYS.has(key)) return typedDelegate(typed, key);
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      // Only Prisma's own functions ($queryRawUnsafe…) are statements; util.inspect's hook and the like are not.
      if (typeof key !== 'string' || !key.startsWith('$')) return value.bind(target) as unknown;
      return (...args: unknown[]) => typed.client().then((tx) => (tx as Record<PropertyKey, (...a: unknown[]) => unknown>)[key]!(...args));
    },
  });
}

function typedDelegate(typed: TypedPart, model: string): object {
  return new Proxy(
    {},
    {
      get(_target, method) {
        if (method === 'then') return undefined;
        return (...args: unknown[]) => typed.client().then((tx) => (tx as Record<string, Record<PropertyKey, (...a: unknown[]) => unknown>>)[model]![method]!(...args));
      },
    },
  );
}

/** Prisma's interactive transaction over the unit's, opened at the first typed statement and ended with the unit. */
class TypedPart {
  private opened?: Promise<object>;
  private finished?: Promise<unknown>;
  private finish: (ok: boolean) => void = () => undefined;

  constructor(
    private readonly slot: TransactionSlot,
    private readonly prismaTransaction: PrismaTransaction,
    private readonly limits: TransactionLimits,
  ) {}

  async client(): Promise<object> {
    // A unit that has ended refuses a typed statement as it refuses a raw one.
    openTransaction(this.slot);
    return (this.opened ??= new Promise((resolve, reject) => {
      const outcome = new Promise<void>((commit, rollback) => {
        this.finish = (ok) => (ok ? commit() : rollback(new Error('the unit of work failed')));
      });
      // Prisma awaits it only once its transaction started; one that failed to start leaves it to no one.
      outcome.catch(() => undefined);
      this.finished = adoptingFor.run(this.slot, () =>
        this.prismaTransaction((tx) => {
          resolve(tx);
          return outcome;
        }, this.limits),
      );
      this.finished.catch(reject);
    }));
  }

  /** Lets Prisma's part finish; it sends nothing (adopted). A part that failed on its own fails the unit. */
  async end(ok: boolean): Promise<void> {
    if (!this.finished) return;
    this.finish(ok);
    if (ok) await this.finished;
    else await this.finished.catch(() => undefined);
  }
}

async function started(adapter: SqlDriverAdapter, maxWait: number): Promise<Transaction> {
  const starting = adapter.startTransaction();
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(transactionError(`Unable to start a transaction in the given time (${maxWait} ms).`)), maxWait);
  });
  try {
    return await Promise.race([starting, waited]);
  } catch (error) {
    // One that starts after all is given up at once, so it holds no lock and no connection.
    starting.then((late) => rolledBack({ transaction: late })).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function committed(slot: TransactionSlot): Promise<void> {
  slot.closed = true;
  try {
    await slot.transaction.executeRaw(COMMIT);
  } catch (error) {
    // SQLite may keep the transaction open after a failed COMMIT (busy, full): the next BEGIN would fail.
    await (slot.rollingBack = rollBack(slot.transaction));
    throw error;
  }
  await slot.transaction.commit();
}

/** Once: a timed-out unit is rolled back by its timer, and its work, settling later, waits for that. */
function rolledBack(slot: TransactionSlot): Promise<void> {
  if (slot.rollingBack) return slot.rollingBack;
  if (slot.closed) return Promise.resolve();
  slot.closed = true;
  return (slot.rollingBack = rollBack(slot.transaction));
}

async function rollBack(transaction: Transaction): Promise<void> {
  try {
    await transaction.executeRaw(ROLLBACK);
  } catch {
    // The work's own error is the one to report; the connection is released below either way.
  } finally {
    await transaction.rollback();
  }
}

function transactionError(message: string): Error {
  return new Prisma.PrismaClientKnownRequestError(message, { code: 'P2028', clientVersion: Prisma.prismaVersion.client });
}
