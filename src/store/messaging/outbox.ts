import type { OutboundMessage } from '../../channel';
import { Prisma, type Db, type Tx } from '../db/database';
import { freshestAddresses } from './identities';
import type { Engine } from '../db/providers';
import { keyringOf, sealedJsonColumns, sealedJsonColumnsOffThread, sealedTextColumn, sealedTextColumns, sealedTextColumnsOffThread } from '../crypto/sealedTexts';

/** A prompt or alert that knows what it is: its kind's key, template fields and rendered text (src/texts/keyedMessages.ts). */
export interface KeyedText {
  key: string;
  params: Record<string, string>;
  text: string;
}

/** What the queue takes: plain text (answers) or a keyed prompt or alert. */
export type Outgoing = string | KeyedText;

/** The row's columns for an outgoing message: answers carry no key. */
function keyedColumns(message: Outgoing): { text: string; messageKey: string | null; params: Record<string, string> | null } {
  return typeof message === 'string' ? { text: message, messageKey: null, params: null } : { text: message.text, messageKey: message.key, params: message.params };
}

export interface QueueOptions {
  now: Date;
  /** The inbound message this answers, so the HTTP channel can return it as a reply. */
  inboxMessageId?: number;
  /** One row per key, ever: a re-run of the same prompt writes nothing. */
  dedupeKey?: string;
  /** Sent at once, even in quiet hours. */
  urgent?: boolean;
}

export interface Address {
  channel: string;
  botAccount: string;
  address: string;
  isRoom: boolean;
  personId?: number;
}

const OUTBOUND_FIELDS = { id: true, channel: true, botAccount: true, address: true, isRoom: true, text: true, messageKey: true, params: true } as const;

/** Prisma reads params as any JSON: the queue only ever writes an object of strings. */
function outbound<T extends { params: Prisma.JsonValue }>(row: T): Omit<T, 'params'> & { params: Record<string, string> | null } {
  return { ...row, params: row.params as Record<string, string> | null };
}

/**
 * What each unit of work queued in answer to inbound messages, in the order written: handling hands
 * it to the channel that answers its caller (the HTTP channel), where reading the rows back after
 * the COMMIT was a round trip a message. Weak, so it goes with the unit's client.
 */
const answersQueued = new WeakMap<Tx, Array<{ inboxMessageId: number; message: OutboundMessage }>>();

/** What this unit of work queued in answer to one inbound message: its replies, as repliesTo reads them once committed. */
export function answersQueuedIn(tx: Tx, inboxMessageId: number): OutboundMessage[] {
  return (answersQueued.get(tx) ?? []).filter((answer) => answer.inboxMessageId === inboxMessageId).map((answer) => answer.message);
}

/**
 * Queues one message to an address; with a dedupeKey already used, nothing is written. One raw
 * INSERT … ON CONFLICT DO NOTHING (a null key conflicts with nothing): every answer writes one, and
 * the typed client spends three times its CPU (BENCHMARKS.md "Chat path, round three"). The text
 * and template fields are sealed as the typed client's extension seals them (sealedTexts.ts). Its
 * typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function queueMessage(tx: Tx, to: Address, message: Outgoing, options: QueueOptions): Promise<void> {
  const { text, messageKey, params } = keyedColumns(message);
  const sealedText = sealedTextColumn(tx, text);
  // A JSON column takes JSON text on both engines; sealed, the value is one JSON string.
  const [paramsJson] = sealedJsonColumns(tx, [params]);
  const [written] = await tx.$queryRaw<Array<{ id: number | bigint }>>`
    INSERT INTO "OutboxMessage" ("channel", "botAccount", "address", "isRoom", "personId", "text", "messageKey", "params", "urgent", "dedupeKey", "inboxMessageId", "nextAttemptAt", "createdAt")
    VALUES (${to.channel}, ${to.botAccount}, ${to.address}, ${to.isRoom}, ${to.personId ?? null}, ${sealedText}, ${messageKey}, ${paramsJson}, ${options.urgent ?? false},
      ${options.dedupeKey ?? null}, ${options.inboxMessageId ?? null}, ${options.now}, ${options.now})
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "id"`;
  if (!written || options.inboxMessageId === undefined) return;
  let answers = answersQueued.get(tx);
  if (!answers) answersQueued.set(tx, (answers = []));
  answers.push({
    inboxMessageId: options.inboxMessageId,
    message: { id: Number(written.id), channel: to.channel, botAccount: to.botAccount, address: to.address, isRoom: to.isRoom, text, messageKey, params },
  });
}

export interface Prompt {
  to: Address;
  text: Outgoing;
  dedupeKey: string;
}

/** A prompt as its row stores it: text and template fields sealed (sealedTexts.ts), the fields as JSON text. */
export interface SealedPrompt {
  to: Address;
  dedupeKey: string;
  messageKey: string | null;
  text: string;
  params: string | null;
}

