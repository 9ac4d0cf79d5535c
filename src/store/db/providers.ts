import { existsSync } from 'node:fs';
import path from 'node:path';

export type Engine = 'sqlite' | 'postgresql';

export const ENGINES: readonly Engine[] = ['sqlite', 'postgresql'];

/**
 * The project root: the nearest folder above this module holding prisma/schema.prisma, so the
 * module finds it from any depth (src/store/…, a grouped folder below it, or the compiled
 * dist/server/main.js); two folders up if none does.
 */
function projectRoot(from: string): string {
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
  return path.resolve(from, '../..');
}

const PROJECT_ROOT = projectRoot(__dirname);
const PRISMA_DIR = path.join(PROJECT_ROOT, 'prisma');

/** Where each engine's schema and migrations live: SQLite's are the source, PostgreSQL's are derived. */
export interface ProviderFiles {
  engine: Engine;
  schemaFile: string;
  migrationsDir: string;
}

export const PROVIDER_FILES: Record<Engine, ProviderFiles> = {
  sqlite: {
    engine: 'sqlite',
    schemaFile: path.join(PRISMA_DIR, 'schema.prisma'),
    migrationsDir: path.join(PRISMA_DIR, 'migrations'),
  },
  postgresql: {
    engine: 'postgresql',
    schemaFile: path.join(PRISMA_DIR, 'postgresql', 'schema.prisma'),
    migrationsDir: path.join(PRISMA_DIR, 'postgresql', 'migrations'),
  },
};

const DERIVED_HEADER =
  '// GENERATED from prisma/schema.prisma by `npm run cli -- db derive`: edit the models there, not here.\n';

/**
 * The PostgreSQL schema is the SQLite one with another datasource provider and client
 * output: Prisma bakes the provider into a schema, so one source of models needs two files.
 */
export function derivePostgresSchema(sqliteSchema: string): string {
  const withProvider = replaceOnce(sqliteSchema, /provider\s*=\s*"sqlite"/, 'provider = "postgresql"');
  const withOutput = replaceOnce(
    withProvider,
    /output(\s*)=\s*"\.\.\/src\/store\/generated\/sqlite"/,
    'output$1= "../../src/store/generated/postgresql"',
  );
  const body = withOutput.replace(/^\/\/ The one source[\s\S]*?\n\n/, '');
  return DERIVED_HEADER + body;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`prisma/schema.prisma no longer contains ${pattern}; update derivePostgresSchema.`);
  return text.replace(pattern, replacement);
}
