import { Prisma, type Db, type PersonRole, type Tx } from '../db/database';

export interface Sender {
  identityId: number;
  person: { id: number; name: string; role: PersonRole; areaId: number };
  /** False when the person had no dialog or memory row as the message was identified: the router need not read them. */
  mayHaveDialog: boolean;
}

const PERSON_FIELDS = { id: true, name: true, role: true, areaId: true } as const;

/** The stable tag a platform keeps on a bound contact (a WeChat remark). */
export function personTag(personId: number): string {
  return `SW-${personId}`;
}

/** The person a tag names, or null. */
export function personIdOfTag(tag: string | undefined): number | null {
  const match = /^SW-(\d+)$/.exec(tag?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Who sent a message from an identity not known yet (the claim's markIdentitySeen found none).
 * Some puppets give a contact a new id at every login: an unknown id whose tag names a person
 * bound on this channel and account is that person, and the new id is recorded so the next
 * message is recognised directly. On a channel whose ids are the organisation directory's userids
 * (WeCom), an unknown id that a person's record carries as their userid is that person: bound on
 * their first message, when it is handled.
 */
export async function identifyNewSender(
  tx: Tx,
  from: { channel: string; botAccount: string; externalId: string; tag?: string; directory?: boolean },
  now: Date,
): Promise<Sender | null> {
  const key = { channel: from.channel, botAccount: from.botAccount, externalId: from.externalId };
  if (from.directory) {
    const person = await tx.person.findFirst({ where: { wecomUserId: from.externalId }, select: PERSON_FIELDS });
    if (person) {
      const identity = await tx.chatIdentity.create({ data: { ...key, personId: person.id, boundAt: now, lastSeenAt: now }, select: { id: true } });
      return { identityId: identity.id, person, mayHaveDialog: true };
    }
  }
  const personId = personIdOfTag(from.tag);
  if (personId === null) return null;
  const previous = await tx.chatIdentity.findFirst({
    where: { personId, channel: from.channel, botAccount: from.botAccount },
    orderBy: { lastSeenAt: 'desc' },
    include: { person: { select: PERSON_FIELDS } },
  });
  if (!previous) return null;
  await tx.chatIdentity.update({ where: { id: previous.id }, data: { externalId: from.externalId, lastSeenAt: now } });
  return { identityId: previous.id, person: previous.person, mayHaveDialog: true };
}

/** What markIdentitySeen's RETURNING gives; the claim on PostgreSQL returns the same beside the row (inbox.ts). */
export interface SeenIdentityRow {
  identityId: number | bigint;
  personId: number | bigint;
  name: string;
  role: PersonRole;
  areaId: number | bigint;
  dialogs: boolean | number | bigint;
}

/** The RETURNING of an UPDATE of "ChatIdentity" that marks a known identity seen: its person and whether they have any dialog row. */
export const SEEN_IDENTITY_COLUMNS = Prisma.sql`"ChatIdentity"."id" AS "identityId", "ChatIdentity"."personId" AS "personId",
  (SELECT p."name" FROM "Person" p WHERE p."id" = "ChatIdentity"."personId") AS "name",
  (SELECT p."role" FROM "Person" p WHERE p."id" = "ChatIdentity"."personId") AS "role",
  (SELECT p."areaId" FROM "Person" p WHERE p."id" = "ChatIdentity"."personId") AS "areaId",
  EXISTS (SELECT 1 FROM "ChatDialog" d WHERE d."personId" = "ChatIdentity"."personId") AS "dialogs"`;

/** The sender such a RETURNING names. */
export function seenSender(row: SeenIdentityRow): Sender {
  return {
    identityId: Number(row.identityId),
    person: { id: Number(row.personId), name: row.name, role: row.role, areaId: Number(row.areaId) },
    mayHaveDialog: Boolean(Number(row.dialogs)),
  };
}

/**
 * A known identity marked seen, with its person and whether they have any dialog row: one raw
 * UPDATE … RETURNING for what the typed client needs three statements for (this runs for every
 * inbound message; BENCHMARKS.md "Chat path, round three"). Writing again (after following again)
 * makes an unfollowed identity reachable. Read in the handling transaction, never cached, so a
 * binding made by another instance counts at once. Its typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function markIdentitySeen(tx: Tx, key: { channel: string; botAccount: string; externalId: string }, now: Date): Promise<Sender | null> {
  const [row] = await tx.$queryRaw<SeenIdentityRow[]>`
    UPDATE "ChatIdentity" SET "lastSeenAt" = ${now}, "unreachableAt" = NULL
    WHERE "channel" = ${key.channel} AND "botAccount" = ${key.botAccount} AND "externalId" = ${key.externalId}
    RETURNING ${SEEN_IDENTITY_COLUMNS}`;
  return row ? seenSender(row) : null;
}

/** The person unfollowed the official account: the identity is kept for the record, and nothing is sent to it. */
export async function markIdentityUnreachable(db: Db | Tx, identity: { channel: string; botAccount: string; externalId: string }, now: Date): Promise<void> {
  await db.chatIdentity.updateMany({ where: identity, data: { unreachableAt: now } });
}

export async function isIdentityUnreachable(db: Db, identity: { channel: string; botAccount: string; externalId: string }): Promise<boolean> {
  return (await db.chatIdentity.count({ where: { ...identity, unreachableAt: { not: null } } })) > 0;
}

/**
 * Staff with a WeCom userid on their record reach the WeCom application without binding: each
 * gets the chat identity of that userid on the account. Returns how many were added.
 */
export async function bindWecomUsers(db: Db, channel: string, botAccount: string, now: Date): Promise<number> {
  const people = await db.person.findMany({
    where: { wecomUserId: { not: null }, identities: { none: { channel, botAccount } } },
    select: { id: true, wecomUserId: true },
  });
  let added = 0;
  for (const person of people) {
    const key = { channel, botAccount, externalId: person.wecomUserId! };
    if (await db.chatIdentity.count({ where: key })) continue;
    await db.chatIdentity.create({ data: { ...key, personId: person.id, boundAt: now, lastSeenAt: now } });
    added += 1;
  }
  return added;
}

/** The code of the area a chat identity's person serves (a township officer's township). */
export async function areaCodeOfIdentity(db: Db, identity: { channel: string; botAccount: string; externalId: string }): Promise<string | null> {
  const found = await db.chatIdentity.findFirst({ where: identity, select: { person: { select: { area: { select: { code: true } } } } } });
  return found?.person.area.code ?? null;
}

/** Where a person is written to: a private chat on the channel and bot account of an identity. */
export interface PersonAddress {
  channel: string;
  botAccount: string;
  address: string;
  isRoom: false;
  personId: number;
}

/**
 * Each person's freshest chat identity: the one they last wrote from (ties: the newest bound),
 * where they will read an answer; an identity the platform reports unreachable (unfollowed) only
 * when there is no other. The one rule for every message to a person; the contact-week
 * SQL (contactWeeks.ts awayParentWeeks) orders by the same columns.
 */
export async function freshestAddresses(db: Db | Tx, personIds: readonly number[]): Promise<Map<number, PersonAddress>> {
  const addresses = new Map<number, PersonAddress>();
  if (personIds.length === 0) return addresses;
  const identities = await db.chatIdentity.findMany({ where: { personId: { in: [...personIds] } }, orderBy: [{ unreachableAt: { sort: 'asc', nulls: 'first' } }, { lastSeenAt: 'desc' }, { id: 'desc' }] });
  for (const identity of identities) {
    if (addresses.has(identity.personId)) continue;
    addresses.set(identity.personId, { channel: identity.channel, botAccount: identity.botAccount, address: identity.externalId, isRoom: false, personId: identity.personId });
  }
  return addresses;
}

/** Binds a chat identity to a person unless it is bound already (the terminal chat's identity). */
export async function ensureChatIdentity(db: Db, identity: { channel: string; botAccount: string; externalId: string }, person: { id: number; name: string }): Promise<void> {
  await db.chatIdentity.upsert({
    where: { channel_botAccount_externalId: identity },
    create: { ...identity, personId: person.id, displayName: person.name },
    update: {},
  });
}
