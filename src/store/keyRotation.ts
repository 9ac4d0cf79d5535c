import { Prisma, type Db } from './database';
import { SEALED_FIELDS, type SealedModel } from './sealedTexts';
import { keyIdOf, type TextKeyring } from './textKeyring';

const TABLES: Record<SealedModel, string> = {
  report: 'Report',
  caseStep: 'CaseStep',
  teacherCheckIn: 'TeacherCheckIn',
  riskAssessment: 'RiskAssessment',
  child: 'Child',
  guardianshipAgreement: 'GuardianshipAgreement',
  dataRequest: 'DataRequest',
};

/** Settings row per retired key: when `keys rotate` found no value left under it. */
const UNUSED_SINCE_PREFIX = 'text_key_unused_since:';

type StoredRow = Record<string, string | number | null> & { id: number };

export interface RotationProgress {
  done: number;
  total: number;
  resealed: number;
}

/**
 * Reseals every sensitive text not under the current key (clear values from before encryption
 * included), a batch per transaction. Each row is rewritten only if it still holds what was read,
 * so a concurrent edit is never overwritten; a killed run leaves each row under one key or the
 * other, and running again carries on where the values say it stopped.
 */
export async function rotateTextKeys(
  db: Db,
  keyring: TextKeyring,
  options: { batchSize: number; now: Date; onProgress?: (progress: RotationProgress) => void },
): Promise<RotationProgress> {
  const total = await countSealableRows(db);
  const progress: RotationProgress = { done: 0, total, resealed: 0 };
  for (const model of Object.keys(TABLES) as SealedModel[]) {
    let after = 0;
    for (;;) {
      const rows = await storedRows(db, model, after, options.batchSize);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      progress.resealed += await resealBatch(db, keyring, model, rows);
      progress.done += rows.length;
      options.onProgress?.({ ...progress });
    }
  }
  await recordUnusedKeys(db, keyring, options.now);
  return progress;
}

async function resealBatch(db: Db, keyring: TextKeyring, model: SealedModel, rows: StoredRow[]): Promise<number> {
  const stale = rows.filter((row) => SEALED_FIELDS[model].some((field) => keyring.needsResealing(row[field] as string | null)));
  if (stale.length === 0) return 0;
  const delegate = db[model] as unknown as {
    updateMany(args: { where: Record<string, unknown>; data: Record<string, unknown> }): Promise<{ count: number }>;
  };
  // The client seals what it writes, so the clear text goes in and the current key's value lands.
  await db.$transaction(async (tx) => {
    const txDelegate = tx[model] as unknown as typeof delegate;
    for (const row of stale) {
      const where: Record<string, unknown> = { id: row.id };
      const data: Record<string, unknown> = {};
      for (const field of SEALED_FIELDS[model]) {
        where[field] = row[field];
        if (row[field] !== null) data[field] = keyring.open(row[field]);
      }
      await txDelegate.updateMany({ where, data });
    }
  });
  return stale.length;
}

/** The stored values themselves: raw SQL is not opened by the client. */
function storedRows(db: Db, model: SealedModel, after: number, limit: number): Promise<StoredRow[]> {
  const columns = Prisma.raw(['"id"', ...SEALED_FIELDS[model].map((field) => `"${field}"`)].join(', '));
  return db.$queryRaw<StoredRow[]>`SELECT ${columns} FROM ${Prisma.raw(`"${TABLES[model]}"`)} WHERE "id" > ${after} ORDER BY "id" LIMIT ${limit}`.then((rows) =>
    rows.map((row) => ({ ...row, id: Number(row.id) })),
  );
}

async function countSealableRows(db: Db): Promise<number> {
  let total = 0;
  for (const model of Object.keys(TABLES) as SealedModel[]) {
    const [row] = await db.$queryRaw<Array<{ n: unknown }>>`SELECT COUNT(*) AS n FROM ${Prisma.raw(`"${TABLES[model]}"`)}`;
    total += Number(row?.n ?? 0);
  }
  return total;
}

export interface TextKeyUse {
  id: string;
  current: boolean;
  /** Values sealed with this key. */
  values: number;
  /** When `keys rotate` last found no value under it; null while values remain. */
  unusedSince: Date | null;
  /** No value needs it and every backup that could has aged out. */
  retirable: boolean;
}

/** Each key in the ring and what still needs it, plus values never sealed (from before encryption). */
export async function textKeyUses(db: Db, keyring: TextKeyring, options: { now: Date; backupRetentionDays: number }): Promise<{ keys: TextKeyUse[]; clear: number }> {
  const counts = await countByKey(db);
  const settings = await db.serviceSetting.findMany({ where: { key: { startsWith: UNUSED_SINCE_PREFIX } } });
  const unused = new Map(settings.map((setting) => [setting.key.slice(UNUSED_SINCE_PREFIX.length), new Date(setting.value)]));
  const horizon = options.now.getTime() - options.backupRetentionDays * 24 * 3600 * 1000;
  const keys = keyring.ids().map((id) => {
    const values = counts.get(id) ?? 0;
    const current = id === keyring.currentId;
    const unusedSince = values === 0 && !current ? (unused.get(id) ?? null) : null;
    return { id, current, values, unusedSince, retirable: unusedSince !== null && unusedSince.getTime() <= horizon };
  });
  return { keys, clear: counts.get(null) ?? 0 };
}

async function countByKey(db: Db): Promise<Map<string | null, number>> {
  const counts = new Map<string | null, number>();
  for (const model of Object.keys(TABLES) as SealedModel[]) {
    let after = 0;
    for (;;) {
      const rows = await storedRows(db, model, after, 1000);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      for (const row of rows) {
        for (const field of SEALED_FIELDS[model]) {
          const value = row[field];
          if (typeof value !== 'string') continue;
          const id = keyIdOf(value);
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
    }
  }
  return counts;
}

async function recordUnusedKeys(db: Db, keyring: TextKeyring, now: Date): Promise<void> {
  const counts = await countByKey(db);
  for (const id of keyring.ids()) {
    if (id === keyring.currentId || (counts.get(id) ?? 0) > 0) continue;
    const key = `${UNUSED_SINCE_PREFIX}${id}`;
    await db.serviceSetting.upsert({ where: { key }, create: { key, value: now.toISOString() }, update: {} });
  }
}
