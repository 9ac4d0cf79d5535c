import { ColumnTypeEnum, type ArgType, type ColumnType, type SqlDriverAdapter, type SqlDriverAdapterFactory, type SqlQuery, type SqlQueryable, type SqlResultSet } from '@prisma/driver-adapter-utils';
import { adopting, runTransaction, type TransactionLimits } from './adapterTransaction';
import { Prisma } from '../generated/sqlite/client';
import type { Engine } from './providers';

/**
 * Raw statements (`$queryRaw` and `$executeRaw` with a template) handed to the driver adapter
 * directly, inside a transaction on that transaction's connection. Through Prisma's client each
 * one is serialized to JSON and back, planned, run by its query interpreter and deserialized: a
 * third of an inbound message's CPU once every statement on the chat path was raw (BENCHMARKS.md,
 * "Raw statements on the adapter"). The adapter still binds the arguments and types the columns,
 * and the conversions below are the client's own, so callers get the same values
 * (tests/integration/directRaw.test.ts compares the two paths on every column type). Interactive
 * transactions are opened on the adapter too (adapterTransaction.ts).
 */
export class DirectRaw {
  private adapter: SqlDriverAdapter | undefined;
  /** Prisma connects on its first query: a raw statement or transaction that comes first has it connect. */
  private connect: () => Promise<unknown> = () => Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly limits: TransactionLimits,
  ) {}

  /** The factory to give Prisma: it remembers the adapter, and lets Prisma's transactions adopt this one's (adapterTransaction.ts). */
  factory(inner: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
    const direct = this;
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      async connect() {
        const adapter = await inner.connect();
        direct.adapter = adapter;
        return adopting(adapter);
      },
    } as SqlDriverAdapterFactory;
  }

  /** The client whose raw statements, and whose transactions, go to the adapter. */
  client<T extends object>(db: T): T {
    const direct = this;
    this.connect = () => (db as { $connect(): Promise<void> }).$connect();
    return new Proxy(db, {
      get(target, key, receiver) {
        if (key === '$queryRaw') return async (first: RawInput, ...values: unknown[]) => direct.query(await direct.connected(), first, values);
        if (key === '$executeRaw') return async (first: RawInput, ...values: unknown[]) => direct.execute(await direct.connected(), first, values);
        if (key === '$transaction') {
          const transaction = Reflect.get(target, key, receiver) as (...args: unknown[]) => Promise<unknown>;
          return async (work: unknown, options?: Partial<TransactionLimits>) => {
            // A batch (an array of typed statements) is Prisma's alone.
            if (typeof work !== 'function') return transaction.call(target, work, options);
            const limits = { maxWait: options?.maxWait ?? direct.limits.maxWait, timeout: options?.timeout ?? direct.limits.timeout };
            return runTransaction(await direct.connected(), target, direct, work as (tx: object) => Promise<unknown>, limits, (typedWork, typedOptions) => transaction.call(target, typedWork, typedOptions));
          };
        }
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private async connected(): Promise<SqlDriverAdapter> {
    if (!this.adapter) await this.connect();
    if (!this.adapter) throw new Error('The database adapter did not connect.');
    return this.adapter;
  }

  async query(on: SqlQueryable, first: RawInput, values: unknown[]): Promise<unknown[]> {
    return rowsOf(await on.queryRaw(this.statement(first, values)));
  }

  async execute(on: SqlQueryable, first: RawInput, values: unknown[]): Promise<number> {
    return on.executeRaw(this.statement(first, values));
  }

  /** Placeholders as Prisma writes them per provider: `?` for SQLite, `$1` for PostgreSQL. */
  private statement(first: RawInput, values: unknown[]): SqlQuery {
    const sql = first instanceof Prisma.Sql ? first : new Prisma.Sql(first, values);
    const args = new Array<unknown>(sql.values.length);
    const argTypes = new Array<ArgType>(sql.values.length);
    sql.values.forEach((value, index) => bindArgument(value, args, argTypes, index));
    // Joined at once: Prisma's `sql` getter adds one placeholder at a time, and a batch insert has thousands.
    return { sql: this.engine === 'sqlite' ? sql.strings.join('?') : sql.text, args, argTypes };
  }
}

type RawInput = TemplateStringsArray | Prisma.Sql;

/** One type object per kind, shared by every argument: the adapters only read them, and a batch insert binds thousands. */
const ARG_TYPES = {
  string: { scalarType: 'string', arity: 'scalar' },
  decimal: { scalarType: 'decimal', arity: 'scalar' },
  bigint: { scalarType: 'bigint', arity: 'scalar' },
  datetime: { scalarType: 'datetime', arity: 'scalar' },
  bytes: { scalarType: 'bytes', arity: 'scalar' },
  unknown: { scalarType: 'unknown', arity: 'scalar' },
} as const satisfies Record<string, ArgType>;

/**
 * A parameter and its type, put at `index`, as Prisma's client passes them on (its
 * serializeRawParameters, then the interpreter's typing); a list takes its first item's type.
 */
function bindArgument(value: unknown, args: unknown[], argTypes: ArgType[], index: number): void {
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    const itemTypes = new Array<ArgType>(value.length);
    value.forEach((item, at) => bindArgument(item, items, itemTypes, at));
    args[index] = items;
    argTypes[index] = { scalarType: itemTypes[0]?.scalarType ?? 'unknown', arity: 'list' };
    return;
  }
  const [arg, type] = scalarArgument(value);
  args[index] = arg;
  argTypes[index] = ARG_TYPES[type];
}

function scalarArgument(value: unknown): [unknown, keyof typeof ARG_TYPES] {
  if (typeof value === 'string') return [value, 'string'];
  if (typeof value === 'number') return [value, 'decimal'];
  if (typeof value === 'bigint') return [value.toString(), 'bigint'];
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('Provided Date object is invalid');
    return [value.toJSON(), 'datetime'];
  }
  if (Prisma.Decimal.isDecimal(value)) return [(value as Prisma.Decimal).toJSON(), 'decimal'];
  if (value instanceof Uint8Array) return [Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'), 'bytes'];
  if (value === undefined) return [null, 'unknown'];
  if (typeof value === 'object' && value !== null) return [JSON.stringify(value), 'unknown'];
  return [value, 'unknown'];
}

/** Rows as Prisma's client returns them: the interpreter's serialization and the client's deserialization in one step. */
function rowsOf(result: SqlResultSet): unknown[] {
  const { columnNames, columnTypes, rows } = result;
  const out: Array<Record<string, unknown>> = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const record: Record<string, unknown> = {};
    for (let c = 0; c < columnNames.length; c++) record[columnNames[c]!] = valueOf(row[c], columnTypes[c]!);
    out[r] = record;
  }
  return out;
}

function valueOf(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case ColumnTypeEnum.Int32:
      return Math.trunc(Number(value));
    case ColumnTypeEnum.Int64:
      return typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(value as string);
    case ColumnTypeEnum.Json:
      return JSON.parse(value as string);
    case ColumnTypeEnum.Boolean:
      return typeof value === 'boolean' ? value : typeof value === 'string' ? value === 'true' || value === '1' : value === 1;
    case ColumnTypeEnum.DateTime:
    case ColumnTypeEnum.Date:
      return new Date(value as string);
    case ColumnTypeEnum.Time:
      return new Date(`1970-01-01T${value as string}Z`);
    case ColumnTypeEnum.Numeric:
      return new Prisma.Decimal(value as string);
    case ColumnTypeEnum.Bytes:
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    default:
      return value;
  }
}
