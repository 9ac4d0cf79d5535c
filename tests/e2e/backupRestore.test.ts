import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/db/database';
import { saveAttachment } from '../../src/store/messaging/attachments';
import { NationalIdCipher } from '../../src/store/crypto/nationalIdCipher';
import { TextKeyring, textKeyId } from '../../src/store/crypto/textKeyring';
import { NATIONAL_IDS, populateVillage } from '../support/apiWorld';
import { CHANNEL_TOKEN, httpChannelClient } from '../support/inProcessService';
import { databaseUrl, onTestServer } from '../support/postgresTestServer';
import { runCli } from '../support/runTs';
import { startServiceProcess } from '../support/serviceProcess';
import { createTestDatabase, ENGINES_UNDER_TEST, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

// CLI runs and two service starts on a loaded 2-core machine.
const BUDGET_MS = 180_000;

const temporaryFolder = (name: string) => mkdtempSync(path.join(os.tmpdir(), `${name}-`));

/** A village with a child whose ID number is encrypted, a case, and a photo attached to the case. */
async function populate(database: TestDatabase, attachmentDir: string): Promise<{ caseNumber: string; photo: string }> {
  const village = await createVillage(database.db);
  const records = await populateVillage(database.db, database.cipher, { id: village.villageId, code: '880101001001', townshipCode: '880101001' }, NATIONAL_IDS[0]!);
  const photo = await saveAttachment(attachmentDir, { kind: 'image', name: 'bruise.jpg', mimeType: 'image/jpeg', data: randomBytes(4096) }, database.keyring);
  const report = await database.db.report.findUniqueOrThrow({ where: { number: records.caseNumber } });
  await database.db.reportAttachment.create({ data: { reportId: report.id, kind: photo.kind, path: photo.path, sha256: photo.sha256, size: photo.size, mimeType: photo.mimeType } });
  return { caseNumber: records.caseNumber, photo: photo.path };
}

/** What an operator checks after a restore: every child (ID numbers readable), case and attachment. */
async function contents(url: string, key: Buffer, attachmentDir: string) {
  const database = await openDatabase(url.startsWith('file:') ? { engine: 'sqlite', url, file: url.slice('file:'.length) } : { engine: 'postgresql', url });
  const cipher = new NationalIdCipher(key);
  const keyring = new TextKeyring([key]);
  try {
    const children = await database.db.child.findMany({ orderBy: { id: 'asc' } });
    const reports = await database.db.report.findMany({ orderBy: { id: 'asc' }, include: { steps: { orderBy: { id: 'asc' } } } });
    const attachments = await database.db.reportAttachment.findMany({ orderBy: { id: 'asc' } });
    return {
      children: children.map((child) => ({ ...child, nationalId: child.nationalIdCipher && cipher.open(child.nationalIdCipher) })),
      reports,
      attachments: attachments.map((attachment) => ({
        ...attachment,
        readable: createHash('sha256').update(keyring.openBytes(readFileSync(path.join(attachmentDir, attachment.path)))).digest('hex') === attachment.sha256,
      })),
    };
  } finally {
    await database.close();
  }
}

describe('db backup and db restore', () => {
  let database: TestDatabase;
  afterEach(() => database?.drop());

  it(
    'backs up SQLite under chat traffic; a restore into a fresh folder has every child, case and attachment, and the service starts on it',
    async () => {
      database = await createTestDatabase('sqlite');
      const attachmentDir = temporaryFolder('attachments');
      const { photo } = await populate(database, attachmentDir);
      const key = database.dataKey.toString('hex');
      const env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: key, SHOUWANG_ATTACHMENT_DIR: attachmentDir };
      const service = await startServiceProcess({ ...env, CHANNEL_TOKEN }, 60_000);

      // Traffic runs until the backup is done: messages are recorded while it copies.
      const chat = httpChannelClient(service.url);
      let backingUp = true;
      let sent = 0;
      const traffic = (async () => {
        while (backingUp) {
          expect((await chat.say(`tel:${sent % 5}`, '你好')).status).toBe(200);
          sent += 1;
        }
      })();
      const backupDir = path.join(temporaryFolder('backups'), 'nightly');
      const backup = await runCli(['db', 'backup', backupDir], env);
      const sentDuringBackup = sent;
      backingUp = false;
      await traffic;
      await service.stop();
      expect(backup.stderr).toBe('');
      expect(backup.stdout).toMatch(/^Backed up the sqlite database and 1 attachment file\(s\) into .*nightly: Child 2, Person \d+, Report 1, ReportAttachment 1, InboxMessage \d+/);
      expect(sentDuringBackup).toBeGreaterThan(0);
      const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ engine: 'sqlite', dataKeyFingerprint: expect.stringMatching(/^[0-9a-f]{32}$/), attachments: 1, textKeyIds: [textKeyId(database.dataKey)] });

      // Text keys that cannot open the backup's sealed texts: refused before anything is written.
      const elsewhere = path.join(temporaryFolder('other'), 'shouwang.db');
      const wrongTextKeys = await runCli(['db', 'restore', backupDir], { DATABASE_URL: `file:${elsewhere}`, SHOUWANG_DATA_KEY: key, SHOUWANG_TEXT_KEYS: 'f'.repeat(64) });
      expect({ code: wrongTextKeys.code, stderr: wrongTextKeys.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`sealed with text key(s) ${textKeyId(database.dataKey)}`) });
      expect(existsSync(elsewhere)).toBe(false);

      const fresh = temporaryFolder('restored');
      const restoredEnv = { DATABASE_URL: `file:${path.join(fresh, 'shouwang.db')}`, SHOUWANG_DATA_KEY: key, SHOUWANG_ATTACHMENT_DIR: path.join(fresh, 'attachments') };
      const restored = await runCli(['db', 'restore', backupDir], restoredEnv);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);

      const restoredContents = await contents(restoredEnv.DATABASE_URL, database.dataKey, restoredEnv.SHOUWANG_ATTACHMENT_DIR);
      expect(restoredContents).toEqual(await contents(database.target.url, database.dataKey, attachmentDir));
      expect(restoredContents.children.map((child) => child.nationalId)).toEqual([null, NATIONAL_IDS[0]]);
      expect(restoredContents.attachments).toEqual([expect.objectContaining({ path: photo, readable: true })]);
      // The chat recorded up to the snapshot: as many inbox rows as the manifest says, none half-written.
      const restoredDatabase = await openDatabase({ engine: 'sqlite', url: restoredEnv.DATABASE_URL, file: path.join(fresh, 'shouwang.db') });
      expect(await restoredDatabase.db.inboxMessage.count()).toBe(manifest.counts.InboxMessage);
      await restoredDatabase.close();

      const back = await startServiceProcess(restoredEnv, 60_000);
      const health = await fetch(`${back.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await back.stop()).toBe(0);

      // Never over a database that holds something, nor with another key.
      const again = await runCli(['db', 'restore', backupDir], restoredEnv);
      expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('already holds a database') });
      const wrongKey = await runCli(['db', 'restore', backupDir], { ...restoredEnv, DATABASE_URL: `file:${path.join(temporaryFolder('other'), 'shouwang.db')}`, SHOUWANG_DATA_KEY: 'e'.repeat(64) });
      expect({ code: wrongKey.code, stderr: wrongKey.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('not the one this backup was encrypted with') });
    },
    BUDGET_MS,
  );

  (ENGINES_UNDER_TEST.includes('postgresql') ? it : it.skip)(
    'backs up PostgreSQL with pg_dump and restores it with pg_restore into an empty database',
    async () => {
      database = await createTestDatabase('postgresql');
      const attachmentDir = temporaryFolder('attachments');
      await populate(database, attachmentDir);
      const key = database.dataKey.toString('hex');
      const backupDir = path.join(temporaryFolder('backups'), 'pg');
      const backup = await runCli(['db', 'backup', backupDir], { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: key, SHOUWANG_ATTACHMENT_DIR: attachmentDir });
      expect(backup.stderr).toBe('');
      expect(backup.stdout).toMatch(/^Backed up the postgresql database and 1 attachment file\(s\)/);

      const name = `${new URL(database.target.url).pathname.slice(1)}_restored`;
      await onTestServer((client) => client.query(`CREATE DATABASE "${name}"`));
      try {
        const restoredEnv = { DATABASE_URL: databaseUrl(name), SHOUWANG_DATA_KEY: key, SHOUWANG_ATTACHMENT_DIR: path.join(temporaryFolder('restored'), 'attachments') };
        const wrongTextKeys = await runCli(['db', 'restore', backupDir], { ...restoredEnv, SHOUWANG_TEXT_KEYS: 'f'.repeat(64) });
        expect({ code: wrongTextKeys.code, stderr: wrongTextKeys.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`sealed with text key(s) ${textKeyId(database.dataKey)}`) });
        const restored = await runCli(['db', 'restore', backupDir], restoredEnv);
        expect(restored.stderr).toBe('');
        expect(await contents(restoredEnv.DATABASE_URL, database.dataKey, restoredEnv.SHOUWANG_ATTACHMENT_DIR)).toEqual(await contents(database.target.url, database.dataKey, attachmentDir));
        const again = await runCli(['db', 'restore', backupDir], restoredEnv);
        expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('already has tables') });
      } finally {
        await onTestServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      }
    },
    BUDGET_MS,
  );
});
