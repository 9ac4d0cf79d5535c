import path from 'node:path';
import { z } from 'zod';

/** A configuration problem the operator must fix; main() prints its message alone and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEFAULT_SQLITE_FILE = './data/shouwang.db';

const databaseUrl = z
  .string()
  .trim()
  .optional()
  .transform((raw) => (raw ? raw : `file:${DEFAULT_SQLITE_FILE}`))
  .superRefine((url, ctx) => {
    if (url.startsWith('file:')) {
      if (url.length > 'file:'.length) return;
      ctx.addIssue({ code: 'custom', message: 'a SQLite URL needs a path, e.g. file:./data/shouwang.db' });
      return;
    }
    if (!/^postgres(ql)?:\/\//.test(url)) {
      ctx.addIssue({ code: 'custom', message: 'must start with file: (SQLite) or postgresql:// (PostgreSQL)' });
      return;
    }
    try {
      const parsed = new URL(url);
      if (!parsed.hostname) throw new Error('no host');
      if (parsed.pathname.length <= 1) {
        ctx.addIssue({ code: 'custom', message: 'names no database, e.g. postgresql://user@host:5432/shouwang' });
      }
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a valid URL, e.g. postgresql://user:password@host:5432/shouwang' });
    }
  });

const envSchema = z.object({
  DATABASE_URL: databaseUrl.describe('file:<path> for SQLite (default file:./data/shouwang.db) or postgresql://… for PostgreSQL'),
  SHOUWANG_DATA_KEY: z
    .string()
    .trim()
    .optional()
    .describe('32-byte key (64 hex characters or base64) that encrypts national ID numbers'),
  HOST: z.string().trim().min(1).default('0.0.0.0').describe('address the HTTP server listens on'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHOUWANG_TIMEZONE: z
    .string()
    .trim()
    .default('Asia/Shanghai')
    .refine((zone) => isKnownTimeZone(zone), { message: 'is not an IANA time zone such as Asia/Shanghai' }),
});

export type Env = z.input<typeof envSchema>;

export type DatabaseTarget =
  | { engine: 'sqlite'; url: string; file: string }
  | { engine: 'postgresql'; url: string };

export interface Config {
  database: DatabaseTarget;
  /** Raw key text from the environment; src/store/dataKey.ts turns it into a key or makes one. */
  dataKey: string | undefined;
  /** Folder for files the service keeps beside the database (generated key, attachments). */
  dataDir: string;
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  timeZone: string;
}

/** Validates the environment; throws ConfigError with one line naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(pickKnown(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const problem = issue.code === 'custom' ? issue.message : `is invalid (${issue.message})`;
    throw new ConfigError(`Configuration error: ${name} ${problem}.`);
  }
  const vars = parsed.data;
  const database = databaseTarget(vars.DATABASE_URL, cwd);
  return {
    database,
    dataKey: vars.SHOUWANG_DATA_KEY || undefined,
    dataDir: database.engine === 'sqlite' ? path.dirname(database.file) : path.resolve(cwd, 'data'),
    host: vars.HOST,
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    timeZone: vars.SHOUWANG_TIMEZONE,
  };
}

/** The variables the service reads, for the README and `--help`. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as Array<keyof typeof envSchema.shape>;

function databaseTarget(url: string, cwd: string): DatabaseTarget {
  if (url.startsWith('file:')) {
    return { engine: 'sqlite', url, file: path.resolve(cwd, url.slice('file:'.length)) };
  }
  return { engine: 'postgresql', url };
}

function pickKnown(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name] === '' ? undefined : env[name]]));
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
