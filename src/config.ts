import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DEADLINE_HOURS, parseCaseDeadlines, type CaseDeadlineHours } from './domain/caseDeadlines';
import { ConfigError } from './configError';
import { parseQuietHours, type QuietHours } from './domain/quietHours';
import { DEFAULT_REFERRAL_DEADLINES, parseReferralDeadlines, type ReferralDeadlineHours } from './domain/referrals';
import { readFileSync } from 'node:fs';
import { MESSAGE_KINDS } from './domain/messageKinds';

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
  SHOUWANG_TEXT_KEYS: z
    .string()
    .trim()
    .optional()
    .describe('keys that seal sensitive texts, comma-separated, the current one first (default: the key file, else derived from the data key)'),
  SHOUWANG_BACKUP_RETENTION_DAYS: z.coerce.number().int().min(0).default(90).describe('how long backups are kept: a text key unused for this long can be retired'),
  SHOUWANG_RETENTION_CHILD_YEARS: z.coerce.number().int().min(0).max(100).default(3).describe('years after a child turns 18 or leaves the area before their record is anonymised'),
  SHOUWANG_RETENTION_MESSAGE_DAYS: z.coerce.number().int().min(1).max(3650).default(30).describe('days a handled inbound or sent outbound message keeps its text'),
  SHOUWANG_RETENTION_CASE_DAYS: z.coerce.number().int().min(0).max(36500).default(365).describe('days after a case is closed or dismissed before it is archived (out of the case lists)'),
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
  SHOUWANG_REFERRAL_DEADLINES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return DEFAULT_REFERRAL_DEADLINES;
      try {
        return parseReferralDeadlines(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe('time a department has to answer a referral, e.g. default=7d,education=5d,police_mandatory=3d'),
  SHOUWANG_ATTACHMENT_DIR: z.string().trim().min(1).optional().describe('folder of photos and voice notes sent with reports (default <data folder>/attachments)'),
  SHOUWANG_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ATTACHMENT_MAX_BYTES)
    .describe('largest attachment kept, in bytes (default 10 MB)'),
  SHOUWANG_SPOOL_DIR: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe('folder of the inbound spool kept while the database is away (default <data folder>/spool); one per instance'),
  SHOUWANG_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((flag) => flag === 'true')
    .describe('true when a reverse proxy (nginx …) sets X-Forwarded-For: client addresses, and so failed-login limits, come from it'),
  SHOUWANG_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000).describe('time a client has to send the request headers'),
  SHOUWANG_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000).describe('time a client has to send the whole request, body included'),
  SHOUWANG_MAX_CONNECTIONS_PER_ADDRESS: z.coerce
    .number()
    .int()
    .min(1)
    .default(256)
    .describe('open connections per client address (not applied with SHOUWANG_TRUST_PROXY: the proxy limits them)'),
  SHOUWANG_MAX_REQUESTS_PER_ADDRESS: z.coerce.number().int().min(1).default(64).describe('requests handled at once per client address; more get 429'),
  SHOUWANG_API_RATE_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe('admin API and login requests per minute per token or session, and per client address; more get 429 with Retry-After'),
  SHOUWANG_CALLBACK_RATE_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('pushes one sender (a 服务号 follower, a WeCom member) may cause a minute; more are acknowledged to WeChat but not handled'),
  SHOUWANG_CALLBACK_ACCOUNT_RATE_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(3000)
    .describe('pushes one 服务号 or WeCom account may receive a minute from all its senders together; more are acknowledged but not handled'),
  SHOUWANG_AUDIT_SEAL_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(3000)
    .describe('how often new audit-log rows are sealed into the hash chain (by one instance at a time)'),
  SHOUWANG_STOP_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe('on SIGTERM, how long requests, sends and job runs in progress may take to finish'),
  SHOUWANG_OFFICIAL_CHANNELS: z.string().trim().optional().describe('the 服务号 and WeCom accounts as JSON (see "Connecting a 服务号 / 企业微信"); or:'),
  SHOUWANG_OFFICIAL_CHANNELS_FILE: z.string().trim().min(1).optional().describe('path of a JSON file with the 服务号 and WeCom accounts'),
  SHOUWANG_JOB_STALE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('minutes after which a job run still marked running is taken to have crashed and may be taken over'),
  SHOUWANG_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30)
    .describe('minutes without a request after which a console login ends'),
});

const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,40}$/;

const encodingAesKey = z.string().regex(/^[A-Za-z0-9]{43}$/, { message: 'must be the 43-character EncodingAESKey from the admin console' });
const callbackToken = z.string().regex(/^[A-Za-z0-9]{3,32}$/, { message: 'must be the 3–32 letters and digits entered as Token in the admin console' });

/**
 * The message a key is sent as outside the 48-hour window: a template message (模板消息), or a
 * subscription notice (订阅通知) the follower accepted; its id, and which of the kind's fields fill its keywords.
 */