/**
 * Seals prompts for queueSealedPromptsOnce on the keyring's own thread (sealingThread.ts), so that
 * a job goes on with its next batch meanwhile: on SQLite everything else runs on this one thread
 * (BENCHMARKS.md, holiday prompt).
 */
export async function sealPrompts(db: Db | Tx, prompts: readonly Prompt[]): Promise<SealedPrompt[]> {
  const columns = prompts.map(({ text }) => keyedColumns(text));
  const [texts, params] = await Promise.all([
    sealedTextColumnsOffThread(db, columns.map((column) => column.text)),
    sealedJsonColumnsOffThread(db, columns.map((column) => column.params)),
  ]);
  return sealedPromptsOf(prompts, columns, texts, params);
}

/** As sealPrompts, on this thread. */
function sealPromptsHere(db: Db | Tx, prompts: readonly Prompt[]): SealedPrompt[] {
  const columns = prompts.map(({ text }) => keyedColumns(text));
  const texts = sealedTextColumns(db, columns.map((column) => column.text));
  const params = sealedJsonColumns(db, columns.map((column) => column.params));
  return sealedPromptsOf(prompts, columns, texts, params);
}

function sealedPromptsOf(prompts: readonly Prompt[], columns: ReadonlyArray<{ messageKey: string | null }>, texts: readonly string[], params: ReadonlyArray<string | null>): SealedPrompt[] {
  return prompts.map(({ to, dedupeKey }, index) => ({ to, dedupeKey, messageKey: columns[index]!.messageKey, text: texts[index]!, params: params[index]! }));
}

/** Prompts per INSERT: 9,000 bound values on SQLite (its limit is 32,766), one JSON text of some hundreds of kilobytes on PostgreSQL. */
const PROMPTS_PER_INSERT = 1000;

type PromptRow = [channel: string, botAccount: string, address: string, isRoom: boolean, personId: number | null, text: string, dedupeKey: string, messageKey: string | null, params: string | null];

const PROMPT_ROW_WIDTH = 9;

/**
 * Each engine's rows. SQLite binds them as VALUES: from one JSON text its JSON functions parse each
 * row's array once per column, and the INSERT took some 35% longer (BENCHMARKS.md, holiday prompt).
 * PostgreSQL takes one JSON text (bound one by one, the values cost more than the inserts), and
 * reads jsonb's elements about twice as fast as json's.
 */
const PROMPT_ROWS: Record<Engine, (rows: PromptRow[]) => Prisma.Sql> = {
  sqlite: (rows) => new Prisma.Sql(valuesOfRows(rows.length), rows.flat()),
  postgresql: (rows) =>
    Prisma.sql`SELECT r ->> 0, r ->> 1, r ->> 2, (r ->> 3)::boolean, (r ->> 4)::integer, r ->> 5, r ->> 6, r ->> 7, (r ->> 8)::jsonb FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) r`,
};

/** The text around a VALUES list's placeholders: `, ` within a row, `), (` between rows. */
function valuesOfRows(rows: number): string[] {
  const strings = ['VALUES ('];
  for (let value = 1; value < rows * PROMPT_ROW_WIDTH; value += 1) strings.push(value % PROMPT_ROW_WIDTH === 0 ? '), (' : ', ');
  strings.push(')');
  return strings;
}

/**
 * Queues many prompts, sealed on this thread: the weekly fan-out's batches overlap on PostgreSQL
 * already, and with the sealing thread its peak RSS at 100,000 children measured 304.5 MB against
 * 257.8 MB without, over its 300 MB target (BENCHMARKS.md, holiday prompt).
 */
export async function queuePromptsOnce(db: Db | Tx, engine: Engine, prompts: Prompt[], now: Date): Promise<number> {
  return queueSealedPromptsOnce(db, engine, sealPromptsHere(db, prompts), now);
}

/**
 * Queues many sealed prompts, a thousand rows a statement (one upsert a row is some 30× slower). A
 * prompt whose dedupe key is already used, by a re-run or by another instance running the same
 * occurrence at that moment, is skipped rather than failing the batch, and so is a prompt to a
 * person who paused their prompts. Returns how many rows were written.
 */
