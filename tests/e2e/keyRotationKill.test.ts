import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/store/db/database';
import { textKeyUses } from '../../src/store/crypto/keyRotation';
import { TextKeyring, textKeyId } from '../../src/store/crypto/textKeyring';
import { cleanEnv, PROJECT_ROOT, runCli } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const REPORTS = 300;
const BUDGET_MS = 120_000;

/** Starts `keys rotate` and SIGKILLs it as soon as it reports its first batch done. */
function rotateAndKill(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/cli/main.ts'), 'keys', 'rotate', '--batch-size', '1'], {
      cwd: PROJECT_ROOT,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/\] [1-9]\d*\//.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve(signal ?? 'exited'));
  });
}

describeEachEngine('keys rotate killed halfway', (engine) => {
  let database: TestDatabase;
  afterEach(() => database.drop());

  it(
    'resumes after SIGKILL: every value readable with the new key alone, none lost, the old key no longer needed',
    async () => {
      database = await createTestDatabase(engine);
      const village = await createVillage(database.db);
      const descriptions = Array.from({ length: REPORTS }, (_, index) => `第${index}号报告：孩子身上有伤`);
      await database.db.report.createMany({
        data: descriptions.map((description, index) => ({
          number: `TV-2026-${String(index + 1).padStart(4, '0')}`,
          areaId: village.villageId,
          childId: village.childId,
          type: 'abuse_or_injury' as const,
          severity: 'urgent' as const,
          source: 'director' as const,
          description,
        })),
      });
      const newKey = randomBytes(32);
      const env = {
        DATABASE_URL: database.target.url,
        SHOUWANG_DATA_KEY: database.dataKey.toString('hex'),
        SHOUWANG_TEXT_KEYS: `${newKey.toString('hex')},${database.dataKey.toString('hex')}`,
        // Rotation reseals attachment files too: only this test's, never what other tests left in the checkout.
        SHOUWANG_ATTACHMENT_DIR: mkdtempSync(path.join(os.tmpdir(), 'shouwang-rotation-')),
      };
      const ring = new TextKeyring([newKey, database.dataKey]);

      expect(await rotateAndKill(env)).toBe('SIGKILL');
      const halfway = await textKeyUses(database.db, ring, { now: new Date(), backupRetentionDays: 0 });
      const underOld = halfway.keys.find((use) => use.id === textKeyId(database.dataKey))!.values;
      expect(underOld).toBeGreaterThan(0);
      expect(underOld).toBeLessThan(REPORTS);

      const resumed = await runCli(['keys', 'rotate', '--batch-size', '50'], env);
      expect(resumed.stdout).toContain('Carrying on with the unfinished rotation');
      expect(resumed.code).toBe(0);

      const newOnly = await openDatabase(database.target, new TextKeyring([newKey]));
      try {
        const reports = await newOnly.db.report.findMany({ orderBy: { id: 'asc' } });
        expect(reports.map((report) => report.description)).toEqual(descriptions);
      } finally {
        await newOnly.close();
      }
      const listed = await runCli(['keys'], { ...env, SHOUWANG_BACKUP_RETENTION_DAYS: '0' });
      expect(listed.stdout).toMatch(new RegExp(`${textKeyId(newKey)}\\s+${REPORTS} values\\s+current`));
      expect(listed.stdout).toMatch(new RegExp(`${textKeyId(database.dataKey)}\\s+0 values\\s+can be retired`));
    },
    BUDGET_MS,
  );
});
