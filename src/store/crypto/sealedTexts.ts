// The generated client, not database.ts's Db: database.ts wires this extension in.
import type { PrismaClient as Db } from '../generated/sqlite/client';
import type { TextKeyring } from './textKeyring';

/**
 * The free texts that describe a child's harm, health or family: sealed on every write and
 * opened on every read, here and nowhere else, so nothing above the store sees ciphertext.
 * Names stay clear so that searching by name keeps working (README "Sensitive texts at rest").
 */
export const SEALED_FIELDS = {
  report: ['description', 'actionsTaken'],
  caseStep: ['note'],
  teacherCheckIn: ['note'],
  riskAssessment: ['note'],
  child: ['familySituation', 'healthStatus'],
  guardianshipAgreement: ['guardianHealth', 'capacityNote', 'note'],
  dataRequest: ['text', 'answer'],
  // What is asked of a department about a case and what it answers (or why it gave the case back).
  referral: ['request', 'feedback', 'returnReason'],
  // The sender's display name on the platform, and the handling error, which may quote the message.
  inboxMessage: ['text', 'fromName', 'error'],
  outboxMessage: ['text', 'params'],
} as const satisfies Record<string, readonly string[]>;

export type SealedModel = keyof typeof SEALED_FIELDS;

/** Each model's table, for the readers of stored values as they are (rotation, backups). */
export const SEALED_TABLES: Record<SealedModel, string> = {
  report: 'Report',
  caseStep: 'CaseStep',
  teacherCheckIn: 'TeacherCheckIn',
  riskAssessment: 'RiskAssessment',
  child: 'Child',
  guardianshipAgreement: 'GuardianshipAgreement',
  dataRequest: 'DataRequest',
  referral: 'Referral',
  inboxMessage: 'InboxMessage',
  outboxMessage: 'OutboxMessage',
};

const FIELDS_BY_MODEL: Record<string, readonly string[]> = {
  Report: SEALED_FIELDS.report,
  CaseStep: SEALED_FIELDS.caseStep,
  TeacherCheckIn: SEALED_FIELDS.teacherCheckIn,
  RiskAssessment: SEALED_FIELDS.riskAssessment,
  Child: SEALED_FIELDS.child,
  GuardianshipAgreement: SEALED_FIELDS.guardianshipAgreement,
  DataRequest: SEALED_FIELDS.dataRequest,
  Referral: SEALED_FIELDS.referral,
  InboxMessage: SEALED_FIELDS.inboxMessage,
  OutboxMessage: SEALED_FIELDS.outboxMessage,
};

/** Sealed fields that are JSON columns: their value (an object) is sealed as JSON, stored as a JSON string. */
export const SEALED_JSON_FIELDS: ReadonlySet<string> = new Set(['params']);

/** Relations through which a nested write can carry a sealed field. */
const NESTED: Record<string, Record<string, string>> = {
  Report: { steps: 'CaseStep', checkIns: 'TeacherCheckIn' },
  Child: { checkIns: 'TeacherCheckIn', assessments: 'RiskAssessment', agreements: 'GuardianshipAgreement', reports: 'Report' },
};

const WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert']);

/** The client with sealing applied; typed as the plain client, which it behaves as. */
export function withSealedTexts(db: Db, keyring: TextKeyring): Db {
  return db.$extends({
    // The raw-SQL writers (the outbox's batch of prompts) seal with the same ring: keyringOf.
    client: { $textKeyring: keyring },
    query: {
      $allModels: {
        $allOperations: async ({ model, operation, args, query }) => {
          if (WRITES.has(operation) && FIELDS_BY_MODEL[model] !== undefined) sealArgs(model, args as Record<string, unknown>, keyring);
          return openAll(await query(args), keyring);
        },
      },
    },
  }) as unknown as Db;
}

/** The ring the client seals with, inside a transaction too; none on a client opened without one. */
export function keyringOf(db: object): TextKeyring | undefined {
  return (db as { $textKeyring?: TextKeyring }).$textKeyring;
}

/** '' stays '': retention's purged texts are found by it, and it says nothing. */
const needsSealing = (text: string): boolean => text !== '';

/**
 * Text columns as a raw statement writes them, sealed as the extension seals them; a client opened
 * without a ring writes them clear. Many at once draw their IVs together (TextKeyring.sealAll).
 */
export function sealedTextColumns(db: object, texts: readonly string[]): string[] {
  const keyring = keyringOf(db);
  return keyring ? sealingSome(texts, needsSealing, (values) => keyring.sealAll(values)) : [...texts];
}

export function sealedTextColumn(db: object, text: string): string {
  return sealedTextColumns(db, [text])[0]!;
}

