import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Client } from 'pg';
import { ConfigError } from '../../configError';
import type { DatabaseTarget } from '../../config';
import { attachmentKeyCounts } from '../messaging/attachments';
import { DATA_KEY_FINGERPRINT_SETTING } from '../crypto/dataKeyFingerprint';
import { SEALED_FIELDS, SEALED_TABLES, type SealedModel } from '../crypto/sealedTexts';

/**
 * A backup is a folder: the database (`shouwang.db`, or `shouwang.pgdump` in pg_dump's custom
 * format), `attachments/` (a copy of the attachment folder) and `manifest.json` (engine, time,
 * the data key's fingerprint and row counts). The data key itself is never in it: it is kept
 * apart from the backups, and a restore checks it against the fingerprint before writing.
 */
export interface BackupManifest {
  format: 'shouwang-backup-1';
  engine: DatabaseTarget['engine'];
  createdAt: string;
  /** Which key encrypted the ID numbers in it (null: a database that never stored one). */
  dataKeyFingerprint: string | null;
  /** Rows per table at the time of the backup, for checking a restore. */
  counts: Record<string, number>;
  attachments: number;
  /**
   * The text keys its sealed values and attachment files need (key ids, never keys); a restore
   * refuses to start without each of them. Missing in backups made before this version: then
   * the restore reads the backup itself.
   */
  textKeyIds?: string[];
}


export const MANIFEST_FILE = 'manifest.json';
const SQLITE_FILE = 'shouwang.db';
const PG_DUMP_FILE = 'shouwang.pgdump';
const ATTACHMENTS = 'attachments';
/** The tables whose counts a manifest keeps: what an operator checks after a restore. */
const COUNTED_TABLES = ['Child', 'Person', 'Report', 'ReportAttachment', 'InboxMessage', 'OutboxMessage', 'ContactLog'] as const;

/** A backup or restore that cannot go ahead; the operator fixes it from the message. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/** Text keys a restore needs and the configuration does not have: nothing was restored. */
export class MissingTextKeysError extends BackupError {
  override name = 'MissingTextKeysError';
  constructor(readonly missing: readonly string[]) {
    super(
      `The backup holds texts sealed with text key(s) ${missing.join(', ')}, which the configured keys (SHOUWANG_TEXT_KEYS, or shouwang.textkeys in the data folder) do not include; nothing was restored. Put the keys of the time of the backup back (\`npm run cli -- keys\` lists key ids) and run the restore again.`,
    );
  }
}

/** The key id a stored sealed value starts with (textKeyring.ts); a JSON column's text has a quote first. */
const SEALED_VALUE = /^"?s[tj]1:([0-9a-f]{12}):/;

function addKeyIdOf(value: unknown, ids: Set<string>): void {
  if (typeof value !== 'string') return;
  const id = SEALED_VALUE.exec(value)?.[1];
  if (id !== undefined) ids.add(id);
}

/** Each sealed table's SELECT of its sealed columns as text. */
function sealedColumnQueries(): string[] {
  return (Object.keys(SEALED_FIELDS) as SealedModel[]).map(
    (model) => `SELECT ${SEALED_FIELDS[model].map((field) => `"${field}"::text`).join(', ')} FROM "${SEALED_TABLES[model]}"`,
  );
}

function sqliteTextKeyIds(db: Sqlite.Database): Set<string> {
  const ids = new Set<string>();
  for (const query of sealedColumnQueries()) {
    for (const row of db.prepare(query.replaceAll('::text', '')).raw(true).iterate() as IterableIterator<unknown[]>) for (const value of row) addKeyIdOf(value, ids);
  }
  return ids;
}

async function postgresTextKeyIds(client: Client): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const query of sealedColumnQueries()) {
    for (const row of (await client.query<unknown[]>({ text: query, rowMode: 'array' })).rows) for (const value of row) addKeyIdOf(value, ids);
  }
  return ids;
}

async function attachmentTextKeyIds(dir: string, ids: Set<string>): Promise<void> {
  if (!(await folderExists(dir))) return;
  for (const id of (await attachmentKeyCounts(dir)).keys()) if (id !== null) ids.add(id);
}

