import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Client } from 'pg';
import { ConfigError } from '../configError';
import type { DatabaseTarget } from '../config';
import { DATA_KEY_FINGERPRINT_SETTING } from './dataKeyFingerprint';

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
  const manifest: BackupManifest = { format: 'shouwang-backup-1', engine: database.engine, createdAt: now.toISOString(), ...snapshot, attachments };
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
export async function restoreFrom(source: string, database: DatabaseTarget, attachmentDir: string): Promise<BackupManifest> {
  const manifest = await readManifest(source);
  if (manifest.engine !== database.engine) throw new BackupError(`The backup is of a ${manifest.engine} database; DATABASE_URL names a ${database.engine} one.`);
  if (database.engine === 'sqlite') {
    if (await nonEmptyFile(database.file)) throw new BackupError(`${database.file} already holds a database; restore only into an empty data folder.`);
    await mkdir(path.dirname(database.file), { recursive: true });
    const temporary = `${database.file}.restoring`;
    await cp(path.join(source, SQLITE_FILE), temporary);
    await rename(temporary, database.file);
  } else {
    if ((await postgresTableCount(database.url)) > 0) throw new BackupError('The database in DATABASE_URL already has tables; restore only into an empty database (createdb).');
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', path.join(source, PG_DUMP_FILE)], database.url);
  }
  await copyAttachments(path.join(source, ATTACHMENTS), attachmentDir);
  return manifest;
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

async function backupSqlite(file: string, copy: string): Promise<Pick<BackupManifest, 'dataKeyFingerprint' | 'counts'>> {
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
    return { dataKeyFingerprint: setting?.value ?? null, counts: sqliteCounts(snapshot) };
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
async function backupPostgres(url: string, dump: string): Promise<Pick<BackupManifest, 'dataKeyFingerprint' | 'counts'>> {
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`], url);
  const dataKeyFingerprint = await onPostgres(url, async (client) => {
    const result = await client.query('SELECT value FROM "ServiceSetting" WHERE key = $1', [DATA_KEY_FINGERPRINT_SETTING]);
    return (result.rows[0]?.value as string | undefined) ?? null;
  });
  return { dataKeyFingerprint, counts: await countRows({ engine: 'postgresql', url }) };
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
