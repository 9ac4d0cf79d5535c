import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { DatabaseTarget } from '../../../config';
import { describeConnectionFailure } from '../connectionFailure';
import type { Db } from '../database';
import { PROVIDER_FILES, type Engine } from '../providers';
import { migrationNames, readMigrationList } from './migrationsFolder';
import { NO_FILTERS, withSchemaEngine } from './schemaEngine';

/** A migration problem the operator must fix: printed as one sentence, the database left as it was. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationState {
  /** Migrations recorded as finished in the database. */
  applied: string[];
  /** Migrations of this code not yet applied. */
  pending: string[];
  /** Migrations the database has that this code does not know: the database is newer. */
  unknown: string[];
}

/** Applies every pending migration; refuses, changing nothing, when the database is newer than the code. */
export async function migrateDatabase(target: DatabaseTarget): Promise<string[]> {
  const state = await readMigrationState(target);
  if (state.unknown.length > 0) {
    throw new MigrationError(
      `The database has migration ${state.unknown.at(-1)}, which this version of Shouwang does not know: run the newer Shouwang that made it, or point DATABASE_URL at a matching database.`,
    );
  }
  if (state.pending.length === 0) return [];
  const files = PROVIDER_FILES[target.engine];
  if (target.engine === 'sqlite') mkdirSync(path.dirname(target.file), { recursive: true });
  const database = target.engine === 'sqlite' ? { engine: 'sqlite' as const, file: target.file } : { engine: 'postgresql' as const, url: target.url };
  const schema = { path: files.schemaFile, content: readFileSync(files.schemaFile, 'utf8') };
  const result = await withSchemaEngine(database, schema, (engine) =>
    engine.applyMigrations({ migrationsList: readMigrationList(files.migrationsDir), filters: NO_FILTERS }),
  ).catch((error: unknown) => {
    throw new MigrationError(`Applying migrations failed: ${(error as Error).message}`);
  });
  return result.appliedMigrationNames;
}

/** Compares the database's migration table with this code's migrations folder. */
export async function readMigrationState(target: DatabaseTarget): Promise<MigrationState> {
  const known = migrationNames(PROVIDER_FILES[target.engine].migrationsDir);
  const applied = target.engine === 'sqlite' ? appliedOnSqlite(target.file) : await appliedOnPostgres(target.url);
  return {
    applied,
    pending: known.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !known.includes(name)),
  };
}

const APPLIED_SQL =
  'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name';

function appliedOnSqlite(file: string): string[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return [];
    return (db.prepare(APPLIED_SQL).all() as Array<{ migration_name: string }>).map((row) => row.migration_name);
  } finally {
    db.close();
  }
}

async function appliedOnPostgres(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError(describeConnectionFailure(url, error));
  }
  try {
    const table = await client.query<{ exists: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS exists");
    if (!table.rows[0]?.exists) return [];
    return (await client.query<{ migration_name: string }>(APPLIED_SQL)).rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

/** The same comparison through an open Prisma client, for /healthz. */
export async function readMigrationStateWith(db: Db, engine: Engine): Promise<MigrationState> {
  const known = migrationNames(PROVIDER_FILES[engine].migrationsDir);
  const rows = await db.$queryRawUnsafe<Array<{ migration_name: string }>>(APPLIED_SQL);
  const applied = rows.map((row) => row.migration_name);
  return {
    applied,
    pending: known.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !known.includes(name)),
  };
}
