import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rotateTextKeys, textKeyUses } from '../../src/store/keyRotation';
import { openDatabase, type Database } from '../../src/store/database';
import { TextKeyring, textKeyId } from '../../src/store/textKeyring';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const DESCRIPTION = '孩子说继父晚上打他，背上有淤青';
const STEP_NOTE = '已联系派出所民警上门核实';
const FAMILY = '父亲服刑，母亲外出务工';
const DAY = 86_400_000;

async function fileReport(db: Database['db'], village: TestVillage, number: string, description = DESCRIPTION) {
  return db.report.create({
    data: {
      number,
      areaId: village.villageId,
      childId: village.childId,
      type: 'abuse_or_injury',
      severity: 'urgent',
      source: 'director',
      description,
      actionsTaken: '已送医',
      steps: { create: { toState: 'reported', actorId: village.directorId, at: new Date(), note: STEP_NOTE } },
    },
  });
}

/** Every stored value of the sealed columns, exactly as the database holds them. */
async function storedTexts(database: TestDatabase): Promise<string[]> {
  const reports = await database.db.$queryRawUnsafe<Array<{ description: string; actionsTaken: string | null }>>('SELECT "description", "actionsTaken" FROM "Report"');
  const steps = await database.db.$queryRawUnsafe<Array<{ note: string | null }>>('SELECT "note" FROM "CaseStep"');
  const children = await database.db.$queryRawUnsafe<Array<{ familySituation: string | null }>>('SELECT "familySituation" FROM "Child"');
  return [...reports.flatMap((row) => [row.description, row.actionsTaken]), ...steps.map((row) => row.note), ...children.map((row) => row.familySituation)].filter(
    (value): value is string => value !== null,
  );
}

describeEachEngine('sensitive texts at rest', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
  });
  afterEach(() => database.drop());

  it('keeps a report, its case step and a family situation sealed in the database, and gives them back clear through the store', async () => {
    const report = await fileReport(database.db, village, 'TV-2026-0001');
    await database.db.child.update({ where: { id: village.childId }, data: { familySituation: FAMILY } });

    const read = await database.db.report.findUniqueOrThrow({ where: { id: report.id }, include: { steps: true, child: true } });
    expect(read.description).toBe(DESCRIPTION);
    expect(read.steps[0]!.note).toBe(STEP_NOTE);
    expect(read.child!.familySituation).toBe(FAMILY);
    expect(read.child!.name).toBe('张小明');

    const stored = await storedTexts(database);
    expect(stored).toHaveLength(4);
    for (const value of stored) expect(value).toMatch(new RegExp(`^st1:${database.keyring.currentId}:`));
    expect(stored.join('\n')).not.toContain('淤青');

    if (engine === 'sqlite') {
      await database.db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
      const file = database.target.engine === 'sqlite' ? database.target.file : '';
      const bytes = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
      expect(bytes.includes(Buffer.from('淤青'))).toBe(false);
      expect(bytes.includes(Buffer.from('张小明'))).toBe(true);
    }
  });

  it('seals clear values from before encryption, moves every value to a new key, and then no longer needs the old one', async () => {
    for (let index = 1; index <= 7; index += 1) await fileReport(database.db, village, `TV-2026-${String(index).padStart(4, '0')}`, `${DESCRIPTION} ${index}`);
    // A value written before this version: clear in the column.
    await database.db.$executeRawUnsafe(`UPDATE "Child" SET "familySituation" = '${FAMILY}'`);

    const newKey = randomBytes(32);
    const rotating = new TextKeyring([newKey, database.dataKey]);
    const client = await openDatabase(database.target, rotating);
    try {
      const seen: number[] = [];
      const result = await rotateTextKeys(client.db, rotating, { batchSize: 3, now: new Date('2026-11-01T00:00:00Z'), onProgress: ({ done }) => seen.push(done) });
      expect(result.resealed).toBe(7 + 7 + 1);
      expect(seen.length).toBeGreaterThan(3);

      const uses = await textKeyUses(client.db, rotating, { now: new Date('2026-11-02T00:00:00Z'), backupRetentionDays: 90 });
      expect(uses.clear).toBe(0);
      expect(uses.keys).toEqual([
        { id: textKeyId(newKey), current: true, values: 7 * 3 + 1, unusedSince: null, retirable: false },
        { id: textKeyId(database.dataKey), current: false, values: 0, unusedSince: new Date('2026-11-01T00:00:00Z'), retirable: false },
      ]);
      const later = await textKeyUses(client.db, rotating, { now: new Date(Date.parse('2026-11-01T00:00:00Z') + 90 * DAY), backupRetentionDays: 90 });
      expect(later.keys[1]!.retirable).toBe(true);
    } finally {
      await client.close();
    }

    const newOnly = await openDatabase(database.target, new TextKeyring([newKey]));
    try {
      const reports = await newOnly.db.report.findMany({ orderBy: { id: 'asc' }, include: { steps: true } });
      expect(reports.map((report) => report.description)).toEqual([1, 2, 3, 4, 5, 6, 7].map((index) => `${DESCRIPTION} ${index}`));
      expect(reports.every((report) => report.steps[0]!.note === STEP_NOTE && report.actionsTaken === '已送医')).toBe(true);
      expect((await newOnly.db.child.findUniqueOrThrow({ where: { id: village.childId } })).familySituation).toBe(FAMILY);
    } finally {
      await newOnly.close();
    }
  });
});