/**
 * Backs up a running service's database and attachments into `target` (a new or empty folder).
 * SQLite is copied with its online backup API: one consistent snapshot while the service writes.
 * Attachments are copied after it: each is saved before the row naming it, and never changed, so
 * every file the snapshot names is there.
 */
export async function backupTo(target: string, database: DatabaseTarget, attachmentDir: string, now: Date): Promise<BackupManifest> {
  await ensureEmptyFolder(target);
  const staging = `${target}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const snapshot = database.engine === 'sqlite' ? await backupSqlite(database.file, path.join(staging, SQLITE_FILE)) : await backupPostgres(database.url, path.join(staging, PG_DUMP_FILE));
  const attachments = await copyAttachments(attachmentDir, path.join(staging, ATTACHMENTS));
  const { textKeyIds, ...taken } = snapshot;
  await attachmentTextKeyIds(path.join(staging, ATTACHMENTS), textKeyIds);
  const manifest: BackupManifest = { format: 'shouwang-backup-1', engine: database.engine, createdAt: now.toISOString(), ...taken, attachments, textKeyIds: [...textKeyIds].sort() };
  await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  // Only a complete backup carries the target's name.
  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  return manifest;
}

export async function readManifest(source: string): Promise<BackupManifest> {
  const text = await readFile(path.join(source, MANIFEST_FILE), 'utf8').catch(() => {
    throw new BackupError(`${source} is not a Shouwang backup: it has no ${MANIFEST_FILE}.`);
  });
  const manifest = JSON.parse(text) as BackupManifest;
  if (manifest.format !== 'shouwang-backup-1') throw new BackupError(`${source} is a backup in an unknown format.`);
  return manifest;
}

/**
 * Restores a backup into an empty database (a SQLite file that does not exist yet, or a
 * PostgreSQL database without tables) and the attachment folder. The caller has checked the data
 * key against the manifest; migrations newer than the backup are applied at the next start.
 */
export async function restoreFrom(source: string, database: DatabaseTarget, attachmentDir: string, configuredTextKeyIds: readonly string[]): Promise<BackupManifest> {
  const manifest = await readManifest(source);
  if (manifest.engine !== database.engine) throw new BackupError(`The backup is of a ${manifest.engine} database; DATABASE_URL names a ${database.engine} one.`);
  const missingIn = (ids: Iterable<string>) => [...ids].filter((id) => !configuredTextKeyIds.includes(id)).sort();
  // Checked before anything is written: a restore whose texts could not be opened is no restore.
  const needed = manifest.textKeyIds === undefined ? await textKeyIdsOfOldBackup(source, manifest.engine) : new Set(manifest.textKeyIds);
  if (needed !== null && missingIn(needed).length > 0) throw new MissingTextKeysError(missingIn(needed));
  if (database.engine === 'sqlite') {
    if (await nonEmptyFile(database.file)) throw new BackupError(`${database.file} already holds a database; restore only into an empty data folder.`);
    await mkdir(path.dirname(database.file), { recursive: true });
    const temporary = `${database.file}.restoring`;
    await cp(path.join(source, SQLITE_FILE), temporary);
    await rename(temporary, database.file);
  } else {
    if ((await postgresTableCount(database.url)) > 0) throw new BackupError('The database in DATABASE_URL already has tables; restore only into an empty database (createdb).');
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', path.join(source, PG_DUMP_FILE)], database.url);
    if (needed === null) {
      // A dump made before backups listed their keys is read once restored, and undone if a key is missing.
      const missing = missingIn(await onPostgres(database.url, postgresTextKeyIds));
      if (missing.length > 0) {
        await onPostgres(database.url, (client) => client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public'));
        throw new MissingTextKeysError(missing);
      }
    }
  }
  await copyAttachments(path.join(source, ATTACHMENTS), attachmentDir);
  return manifest;
}

/**
 * The keys a backup from before manifests listed them needs: read from its SQLite file and its
 * attachments; null for a PostgreSQL dump, which is read once restored.
 */
async function textKeyIdsOfOldBackup(source: string, engine: DatabaseTarget['engine']): Promise<Set<string> | null> {
  if (engine === 'postgresql') return null;
  const db = new Sqlite(path.join(source, SQLITE_FILE), { readonly: true, fileMustExist: true });
  try {
    const ids = sqliteTextKeyIds(db);
    await attachmentTextKeyIds(path.join(source, ATTACHMENTS), ids);
    return ids;
  } finally {
    db.close();
  }
}

/** Rows per counted table, as the manifest keeps them; for checking a restored database. */
export async function countRows(database: DatabaseTarget): Promise<Record<string, number>> {
  if (database.engine === 'sqlite') {
    const db = new Sqlite(database.file, { readonly: true, fileMustExist: true });
    try {
      return sqliteCounts(db);
    } finally {
      db.close();
    }
  }
  return onPostgres(database.url, async (client) => {
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) counts[table] = Number((await client.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
    return counts;
  });
}

type Snapshot = Pick<BackupManifest, 'dataKeyFingerprint' | 'counts'> & { textKeyIds: Set<string> };

async function backupSqlite(file: string, copy: string): Promise<Snapshot> {
  if (!(await nonEmptyFile(file))) throw new BackupError(`There is no database at ${file}.`);
  const source = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step: one read snapshot, not restarted by the service's writes.
    await source.backup(copy, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
  } finally {
    source.close();
  }
  const snapshot = new Sqlite(copy, { readonly: true });
  try {
    const setting = snapshot.prepare('SELECT value FROM "ServiceSetting" WHERE key = ?').get(DATA_KEY_FINGERPRINT_SETTING) as { value: string } | undefined;
    return { dataKeyFingerprint: setting?.value ?? null, counts: sqliteCounts(snapshot), textKeyIds: sqliteTextKeyIds(snapshot) };
  } finally {
    snapshot.close();
  }
}

function sqliteCounts(db: Sqlite.Database): Record<string, number> {
  return Object.fromEntries(COUNTED_TABLES.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n]));
}

/**
 * pg_dump's snapshot is consistent on its own; the fingerprint and counts are read in one
 * REPEATABLE READ transaction beside it (rows written in between may differ by a few).
 */
async function backupPostgres(url: string, dump: string): Promise<Snapshot> {
  // The keys are listed before the dump: a rotation in between only adds the current key's values, which the configuration has.
  const textKeyIds = await onPostgres(url, postgresTextKeyIds);
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`], url);
  const dataKeyFingerprint = await onPostgres(url, async (client) => {
    const result = await client.query('SELECT value FROM "ServiceSetting" WHERE key = $1', [DATA_KEY_FINGERPRINT_SETTING]);
    return (result.rows[0]?.value as string | undefined) ?? null;
  });
  return { dataKeyFingerprint, counts: await countRows({ engine: 'postgresql', url }), textKeyIds };
}

