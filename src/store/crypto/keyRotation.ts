import { attachmentKeyCounts, resealAttachments } from '../messaging/attachments';
import { Prisma, type Db } from '../db/database';
import { SEALED_FIELDS, SEALED_JSON_FIELDS, SEALED_TABLES, type SealedModel } from './sealedTexts';
import { keyIdOf, type TextKeyring } from './textKeyring';

const TABLES = SEALED_TABLES;

/** Settings row per retired key: when `keys rotate` found no value left under it. */
const UNUSED_SINCE_PREFIX = 'text_key_unused_since:';

/** A sealed field as stored: a sealed or clear text, a clear JSON value (params written before encryption), or null. */
type StoredValue = string | number | object | null;
type StoredRow = Record<string, StoredValue> & { id: number };

/** Whether a stored value is missing the current key: clear JSON always is; '' (a purged text) is no value. */
function needsResealing(keyring: TextKeyring, value: StoredValue): boolean {
  return typeof value === 'string' ? value !== '' && keyring.needsResealing(value) : value !== null;
}

/** The key a stored value is under, null when clear; undefined for no value. */
function keyOfStored(value: StoredValue): string | null | undefined {
  if (typeof value === 'string') return value === '' ? undefined : keyIdOf(value);
  return value === null ? undefined : null;
}

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
  options: { batchSize: number; now: Date; attachmentDir?: string; onProgress?: (progress: RotationProgress) => void },
): Promise<RotationProgress> {
  const files = options.attachmentDir === undefined ? 0 : sum(await attachmentKeyCounts(options.attachmentDir));
  const total = (await countSealableRows(db)) + files;
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
  if (options.attachmentDir !== undefined) {
    const { resealed } = await resealAttachments(options.attachmentDir, keyring, () => {
      progress.done += 1;
      options.onProgress?.({ ...progress });
    });
    progress.resealed += resealed;
  }
  await recordUnusedKeys(db, keyring, options.now, options.attachmentDir);
  return progress;
}

function sum(counts: Map<unknown, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

async function resealBatch(db: Db, keyring: TextKeyring, model: SealedModel, rows: StoredRow[]): Promise<number> {
  const stale = rows.filter((row) => SEALED_FIELDS[model].some((field) => needsResealing(keyring, row[field] ?? null)));
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
        const value = row[field] ?? null;
        // JSON columns are never edited after they are written (only purged): the text beside them guards the row.
        if (!SEALED_JSON_FIELDS.has(field)) where[field] = value;
        if (value !== null) data[field] = keyring.open(value);
      }
      await txDelegate.updateMany({ where, data });
    }
  });
  return stale.length;
}

/**
 * The stored values themselves, a batch of rows after an id: raw SQL is not opened by the client.
 * Its typed twin (a client without the keyring) is in tests/integration/writeStatementTwins.test.ts.
 */
export function storedRows(db: Db, model: SealedModel, after: number, limit: number): Promise<StoredRow[]> {
  const columns = Prisma.raw(['"id"', ...SEALED_FIELDS[model].map((field) => `"${field}"`)].join(', '));
  return db.$queryRaw<StoredRow[]>`SELECT ${columns} FROM ${Prisma.raw(`"${TABLES[model]}"`)} WHERE "id" > ${after} ORDER BY "id" LIMIT ${limit}`.then((rows) =>
    rows.map((row) => {
      const stored: StoredRow = { ...row, id: Number(row.id) };
      for (const field of SEALED_FIELDS[model]) if (SEALED_JSON_FIELDS.has(field)) stored[field] = jsonValue(stored[field] ?? null);
      return stored;
    }),
  );
}

/** A JSON column read raw: SQLite may give its text, PostgreSQL the parsed value. */
function jsonValue(value: StoredValue): StoredValue {
  return typeof value === 'string' && /^["{[]/.test(value) ? (JSON.parse(value) as StoredValue) : value;
}

/** Rows of every table with sealed fields; its typed twin is in tests/integration/writeStatementTwins.test.ts. */
export async function countSealableRows(db: Db): Promise<number> {
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
export async function textKeyUses(
  db: Db,
  keyring: TextKeyring,
  options: { now: Date; backupRetentionDays: number; attachmentDir?: string },
): Promise<{ keys: TextKeyUse[]; clear: number }> {
  const counts = await countByKey(db, options.attachmentDir);
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

/** Values per key, attachment files included when their folder is given. */
async function countByKey(db: Db, attachmentDir: string | undefined): Promise<Map<string | null, number>> {
  const counts = attachmentDir === undefined ? new Map<string | null, number>() : await attachmentKeyCounts(attachmentDir);
  for (const model of Object.keys(TABLES) as SealedModel[]) {
    let after = 0;
    for (;;) {
      const rows = await storedRows(db, model, after, 1000);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      for (const row of rows) {
        for (const field of SEALED_FIELDS[model]) {
          const id = keyOfStored(row[field] ?? null);
          if (id === undefined) continue;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
    }
  }
  return counts;
}

async function recordUnusedKeys(db: Db, keyring: TextKeyring, now: Date, attachmentDir: string | undefined): Promise<void> {
  const counts = await countByKey(db, attachmentDir);
  for (const id of keyring.ids()) {
    if (id === keyring.currentId || (counts.get(id) ?? 0) > 0) continue;
    const key = `${UNUSED_SINCE_PREFIX}${id}`;
    await db.serviceSetting.upsert({ where: { key }, create: { key, value: now.toISOString() }, update: {} });
  }
}
