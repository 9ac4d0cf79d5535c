import type { OutboundMessage } from '../channel';
import { Prisma, type Db, type Tx } from './database';
import { freshestAddresses } from './identities';
import type { Engine } from './providers';

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

const OUTBOUND_FIELDS = { id: true, channel: true, botAccount: true, address: true, isRoom: true, text: true } as const;

/** Queues one message to an address; with a dedupeKey already used, nothing is written. */
export async function queueMessage(tx: Tx, to: Address, text: string, options: QueueOptions): Promise<void> {
  const data = {
    channel: to.channel,
    botAccount: to.botAccount,
    address: to.address,
    isRoom: to.isRoom,
    personId: to.personId ?? null,
    text,
    urgent: options.urgent ?? false,
    inboxMessageId: options.inboxMessageId ?? null,
    nextAttemptAt: options.now,
    createdAt: options.now,
  };
  if (options.dedupeKey === undefined) {
    await tx.outboxMessage.create({ data, select: { id: true } });
    return;
  }
  await tx.outboxMessage.upsert({ where: { dedupeKey: options.dedupeKey }, create: { ...data, dedupeKey: options.dedupeKey }, update: {}, select: { id: true } });
}

export interface Prompt {
  to: Address;
  text: string;
  dedupeKey: string;
}

/** Prompts per INSERT: one JSON text of some hundreds of kilobytes. */
const PROMPTS_PER_INSERT = 1000;

/**
 * Each engine's rows from one JSON array of [channel, botAccount, address, isRoom, personId, text,
 * dedupeKey] arrays. One bound value a statement: bound one by one, the values cost Prisma more
 * than the database spends inserting them (BENCHMARKS.md). PostgreSQL reads jsonb's elements
 * about twice as fast as json's.
 */
const PROMPT_ROWS: Record<Engine, (json: string) => Prisma.Sql> = {
  sqlite: (json) => Prisma.sql`SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6 FROM json_each(${json}) r`,
  postgresql: (json) =>
    Prisma.sql`SELECT r ->> 0, r ->> 1, r ->> 2, (r ->> 3)::boolean, (r ->> 4)::integer, r ->> 5, r ->> 6 FROM jsonb_array_elements(${json}::jsonb) r`,
};

/**
 * Queues many prompts, a thousand rows a statement (one upsert a row is some 30× slower). A prompt
 * whose dedupe key is already used, by a re-run or by another instance running the same occurrence
 * at that moment, is skipped rather than failing the batch. Returns how many rows were written.
 */
export async function queuePromptsOnce(db: Db | Tx, engine: Engine, prompts: Prompt[], now: Date): Promise<number> {
  let written = 0;
  for (let start = 0; start < prompts.length; start += PROMPTS_PER_INSERT) {
    const json = JSON.stringify(
      prompts.slice(start, start + PROMPTS_PER_INSERT).map(({ to, text, dedupeKey }) => [to.channel, to.botAccount, to.address, to.isRoom, to.personId ?? null, text, dedupeKey]),
    );
    // WHERE true: without it SQLite reads the ON CONFLICT after INSERT … SELECT as part of the SELECT.
    written += await db.$executeRaw`WITH "prompt" ("channel", "botAccount", "address", "isRoom", "personId", "text", "dedupeKey") AS (${PROMPT_ROWS[engine](json)})
      INSERT INTO "OutboxMessage" ("channel", "botAccount", "address", "isRoom", "personId", "text", "dedupeKey", "urgent", "nextAttemptAt", "createdAt")
      SELECT *, false, ${now}, ${now} FROM "prompt" WHERE true ON CONFLICT ("dedupeKey") DO NOTHING`;
  }
  return written;
}

/** The chat identity a person last wrote from (identities.ts freshestAddresses): that is where they will read an answer. */
export async function addressOfPerson(tx: Tx, personId: number): Promise<Address | null> {
  return (await freshestAddresses(tx, [personId])).get(personId) ?? null;
}

/** Queues a message to a person; false when they have not bound any chat identity yet. */
export async function queueToPerson(tx: Tx, personId: number, text: string, options: QueueOptions): Promise<boolean> {
  const to = await addressOfPerson(tx, personId);
  if (!to) return false;
  await queueMessage(tx, to, text, options);
  return true;
}

/** Posts to every care room bound to the child's family. */
export async function queueToCareRooms(tx: Tx, childId: number, text: string, options: QueueOptions): Promise<number> {
  const rooms = await tx.careRoom.findMany({ where: { childId } });
  for (const room of rooms) {
    const dedupeKey = options.dedupeKey === undefined ? undefined : `${options.dedupeKey}:room${room.id}`;
    await queueMessage(tx, { channel: room.channel, botAccount: room.botAccount, address: room.externalId, isRoom: true }, text, { ...options, dedupeKey });
  }
  return rooms.length;
}

/** What handling one inbound message queued. */
export async function repliesTo(db: Db, inboxMessageId: number): Promise<OutboundMessage[]> {
  return db.outboxMessage.findMany({ where: { inboxMessageId }, orderBy: { id: 'asc' }, select: OUTBOUND_FIELDS });
}

/** Everything queued to one address on a channel after a cursor (the row id), oldest first. */
export async function outboxForAddress(
  db: Db,
  query: { channel: string; address: string; after: number; limit: number },
): Promise<Array<OutboundMessage & { createdAt: Date }>> {
  return db.outboxMessage.findMany({
    where: { channel: query.channel, address: query.address, id: { gt: query.after } },
    orderBy: { id: 'asc' },
    take: query.limit,
    select: { ...OUTBOUND_FIELDS, createdAt: true },
  });
}