async function postgresTableCount(url: string): Promise<number> {
  return onPostgres(url, async (client) => Number((await client.query(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`)).rows[0].n));
}

async function onPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Copies the content-addressed files, leaving out temporary files of saves in progress; returns how many. */
async function copyAttachments(from: string, to: string): Promise<number> {
  if (!(await folderExists(from))) return 0;
  await cp(from, to, { recursive: true, filter: (file) => !file.endsWith('.tmp') });
  return countFiles(to);
}

async function countFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) count += entry.isDirectory() ? await countFiles(path.join(dir, entry.name)) : 1;
  return count;
}

async function ensureEmptyFolder(folder: string): Promise<void> {
  if (!(await folderExists(folder))) {
    if (await stat(folder).then(() => true, () => false)) throw new BackupError(`${folder} exists and is not a folder.`);
    return;
  }
  if ((await readdir(folder)).length > 0) throw new BackupError(`${folder} is not empty; back up into a new folder.`);
}

async function folderExists(folder: string): Promise<boolean> {
  return stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

async function nonEmptyFile(file: string): Promise<boolean> {
  return stat(file).then(
    (info) => info.size > 0,
    () => false,
  );
}

/** Runs a PostgreSQL client tool on the database; the password goes by environment, not the process list. */
function run(command: string, args: string[], url: string): Promise<void> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, `--dbname=${target.toString()}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new ConfigError(`${command} was not found: install the PostgreSQL client tools (e.g. apt install postgresql-client).`) : error),
    );
    child.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${command} failed: ${stderr.trim().split('\n')[0]}`))));
  });
}
