import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  mockMigrationAwareAdapterFactory,
  type SqlDriverAdapter,
  type SqlQuery,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm' with { 'resolution-mode': 'import' };
import { Client } from 'pg';
import type { Engine } from '../providers';
import { CharAsTextPool } from './charAsTextPool';

/**
 * Prisma's schema engine compiled to WebAssembly, driven through our own driver adapters.
 * This is how Shouwang creates and applies migrations with no schema-engine binary, so it
 * works offline, behind firewalls and on government intranets.
 */
export type EngineDatabase =
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgresql'; url: string }
  /** No database: enough for schema-to-schema diffs. */
  | { engine: Engine; offline: true };

type WasmModule = typeof import('@prisma/schema-engine-wasm', { with: { 'resolution-mode': 'import' } });

let wasmModule: Promise<WasmModule> | undefined;

/** Instantiates the engine's wasm by hand so it loads from CommonJS on Node 20 without flags. */
function loadWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const glueFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import(glueFile)) as WasmModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = await readFile(path.join(path.dirname(glueFile), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return wasmModule;
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Runs `work` with a schema engine connected to `database`, then releases every connection it opened. */
export async function withSchemaEngine<T>(
  database: EngineDatabase,
  schema: { path: string; content: string },
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const wasm = await loadWasm();
  const adapters = trackedAdapterFactory(database);
  const logs: string[] = [];
  const engine = await wasm.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(adapters.factory),
  );
  try {
    return await work(engine);
  } catch (error) {
    throw engineError(error);
  } finally {
    engine.free();
    await adapters.release();
  }
}

/** The engine reports errors as objects or JSON text; turn them into Errors with a readable message. */
function engineError(error: unknown): Error {
  if (error instanceof Error) return error;
  const text = typeof error === 'string' ? error : JSON.stringify(error);
  try {
    const parsed = JSON.parse(text) as { message?: string; error?: string };
    return new Error(parsed.message ?? parsed.error ?? text);
  } catch {
    return new Error(text);
  }
}

interface TrackedFactory {
  factory: SqlMigrationAwareDriverAdapterFactory;
  release(): Promise<void>;
}

function trackedAdapterFactory(database: EngineDatabase): TrackedFactory {
  if ('offline' in database) return { factory: offlineAdapterFactory(database.engine), release: async () => {} };
  const opened: SqlDriverAdapter[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const track = async (adapter: Promise<SqlDriverAdapter>) => {
    const connected = await adapter;
    opened.push(connected);
    return connected;
  };
  const release = async () => {
    for (const adapter of opened.splice(0)) await adapter.dispose().catch(() => undefined);
    for (const cleanup of cleanups.splice(0)) await cleanup();
  };

  if (database.engine === 'sqlite') {
    // `db check` and `db migrate` on a fresh machine come before the service made the data folder.
    mkdirSync(path.dirname(database.file), { recursive: true });
    const main = new PrismaBetterSqlite3({ url: `file:${database.file}` });
    return {
      factory: {
        provider: main.provider,
        adapterName: main.adapterName,
        connect: () => track(main.connect()),
        connectToShadowDb: async () => acceptingScripts(await track(main.connectToShadowDb())),
      },
      release,
    };
  }

  // The pg adapter's own shadow database handling drops the database before closing its
  // pool (the drop fails), so Shouwang creates and drops the shadow database itself. The
  // adapter leaves pools it was given open, so they are ended here before the drop.
  const pools: CharAsTextPool[] = [];
  const pool = (url: string) => {
    const created = new CharAsTextPool({ connectionString: url });
    pools.push(created);
    return created;
  };
  const main = new PrismaPg(pool(database.url));
  cleanups.unshift(async () => {
    for (const opened of pools.splice(0)) await opened.end().catch(() => undefined);
  });
  return {
    factory: {
      provider: main.provider,
      adapterName: main.adapterName,
      connect: () => track(main.connect()),
      connectToShadowDb: async () => {
        const shadow = await createShadowDatabase(database.url);
        cleanups.push(shadow.drop);
        return track(new PrismaPg(pool(shadow.url)).connect());
      },
    },
    release,
  };
}

/**
 * The engine replays each migration file on the SQLite shadow database as one executeRaw,
 * which better-sqlite3 refuses for more than one statement; a parameterless call is a
 * script, so run it as one.
 */
function acceptingScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, key, receiver) {
      if (key !== 'executeRaw') return Reflect.get(target, key, receiver);
      return async (query: SqlQuery) => {
        if (query.args.length > 0) return target.executeRaw(query);
        await target.executeScript(query.sql);
        return 0;
      };
    },
  });
}

/**
 * For schema-to-schema diffs no database is touched, but the engine still connects once:
 * on PostgreSQL it asks the server's version, so the stand-in answers that one question.
 */
function offlineAdapterFactory(engine: Engine): SqlMigrationAwareDriverAdapterFactory {
  if (engine === 'sqlite') return mockMigrationAwareAdapterFactory('sqlite');
  const base = mockMigrationAwareAdapterFactory('postgres');
  const standIn = async (): Promise<SqlDriverAdapter> => {
    const adapter = await base.connect();
    return {
      ...adapter,
      queryRaw: async (query) => {
        if (!query.sql.includes('server_version_num')) return adapter.queryRaw(query);
        return {
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, 'PostgreSQL 15.0 (offline)', 150000]],
        };
      },
      dispose: async () => {},
    };
  };
  return { ...base, connect: standIn, connectToShadowDb: standIn };
}

async function createShadowDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `shouwang_shadow_${process.pid}_${Date.now().toString(36)}`;
  await onMaintenanceConnection(url, (client) => client.query(`CREATE DATABASE "${name}"`));
  const shadowUrl = new URL(url);
  shadowUrl.pathname = `/${name}`;
  shadowUrl.searchParams.delete('schema');
  return {
    url: shadowUrl.toString(),
    drop: () => onMaintenanceConnection(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function onMaintenanceConnection<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