const isPresent = (value: object | null): value is object => value !== null;

/** JSON columns (template fields) as a raw statement writes them: JSON text, sealed as the extension seals them; null stays null. */
export function sealedJsonColumns(db: object, values: ReadonlyArray<object | null>): Array<string | null> {
  const keyring = keyringOf(db);
  return asJsonColumns(keyring ? sealingSome(values, isPresent, (present) => keyring.sealJsonAll(present)) : values);
}

/** Below this many values a batch is sealed here: the round trip to the thread costs more than it saves. */
const OFF_THREAD_FROM = 64;

/** As sealedTextColumns, a large batch sealed on the keyring's worker thread while this one goes on. */
export async function sealedTextColumnsOffThread(db: object, texts: readonly string[]): Promise<string[]> {
  const keyring = keyringOf(db);
  if (!keyring || texts.length < OFF_THREAD_FROM) return sealedTextColumns(db, texts);
  return puttingBack(texts, needsSealing, await keyring.offThread().sealAll(texts.filter(needsSealing)));
}

/** As sealedJsonColumns, a large batch sealed on the keyring's worker thread while this one goes on. */
export async function sealedJsonColumnsOffThread(db: object, values: ReadonlyArray<object | null>): Promise<Array<string | null>> {
  const keyring = keyringOf(db);
  if (!keyring || values.length < OFF_THREAD_FROM) return sealedJsonColumns(db, values);
  return asJsonColumns(puttingBack(values, isPresent, await keyring.offThread().sealJsonAll(values.filter(isPresent))));
}

const asJsonColumns = (values: ReadonlyArray<unknown>): Array<string | null> => values.map((value) => (value === null ? null : JSON.stringify(value)));

/** The values with those that need it sealed, all at once; the others as they are. */
function sealingSome<T>(values: readonly T[], needed: (value: T) => boolean, seal: (values: T[]) => string[]): Array<T | string> {
  return puttingBack(values, needed, seal(values.filter(needed)));
}

/** The values with those that needed sealing replaced, in order, by their sealed forms. */
function puttingBack<T>(values: readonly T[], needed: (value: T) => boolean, sealed: readonly string[]): Array<T | string> {
  let next = 0;
  return values.map((value) => (needed(value) ? sealed[next++]! : value));
}

function sealArgs(model: string, args: Record<string, unknown>, keyring: TextKeyring): void {
  for (const key of ['data', 'create', 'update'] as const) {
    const data = args[key];
    if (Array.isArray(data)) for (const row of data) sealData(model, row as Record<string, unknown>, keyring);
    else if (data && typeof data === 'object') sealData(model, data as Record<string, unknown>, keyring);
  }
}

function sealData(model: string, data: Record<string, unknown>, keyring: TextKeyring): void {
  const fields = FIELDS_BY_MODEL[model] ?? [];
  for (const field of fields) {
    const value = data[field];
    if (typeof value === 'string') data[field] = needsSealing(value) ? keyring.seal(value) : value;
    else if (SEALED_JSON_FIELDS.has(field) && isPlainJson(value)) data[field] = keyring.sealJson(value);
    else if (value && typeof value === 'object' && typeof (value as { set?: unknown }).set === 'string') {
      data[field] = { set: keyring.seal((value as { set: string }).set) };
    }
  }
  for (const [relation, target] of Object.entries(NESTED[model] ?? {})) {
    const nested = data[relation];
    if (!nested || typeof nested !== 'object') continue;
    for (const [operation, payload] of Object.entries(nested as Record<string, unknown>)) {
      const rows = operation === 'createMany' ? (payload as { data: unknown }).data : payload;
      for (const row of Array.isArray(rows) ? rows : [rows]) {
        if (!row || typeof row !== 'object') continue;
        if (operation === 'upsert' || operation === 'connectOrCreate') sealArgs(target, row as Record<string, unknown>, keyring);
        else if (operation === 'update' || operation === 'updateMany') sealArgs(target, row as Record<string, unknown>, keyring);
        else if (operation === 'create' || operation === 'createMany') sealData(target, row as Record<string, unknown>, keyring);
      }
    }
  }
}

/** An object or array written as JSON; Prisma's DbNull and JsonNull are instances of their own classes. */
function isPlainJson(value: unknown): boolean {
  return Array.isArray(value) || (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype);
}

/** Opens every sealed string in a result, however deeply included. */
function openAll(value: unknown, keyring: TextKeyring): unknown {
  if (typeof value === 'string') return keyring.open(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) value[index] = openAll(value[index], keyring);
    return value;
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const field = record[key];
      if (typeof field === 'string' || (field && typeof field === 'object')) record[key] = openAll(field, keyring);
    }
  }
  return value;
}
