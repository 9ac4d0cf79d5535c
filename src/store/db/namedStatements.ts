import type { SqlQuery } from '@prisma/driver-adapter-utils';

/** The most texts named per process: the chat path, jobs and API together use fewer; the rest run unnamed. */
const NAMED_AT_MOST = 200;

/** Longer texts are batch writes whose text changes with the batch size: naming them buys nothing. */
const LONGEST_NAMED = 8 * 1024;

const UNNAMED = '';

/** Texts seen once, kept to recognise a second run; past this the count starts over. */
const SEEN_ONCE_AT_MOST = 2000;

/**
 * A name for each statement text that runs more than once, for node-postgres to prepare it once per
 * connection. An unnamed statement is parsed, analysed and planned on every run: on a keyword message
 * that was a third of PostgreSQL's CPU, and the server's CPU sets the chat path's throughput
 * (BENCHMARKS.md, "Statements parsed once"). A text's first run goes unnamed (the empty name is the
 * protocol's unnamed statement), so one-off texts (an IN list's length, an import batch) never fill
 * the server's memory. A kept plan is made without the parameters' values, so a paged read must have an
 * index that serves it for every value: the child ledger's page read walked the whole city by id until
 * Child got its (areaId, id) index (BENCHMARKS.md, 2026-12-03 afternoon).
 */
export function namingRepeatedStatements(): (query: SqlQuery) => string {
  const names = new Map<string, string>();
  let seenOnce = new Set<string>();
  return ({ sql }) => {
    const name = names.get(sql);
    if (name !== undefined) return name;
    if (sql.length > LONGEST_NAMED || names.size >= NAMED_AT_MOST) return UNNAMED;
    if (!seenOnce.has(sql)) {
      if (seenOnce.size >= SEEN_ONCE_AT_MOST) seenOnce = new Set();
      seenOnce.add(sql);
      return UNNAMED;
    }
    seenOnce.delete(sql);
    const named = `sw${names.size}`;
    names.set(sql, named);
    return named;
  };
}

/**
 * Whether the URL names a pooler that keeps no prepared statements across transactions (PgBouncer in
 * transaction mode), as Prisma's `pgbouncer=true` says: there a named statement may land on a
 * connection that never saw it, so nothing is named.
 */
export function behindStatementlessPooler(url: string): boolean {
  try {
    return new URL(url).searchParams.get('pgbouncer') === 'true';
  } catch {
    return false;
  }
}
