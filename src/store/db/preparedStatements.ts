import type BetterSqlite3 from 'better-sqlite3';

/**
 * Statements kept prepared per connection. Prisma's SQL differs by the length of IN lists, so the
 * distinct texts are bounded only by batch sizes: past this the least recently used is let go.
 */
const KEPT_STATEMENTS = 500;

type Statement = BetterSqlite3.Statement<unknown[]>;

/**
 * The part of better-sqlite3's Database the Prisma adapter uses: it prepares every statement
 * anew (`prepare(sql).bind(args)`, then `run`, or `columns` and `raw().all()`), a tenth of a
 * chat message's CPU (BENCHMARKS.md, chat path round three). This stand-in hands out statements
 * prepared once. better-sqlite3 binds permanently, so the arguments are kept beside the shared
 * statement and passed on each call instead; every use is synchronous, so no two interleave.
 */
export function keepingStatementsPrepared(database: BetterSqlite3.Database): BetterSqlite3.Database {
  const kept = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = kept.get(sql);
    if (statement) {
      kept.delete(sql);
    } else {
      statement = database.prepare(sql);
      if (kept.size >= KEPT_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, statement);
    return statement;
  };
  return new Proxy(database, {
    get(target, key, receiver) {
      if (key === 'prepare') return (sql: string) => boundOnUse(prepared(sql));
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function boundOnUse(statement: Statement) {
  let args: unknown[] = [];
  const use = {
    get reader() {
      return statement.reader;
    },
    bind(values: unknown[]) {
      args = values;
      return use;
    },
    run: () => statement.run(...args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(...args) }),
  };
  return use;
}