const templateSchema = z.strictObject({
  type: z.enum(['template', 'subscribe']).default('template'),
  id: z.string().trim().min(1),
  /** template keyword (e.g. thing1) → the kind's field (e.g. child); default: the kind's fields by their own names. */
  fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/), z.string()).optional(),
  /** Where tapping the message leads, if anywhere. */
  url: z.url().optional(),
});

const wechatMpAccountSchema = z.strictObject({
  name: z.string().regex(ACCOUNT_NAME, { message: 'must be letters, digits, - and _' }),
  appId: z.string().regex(/^wx[0-9A-Za-z]{16}$/, { message: 'must be the AppID, wx followed by 16 characters' }),
  appSecret: z.string().trim().min(1),
  token: callbackToken,
  /** Absent: plaintext mode (明文模式). */
  encodingAesKey: encodingAesKey.optional(),
  /** The key before the last change, accepted until WeChat uses the new one everywhere. */
  previousEncodingAesKey: encodingAesKey.optional(),
  apiBase: z.url().default('https://api.weixin.qq.com'),
  templates: z.record(z.string(), templateSchema).default({}),
});

const wecomAccountSchema = z.strictObject({
  name: z.string().regex(ACCOUNT_NAME, { message: 'must be letters, digits, - and _' }),
  corpId: z.string().trim().min(1),
  agentId: z.number().int().positive(),
  secret: z.string().trim().min(1),
  token: callbackToken,
  encodingAesKey,
  previousEncodingAesKey: encodingAesKey.optional(),
  /** 政务微信 deployments have their own host. */
  apiBase: z.url().default('https://qyapi.weixin.qq.com'),
  /** Case links in alert cards: <caseLinkBase>/<case number>. */
  caseLinkBase: z.url().optional(),
  /** Group-robot webhook URL per area code, for urgent alerts to township and district staff groups. */
  robots: z.record(z.string().regex(/^\d{6,12}$/, { message: 'robots are keyed by area code' }), z.url()).default({}),
  /** Messages (人次) the application may send a day: WeCom allows 200 × the account's member limit (200 members: 40,000). */
  dailyQuota: z.number().int().positive().default(40_000),
});

const officialChannelsSchema = z
  .strictObject({ wechatMp: z.array(wechatMpAccountSchema).default([]), wecom: z.array(wecomAccountSchema).default([]) })
  .superRefine((channels, ctx) => {
    for (const [index, account] of channels.wechatMp.entries()) {
      for (const [key, template] of Object.entries(account.templates)) {
        const fields = MESSAGE_KINDS.get(key);
        if (!fields) {
          ctx.addIssue({ code: 'custom', path: ['wechatMp', index, 'templates', key], message: `names no message kind (known: ${[...MESSAGE_KINDS.keys()].join(', ')})` });
          continue;
        }
        for (const field of Object.values(template.fields ?? {})) {
          if (!fields.includes(field)) ctx.addIssue({ code: 'custom', path: ['wechatMp', index, 'templates', key, 'fields'], message: `${key} has no field ${field} (it has ${fields.join(', ')})` });
        }
      }
    }
    for (const list of [channels.wechatMp, channels.wecom]) {
      const names = list.map((account) => account.name);
      if (new Set(names).size !== names.length) ctx.addIssue({ code: 'custom', message: 'names an account twice' });
    }
  });

export type WechatMpAccount = z.infer<typeof wechatMpAccountSchema>;
export type WecomAccount = z.infer<typeof wecomAccountSchema>;
export type OfficialChannels = z.infer<typeof officialChannelsSchema>;

/**
 * The 服务号 and WeCom accounts, from the JSON in SHOUWANG_OFFICIAL_CHANNELS or the file
 * SHOUWANG_OFFICIAL_CHANNELS_FILE names. Errors name the field, never a value: these hold secrets.
 */
function officialChannels(inline: string | undefined, file: string | undefined, cwd: string): OfficialChannels {
  if (inline && file) throw new ConfigError('Configuration error: set SHOUWANG_OFFICIAL_CHANNELS or SHOUWANG_OFFICIAL_CHANNELS_FILE, not both.');
  const source = file ? 'SHOUWANG_OFFICIAL_CHANNELS_FILE' : 'SHOUWANG_OFFICIAL_CHANNELS';
  let text = inline;
  if (file) {
    try {
      text = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch {
      throw new ConfigError(`Configuration error: ${source} names a file that cannot be read.`);
    }
  }
  if (!text) return { wechatMp: [], wecom: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`Configuration error: ${source} is not valid JSON.`);
  }
  const parsed = officialChannelsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // zod's messages describe what was expected, never the value given.
    const problem = issue.code === 'custom' || issue.code === 'invalid_format' ? issue.message : `is invalid (${issue.message})`;
    throw new ConfigError(`Configuration error: ${source} ${issue.path.join('.') || '(top level)'} ${problem}.`);
  }
  return parsed.data;
}

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

