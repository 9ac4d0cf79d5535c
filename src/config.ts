import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DEADLINE_HOURS, parseCaseDeadlines, type CaseDeadlineHours } from './domain/caseDeadlines';
import { ConfigError } from './configError';
import { parseQuietHours, type QuietHours } from './domain/quietHours';

/** The largest attachment kept unless SHOUWANG_ATTACHMENT_MAX_BYTES says otherwise. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Variables that override a job's schedule; the job registry validates them (src/jobs/jobRegistry.ts). */
const SCHEDULE_PREFIX = 'SHOUWANG_SCHEDULE_';

const DEFAULT_SQLITE_FILE = './data/shouwang.db';
const DEFAULT_QUIET_HOURS = '21:30-08:00';

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
  CHANNEL_TOKEN: z
    .string()
    .trim()
    .min(16, { message: 'must be at least 16 characters (e.g. `openssl rand -hex 24`)' })
    .optional()
    .describe('Bearer token of the HTTP channel; setting it enables the channel'),
  WECHATY_PUPPET: z.string().trim().min(1).optional().describe('Wechaty puppet package, e.g. wechaty-puppet-wechat4u; enables WeChat'),
  WECHATY_PUPPET_TOKEN: z.string().trim().min(1).optional().describe('token for service puppets, shared by accounts that name none'),
  WECHATY_ACCOUNTS: z
    .string()
    .trim()
    .default('default')
    .transform((list, ctx) => parseAccounts(list, ctx))
    .describe('bot accounts, comma-separated names, each optionally name=puppet-token'),
  SHOUWANG_SEND_INTERVAL_MS: z.coerce.number().int().min(0).default(4000).describe('least time between two sends of one WeChat account'),
  SHOUWANG_SEND_JITTER_MS: z.coerce.number().int().min(0).default(3000).describe('random extra wait added to the interval'),
  SHOUWANG_SEND_DAILY_CAP: z.coerce.number().int().min(1).default(400).describe('most messages one WeChat account sends per day'),
  SHOUWANG_SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(6).describe('attempts before a message is dead-lettered'),
  SHOUWANG_SEND_RETRY_BASE_MS: z.coerce.number().int().min(0).default(30000).describe('first retry delay; doubles per attempt'),
  SHOUWANG_INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(7).describe('days an invite code stays valid'),
  SHOUWANG_QUIET_HOURS: z
    .string()
    .default(DEFAULT_QUIET_HOURS)
    .transform((text, ctx) => {
      try {
        return parseQuietHours(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe('local times HH:MM-HH:MM in which no prompt is sent (default 21:30-08:00); empty disables'),
  SHOUWANG_CASE_DEADLINES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return DEFAULT_DEADLINE_HOURS;
      try {
        return parseCaseDeadlines(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe('time to verify and then to refer a case, per severity, e.g. urgent=2h/24h,high=24h/3d,normal=3d/7d'),
  SHOUWANG_ATTACHMENT_DIR: z.string().trim().min(1).optional().describe('folder of photos and voice notes sent with reports (default <data folder>/attachments)'),
  SHOUWANG_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ATTACHMENT_MAX_BYTES)
    .describe('largest attachment kept, in bytes (default 10 MB)'),
  SHOUWANG_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((flag) => flag === 'true')
    .describe('true when a reverse proxy (nginx …) sets X-Forwarded-For: client addresses, and so failed-login limits, come from it'),
  SHOUWANG_JOB_STALE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('minutes after which a job run still marked running is taken to have crashed and may be taken over'),
});

const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,40}$/;

function parseAccounts(list: string, ctx: z.RefinementCtx): Array<{ name: string; token?: string }> {
  const accounts = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, token] = entry.split('=', 2) as [string, string | undefined];
      return token ? { name: name.trim(), token: token.trim() } : { name: name.trim() };
    });
  const names = accounts.map((account) => account.name);
  if (accounts.length === 0 || names.some((name) => !ACCOUNT_NAME.test(name))) {
    ctx.addIssue({ code: 'custom', message: 'must be comma-separated account names of letters, digits, - and _, e.g. village-a,village-b' });
  } else if (new Set(names).size !== names.length) {
    ctx.addIssue({ code: 'custom', message: 'names an account twice' });
  }
  return accounts;
}

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
  /** The HTTP channel's bearer token; the channel runs only when it is set. */
  channelToken: string | undefined;
  /** WeChat through Wechaty; runs only when a puppet is set. */
  wechaty: { puppet: string; accounts: Array<{ name: string; token?: string }> } | undefined;
  sending: {
    intervalMs: number;
    jitterMs: number;
    dailyCap: number;
    maxAttempts: number;
    retryBaseMs: number;
  };
  inviteTtlDays: number;
  /**
   * The SHOUWANG_SCHEDULE_<NAME> variables as given: configuration is a leaf that knows no jobs, so
   * the job registry turns them into a cron expression per job (jobSchedules) and rejects a typo.
   */
  scheduleOverrides: Record<string, string | undefined>;
  /** Local window in which non-urgent prompts wait; undefined when disabled. */
  quietHours: QuietHours | undefined;
  /** A job run 'running' for longer than this is taken to have crashed. */
  jobStaleMs: number;
  /** Client addresses come from X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
  /** Hours to verify and then to refer a case, per severity. */
  caseDeadlines: CaseDeadlineHours;
  /** Photos and voice notes sent while filing a report: where they are saved and the largest kept. */
  attachments: { dir: string; maxBytes: number };
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
  const dataDir = database.engine === 'sqlite' ? path.dirname(database.file) : path.resolve(cwd, 'data');
  return {
    database,
    dataKey: vars.SHOUWANG_DATA_KEY || undefined,
    dataDir,
    host: vars.HOST,
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    timeZone: vars.SHOUWANG_TIMEZONE,
    channelToken: vars.CHANNEL_TOKEN,
    wechaty: vars.WECHATY_PUPPET
      ? {
          puppet: vars.WECHATY_PUPPET,
          accounts: vars.WECHATY_ACCOUNTS.map((account) => ({ ...account, token: account.token ?? vars.WECHATY_PUPPET_TOKEN })),
        }
      : undefined,
    sending: {
      intervalMs: vars.SHOUWANG_SEND_INTERVAL_MS,
      jitterMs: vars.SHOUWANG_SEND_JITTER_MS,
      dailyCap: vars.SHOUWANG_SEND_DAILY_CAP,
      maxAttempts: vars.SHOUWANG_SEND_MAX_ATTEMPTS,
      retryBaseMs: vars.SHOUWANG_SEND_RETRY_BASE_MS,
    },
    inviteTtlDays: vars.SHOUWANG_INVITE_TTL_DAYS,
    scheduleOverrides: Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith(SCHEDULE_PREFIX))),
    // An empty SHOUWANG_QUIET_HOURS disables quiet hours (pickKnown reads empty as unset, i.e. the default).
    quietHours: env.SHOUWANG_QUIET_HOURS?.trim() === '' ? undefined : vars.SHOUWANG_QUIET_HOURS,
    jobStaleMs: vars.SHOUWANG_JOB_STALE_MINUTES * 60_000,
    trustProxy: vars.SHOUWANG_TRUST_PROXY,
    caseDeadlines: vars.SHOUWANG_CASE_DEADLINES,
    attachments: {
      dir: vars.SHOUWANG_ATTACHMENT_DIR ? path.resolve(cwd, vars.SHOUWANG_ATTACHMENT_DIR) : path.join(dataDir, 'attachments'),
      maxBytes: vars.SHOUWANG_ATTACHMENT_MAX_BYTES,
    },
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