export async function queueSealedPromptsOnce(db: Db | Tx, engine: Engine, prompts: readonly SealedPrompt[], now: Date): Promise<number> {
  const unpaused = Prisma.sql`WHERE NOT EXISTS (SELECT 1 FROM "Person" WHERE "Person"."id" = "prompt"."personId" AND "Person"."promptsPausedUntil" > ${now})`;
  let written = 0;
  for (let start = 0; start < prompts.length; start += PROMPTS_PER_INSERT) {
    const rows = prompts
      .slice(start, start + PROMPTS_PER_INSERT)
      .map(({ to, text, dedupeKey, messageKey, params }): PromptRow => [to.channel, to.botAccount, to.address, to.isRoom, to.personId ?? null, text, dedupeKey, messageKey, params]);
    // A person who paused prompts (暂停提醒, 退订) gets none. The WHERE also keeps SQLite from reading the ON CONFLICT as part of the SELECT.
    written += await db.$executeRaw`WITH "prompt" ("channel", "botAccount", "address", "isRoom", "personId", "text", "dedupeKey", "messageKey", "params") AS (${PROMPT_ROWS[engine](rows)})
      INSERT INTO "OutboxMessage" ("channel", "botAccount", "address", "isRoom", "personId", "text", "dedupeKey", "messageKey", "params", "urgent", "nextAttemptAt", "createdAt")
      SELECT *, false, ${now}, ${now} FROM "prompt"
      ${unpaused}
      ON CONFLICT ("dedupeKey") DO NOTHING`;
  }
  return written;
}

/** The chat identity a person last wrote from (identities.ts freshestAddresses): that is where they will read an answer. */
export async function addressOfPerson(tx: Tx, personId: number): Promise<Address | null> {
  return (await freshestAddresses(tx, [personId])).get(personId) ?? null;
}

/** Queues a message to a person; false when they have not bound any chat identity yet. */
export async function queueToPerson(tx: Tx, personId: number, text: Outgoing, options: QueueOptions): Promise<boolean> {
  const to = await addressOfPerson(tx, personId);
  if (!to) return false;
  await queueMessage(tx, to, text, options);
  return true;
}

/** Posts to every care room bound to the child's family. */
export async function queueToCareRooms(tx: Tx, childId: number, text: Outgoing, options: QueueOptions): Promise<number> {
  const rooms = await careRoomsOf(tx, childId);
  for (const room of rooms) {
    const dedupeKey = options.dedupeKey === undefined ? undefined : `${options.dedupeKey}:room${room.id}`;
    await queueMessage(tx, { channel: room.channel, botAccount: room.botAccount, address: room.externalId, isRoom: true }, text, { ...options, dedupeKey });
  }
  return rooms.length;
}

/**
 * A child's care rooms, oldest first: raw, because every 已联系 asks and almost every child has
 * none, and the typed client spends three times the statement's CPU finding that out
 * (BENCHMARKS.md "Chat path, round three"). Its typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function careRoomsOf(tx: Db | Tx, childId: number): Promise<Array<{ id: number; channel: string; botAccount: string; externalId: string }>> {
  const rows = await tx.$queryRaw<Array<{ id: number | bigint; channel: string; botAccount: string; externalId: string }>>`
    SELECT "id", "channel", "botAccount", "externalId" FROM "CareRoom" WHERE "childId" = ${childId} ORDER BY "id"`;
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/**
 * What handling one inbound message queued, read back once committed: the HTTP channel's answer to a
 * duplicate, or to a message whose handling failed (answersQueuedIn gives it otherwise). Raw, as the
 * rows were written (queueMessage), the texts opened as the typed client's extension opens them.
 * Its typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function repliesTo(db: Db, inboxMessageId: number): Promise<OutboundMessage[]> {
  const rows = await db.$queryRaw<Array<{ id: number | bigint; channel: string; botAccount: string; address: string; isRoom: boolean | number; text: string; messageKey: string | null; params: unknown }>>`
    SELECT "id", "channel", "botAccount", "address", "isRoom", "text", "messageKey", "params" FROM "OutboxMessage" WHERE "inboxMessageId" = ${inboxMessageId} ORDER BY "id"`;
  const keyring = keyringOf(db);
  return rows.map((row) => {
    return {
      id: Number(row.id),
      channel: row.channel,
      botAccount: row.botAccount,
      address: row.address,
      isRoom: Boolean(Number(row.isRoom)),
      text: keyring ? (keyring.open(row.text) as string) : row.text,
      messageKey: row.messageKey,
      // Both engines hand the JSON column back parsed: a sealed value is one JSON string.
      params: (keyring ? keyring.open(row.params) : row.params) as Record<string, string> | null,
    };
  });
}

/** Everything queued to one address on a channel after a cursor (the row id), oldest first. */
export async function outboxForAddress(
  db: Db,
  query: { channel: string; address: string; after: number; limit: number },
): Promise<Array<OutboundMessage & { createdAt: Date }>> {
  const rows = await db.outboxMessage.findMany({
    where: { channel: query.channel, address: query.address, id: { gt: query.after } },
    orderBy: { id: 'asc' },
    take: query.limit,
    select: { ...OUTBOUND_FIELDS, createdAt: true },
  });
  return rows.map(outbound);
}