/** What one client may hold of the HTTP server, so a slow or hostile one cannot hold it all. */
export interface ClientLimits {
  /** Time to send the request headers; a slow-loris client is cut off after it. */
  headersTimeoutMs: number;
  /** Time to send the whole request, body included (not the answer: exports stream for longer). */
  requestTimeoutMs: number;
  /** Open connections per peer address; not applied behind a trusted proxy, whose address every client shares. */
  maxConnectionsPerAddress: number;
  /** Requests being handled at once per client address (from X-Forwarded-For behind a trusted proxy). */
  maxRequestsPerAddress: number;
  trustProxy: boolean;
}

export interface Config {
  database: DatabaseTarget;
  /** Raw key text from the environment; src/store/crypto/dataKey.ts turns it into a key or makes one. */
  dataKey: string | undefined;
  /** Raw text keys from the environment, current first; src/store/crypto/textKeys.ts reads them. */
  textKeys: string | undefined;
  backupRetentionDays: number;
  retention: { childYears: number; messageDays: number; caseDays: number };
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
  /** On SIGTERM: the time work in progress gets to finish before it is cut off and handed back. */
  stopTimeoutMs: number;
  /** Admin API and login requests per minute per token/session and per client address. */
  apiRatePerMinute: number;
  callbackRate: { perSenderPerMinute: number; perAccountPerMinute: number };
  /** Time between seals of new audit rows into the hash chain. */
  auditSealIntervalMs: number;
  /** Timeouts and per-address caps of the HTTP server. */
  clientLimits: ClientLimits;
  /** Hours to verify and then to refer a case, per severity. */
  caseDeadlines: CaseDeadlineHours;
  /** Hours each department has to answer a referral. */
  referralDeadlines: ReferralDeadlineHours;
  /** Photos and voice notes sent while filing a report: where they are saved and the largest kept. */
  attachments: { dir: string; maxBytes: number };
  /** A console login idle this long ends. */
  sessionIdleMs: number;
  /** Folder of the inbound spool: messages that arrive while the database cannot be reached. */
  spoolDir: string;
  /** The 服务号 (families) and WeCom / 政务微信 (staff) accounts. */
  officialChannels: OfficialChannels;
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
    textKeys: vars.SHOUWANG_TEXT_KEYS || undefined,
    backupRetentionDays: vars.SHOUWANG_BACKUP_RETENTION_DAYS,
    retention: { childYears: vars.SHOUWANG_RETENTION_CHILD_YEARS, messageDays: vars.SHOUWANG_RETENTION_MESSAGE_DAYS, caseDays: vars.SHOUWANG_RETENTION_CASE_DAYS },
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
    stopTimeoutMs: vars.SHOUWANG_STOP_TIMEOUT_MS,
    apiRatePerMinute: vars.SHOUWANG_API_RATE_PER_MINUTE,
    callbackRate: { perSenderPerMinute: vars.SHOUWANG_CALLBACK_RATE_PER_MINUTE, perAccountPerMinute: vars.SHOUWANG_CALLBACK_ACCOUNT_RATE_PER_MINUTE },
    auditSealIntervalMs: vars.SHOUWANG_AUDIT_SEAL_INTERVAL_MS,
    clientLimits: {
      headersTimeoutMs: vars.SHOUWANG_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: Math.max(vars.SHOUWANG_REQUEST_TIMEOUT_MS, vars.SHOUWANG_HEADERS_TIMEOUT_MS),
      maxConnectionsPerAddress: vars.SHOUWANG_MAX_CONNECTIONS_PER_ADDRESS,
      maxRequestsPerAddress: vars.SHOUWANG_MAX_REQUESTS_PER_ADDRESS,
      trustProxy: vars.SHOUWANG_TRUST_PROXY,
    },
    caseDeadlines: vars.SHOUWANG_CASE_DEADLINES,
    referralDeadlines: vars.SHOUWANG_REFERRAL_DEADLINES,
    attachments: {
      dir: vars.SHOUWANG_ATTACHMENT_DIR ? path.resolve(cwd, vars.SHOUWANG_ATTACHMENT_DIR) : path.join(dataDir, 'attachments'),
      maxBytes: vars.SHOUWANG_ATTACHMENT_MAX_BYTES,
    },
    sessionIdleMs: vars.SHOUWANG_SESSION_IDLE_MINUTES * 60_000,
    spoolDir: vars.SHOUWANG_SPOOL_DIR ? path.resolve(cwd, vars.SHOUWANG_SPOOL_DIR) : path.join(dataDir, 'spool'),
    officialChannels: officialChannels(vars.SHOUWANG_OFFICIAL_CHANNELS, vars.SHOUWANG_OFFICIAL_CHANNELS_FILE, cwd),
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
