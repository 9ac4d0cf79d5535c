import { eldestFirst } from '../../domain/child';
import type { ClosedWeek } from '../../domain/contactStreak';
import { inArea, type AreaScope } from '../registry/areaScopeFilter';
import { Prisma, type ContactMethod, type ContactWeekStatus, type Db, type OutboxStatus, type Tx } from '../db/database';
import { peopleWithChildrenBatches, type LinkedChild, type PersonWithChildren } from '../registry/linkedPeople';
import type { Address } from '../messaging/outbox';
import { readingAhead } from '../db/readingAhead';

/** Away parents are read this many at a time: no job holds all of a large district in memory. */
export const AWAY_PARENT_BATCH_SIZE = 1000;

/** An away parent and the children they must keep in touch with. */
export type AwayParent = PersonWithChildren;

export interface AwayParentQuery {
  /**
   * Links that count: current ones (`{ current: true }`, for prompts this week), or the ones that
   * were in force for the whole of a closed week.
   */
  period: { current: true } | { start: Date; end: Date };
  /** Only parents who have bound a chat identity (prompts need somewhere to go). */
  withChatIdentity: boolean;
  batchSize?: number;
}

/** The rule of a link that counts, for the typed client; CURRENT_AWAY_LINK states the current case in SQL: change both together. */
function awayLinkWhere(period: AwayParentQuery['period']): Prisma.ChildLinkWhereInput {
  const base: Prisma.ChildLinkWhereInput = { kind: 'parent', worksAway: true, child: { archivedAt: null } };
  if ('current' in period) return { ...base, endedAt: null };
  // A link that began during the week is judged from the next week on: a parent invited on
  // Sunday night has not missed that week.
  return { ...base, startedAt: { lte: period.start }, OR: [{ endedAt: null }, { endedAt: { gte: period.end } }] };
}

/** Streams away parents in batches, each with all their qualifying children (see peopleWithChildrenBatches). */
export function awayParentBatches(db: Db | Tx, query: AwayParentQuery): AsyncGenerator<AwayParent[]> {
  const person = query.withChatIdentity ? { identities: { some: {} } } : {};
  return peopleWithChildrenBatches(db, { person, link: awayLinkWhere(query.period) }, query.batchSize ?? AWAY_PARENT_BATCH_SIZE);
}

/**
 * A parent's link to a child that counts this week (alias l), as awayLinkWhere's current case says
 * it for the typed client (the child's archivedAt is checked by the join); literals, so PostgreSQL
 * compares its enum without a cast.
 */
const CURRENT_AWAY_LINK = Prisma.sql`l."kind" = 'parent' AND l."worksAway" = true AND l."endedAt" IS NULL`;

/** An away parent with a bound chat, where prompts reach them, and whether each child has had a contact this week. */
export interface AwayParentWeek {
  id: number;
  name: string;
  /** The parent's freshest chat identity. */
  address: Address;
  /** Eldest first, as in the parent's numbered lists, each with the care rooms of its family. */
  children: Array<LinkedChild & { contacted: boolean; rooms: RoomAddress[] }>;
}

export interface RoomAddress extends Address {
  roomId: number;
}

interface AwayParentWeekRow {
  parentId: number | bigint;
  parentName: string;
  childId: number | bigint;
  childName: string;
  birthDate: string;
  areaId: number | bigint;
  channel: string;
  botAccount: string;
  externalId: string;
  contacted: unknown;
  paused: unknown;
}

interface CareRoomRow {
  id: number | bigint;
  childId: number | bigint;
  channel: string;
  botAccount: string;
  externalId: string;
}

/**
 * The weekly prompts' reader: away parents with a bound chat, in batches by person id, each with
 * their current children, whether a contact was logged this week, their care rooms, and their
 * address. Three SQL statements a batch, none with a list of ids: the typed client spent most of
 * the fan-out's time building and mapping nested relations for 1,000 parents (BENCHMARKS.md).
 */
export function awayParentWeekBatches(db: Db, weekKey: string, batchSize = AWAY_PARENT_BATCH_SIZE): AsyncGenerator<AwayParentWeek[]> {
  return awayParentSqlBatches(db, { weekKey }, batchSize);
}

/** An away parent with a bound chat, their address, whether their prompts are paused, and their current children, eldest first. */
export interface AwayParentAddress {
  id: number;
  name: string;
  address: Address;
  /** 暂停提醒 or 退订 is in force at the time asked about. */
  paused: boolean;
  children: LinkedChild[];
}

/**
 * The holiday question's reader: what awayParentWeekBatches reads without the week's contacts and
 * the care rooms, with whether each parent's prompts are paused at `now`; two statements a batch.
 * Its typed twin is awayParentBatches (current links, with a chat identity) with freshestAddresses
 * and pausedAmong; a test runs both on the same links.
 */
export async function* awayParentAddressBatches(db: Db, now: Date, batchSize = AWAY_PARENT_BATCH_SIZE): AsyncGenerator<AwayParentAddress[]> {
  for await (const parents of awayParentSqlBatches(db, { pausedAt: now }, batchSize)) {
    // Fields named, not spread: a city's 100,000 parents pass here per run.
    yield parents.map((parent) => ({
      id: parent.id,
      name: parent.name,
      address: parent.address,
      paused: parent.paused ?? false,
      children: parent.children.map((child) => ({ id: child.id, name: child.name, areaId: child.areaId })),
    }));
  }
}

/**
 * Both readers: with a week, its contacts and the care rooms too; without, neither (contacted
 * false, no rooms). With pausedAt, whether each parent's prompts are paused then.
 */
async function* awayParentSqlBatches(
  // Not a transaction: the next batch is read while the caller writes, which needs a second connection.
  db: Db,
  read: { weekKey: string } | { pausedAt: Date },
  batchSize: number,
): AsyncGenerator<Array<AwayParentWeek & { paused?: boolean }>> {
  const weekKey = 'weekKey' in read ? read.weekKey : null;
  const contacted =
    weekKey === null
      ? Prisma.sql`false`
      : Prisma.sql`EXISTS (SELECT 1 FROM "ContactLog" cl WHERE cl."parentId" = p."id" AND cl."childId" = c."id" AND cl."weekKey" = ${weekKey})`;
  const paused = 'pausedAt' in read ? Prisma.sql`(p."promptsPausedUntil" IS NOT NULL AND p."promptsPausedUntil" > ${read.pausedAt})` : Prisma.sql`false`;
  const readBatch = async (after: number) => {
    // The batch is a range of person ids, so each statement reads its links through the index
    // on (personId, kind) instead of scanning every link for the parents after the cursor.
    const [{ upTo: last } = { upTo: null }] = await db.$queryRaw<Array<{ upTo: number | bigint | null }>>`
      SELECT max("personId") AS "upTo" FROM (
        SELECT DISTINCT l."personId" FROM "ChildLink" l WHERE l."personId" > ${after} AND ${CURRENT_AWAY_LINK} ORDER BY l."personId" LIMIT ${batchSize}
      ) "batch"`;
    if (last === null) return null;
    const upTo = Number(last);
    // MATERIALIZED: planned as one query, PostgreSQL underestimates the batch's links and hashes
    // the whole Child table for each batch (28 ms against 9 ms at 100,000 children).
    const rows = await db.$queryRaw<AwayParentWeekRow[]>`
      WITH "pl" AS MATERIALIZED (
        SELECT l."personId", l."childId",
          -- the freshest chat identity, ordered as identities.ts freshestAddresses orders them
          (SELECT i2."id" FROM "ChatIdentity" i2 WHERE i2."personId" = l."personId" ORDER BY (i2."unreachableAt" IS NOT NULL), i2."lastSeenAt" DESC, i2."id" DESC LIMIT 1) AS "identityId"
        FROM "ChildLink" l
        WHERE l."personId" > ${after} AND l."personId" <= ${upTo} AND ${CURRENT_AWAY_LINK}
      )
      SELECT p."id" AS "parentId", p."name" AS "parentName",
        c."id" AS "childId", c."name" AS "childName", c."birthDate" AS "birthDate", c."areaId" AS "areaId",
        i."channel" AS "channel", i."botAccount" AS "botAccount", i."externalId" AS "externalId",
        ${contacted} AS "contacted", ${paused} AS "paused"
      FROM "pl"
      JOIN "Person" p ON p."id" = "pl"."personId"
      JOIN "Child" c ON c."id" = "pl"."childId" AND c."archivedAt" IS NULL
      JOIN "ChatIdentity" i ON i."id" = "pl"."identityId"
      ORDER BY p."id"`;
    const rooms =
      weekKey === null
        ? []
        : await db.$queryRaw<CareRoomRow[]>`
      SELECT r."id", r."childId", r."channel", r."botAccount", r."externalId" FROM "CareRoom" r
      WHERE r."childId" IN (SELECT l."childId" FROM "ChildLink" l WHERE l."personId" > ${after} AND l."personId" <= ${upTo} AND ${CURRENT_AWAY_LINK})
      ORDER BY r."id"`;
    return { upTo, parents: awayParentsOf(rows, rooms, 'pausedAt' in read) };
  };
  // The next batch is read while the caller writes this one's prompts.
  for await (const { page: batch } of readingAhead(0, readBatch, (done) => done?.upTo ?? null)) {
    if (batch !== null && batch.parents.length > 0) yield batch.parents;
  }
}

/** One batch's rows as parents, each child with its rooms, eldest first; with withPaused, whether the parent is paused. */
function awayParentsOf(rows: AwayParentWeekRow[], rooms: CareRoomRow[], withPaused: boolean): Array<AwayParentWeek & { paused?: boolean }> {
  const roomsOfChild = new Map<number, RoomAddress[]>();
  for (const room of rooms) {
    const childId = Number(room.childId);
    const address = { roomId: Number(room.id), channel: room.channel, botAccount: room.botAccount, address: room.externalId, isRoom: true };
    roomsOfChild.set(childId, [...(roomsOfChild.get(childId) ?? []), address]);
  }
  const parents = new Map<number, Omit<AwayParentWeek, 'children'> & { paused?: boolean; children: Array<AwayParentWeek['children'][number] & { birthDate: string }> }>();
  for (const row of rows) {
    const id = Number(row.parentId);
    let parent = parents.get(id);
    if (!parent) {
      const address = { channel: row.channel, botAccount: row.botAccount, address: row.externalId, isRoom: false, personId: id };
      parent = { id, name: row.parentName, address, ...(withPaused ? { paused: Boolean(row.paused) } : {}), children: [] };
      parents.set(id, parent);
    }
    const childId = Number(row.childId);
    parent.children.push({
      id: childId,
      name: row.childName,
      areaId: Number(row.areaId),
      birthDate: row.birthDate,
      contacted: Boolean(row.contacted),
      rooms: roomsOfChild.get(childId) ?? [],
    });
  }
  return [...parents.values()].map((parent) => ({
    ...parent,
    children: parent.children.sort(eldestFirst).map((child) => ({ id: child.id, name: child.name, areaId: child.areaId, contacted: child.contacted, rooms: child.rooms })),
  }));
}

export const pairKey = (parentId: number, childId: number): string => `${parentId}:${childId}`;

/**
 * Contacts logged in a week for a batch of parents, by pairKey(parent, child). Every ContactLog row
 * counts, whoever logged it: a guardian's 已联系 confirmation is stored with the parent's id.
 */
export async function contactCountsForWeek(db: Db | Tx, weekKey: string, parentIds: number[]): Promise<Map<string, number>> {
  if (parentIds.length === 0) return new Map();
  const groups = await db.contactLog.groupBy({
    by: ['parentId', 'childId'],
    where: { weekKey, parentId: { in: parentIds } },
    _count: { _all: true },
  });
  return new Map(groups.map((group) => [pairKey(group.parentId, group.childId), group._count._all]));
}

/** The missed-week run recorded for each pair in an earlier (closed) week. */
export async function missedStreaksForWeek(db: Db | Tx, weekKey: string, parentIds: number[]): Promise<Map<string, number>> {
  if (parentIds.length === 0) return new Map();
  const rows = await db.contactWeek.findMany({
    where: { weekKey, parentId: { in: parentIds } },
    select: { parentId: true, childId: true, missedStreak: true },
  });
  return new Map(rows.map((row) => [pairKey(row.parentId, row.childId), row.missedStreak]));
}

/** Writes (or rewrites, on a re-run) the verdict on one (parent, child, week). */
export async function saveContactWeek(
  tx: Tx,
  entry: { parentId: number; childId: number; weekKey: string; weekStart: Date; contactCount: number; verdict: ClosedWeek; closedAt: Date },
): Promise<{ id: number }> {
  const values = { status: entry.verdict.status, contactCount: entry.contactCount, missedStreak: entry.verdict.missedStreak, closedAt: entry.closedAt };
  return tx.contactWeek.upsert({
    where: { parentId_childId_weekKey: { parentId: entry.parentId, childId: entry.childId, weekKey: entry.weekKey } },
    create: { parentId: entry.parentId, childId: entry.childId, weekKey: entry.weekKey, weekStart: entry.weekStart, ...values },
    update: values,
    select: { id: true },
  });
}

/** Which of these outbox dedupe keys were already used (a re-run or a resumed run). */
export async function usedDedupeKeys(db: Db | Tx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.outboxMessage.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true } });
  return new Set(rows.map((row) => row.dedupeKey!));
}

/** The current guardians of each child. */
export async function guardiansOfChildren(db: Db | Tx, childIds: number[]): Promise<Map<number, Array<{ id: number; name: string }>>> {
  const guardians = new Map<number, Array<{ id: number; name: string }>>();
  if (childIds.length === 0) return guardians;
  const links = await db.childLink.findMany({
    where: { kind: 'guardian', endedAt: null, childId: { in: childIds } },
    orderBy: { id: 'asc' },
    select: { childId: true, person: { select: { id: true, name: true } } },
  });
  for (const link of links) guardians.set(link.childId, [...(guardians.get(link.childId) ?? []), link.person]);
  return guardians;
}

/** The child-welfare directors of each village. */
export async function directorsOfVillages(db: Db | Tx, areaIds: number[]): Promise<Map<number, Array<{ id: number; name: string }>>> {
  const directors = new Map<number, Array<{ id: number; name: string }>>();
  if (areaIds.length === 0) return directors;
  const people = await db.person.findMany({
    where: { role: 'director', areaId: { in: [...new Set(areaIds)] } },
    orderBy: { id: 'asc' },
    select: { id: true, name: true, areaId: true },
  });
  for (const person of people) directors.set(person.areaId, [...(directors.get(person.areaId) ?? []), { id: person.id, name: person.name }]);
  return directors;
}

const CONTACT_GAP_REPORT_ACTION = 'report.file.contact_gap';

/**
 * The contact_gap report already filed for a closed (parent, child, week), found through the audit
 * row written with it. The ContactWeek row is unique per (parent, child, week) and keeps its id
 * across re-runs (upsert), so this holds whatever the report's text or later state.
 */
export async function contactGapReportFor(tx: Tx, contactWeekId: number): Promise<{ id: number; number: string } | null> {
  const audit = await tx.auditLog.findFirst({
    where: { action: CONTACT_GAP_REPORT_ACTION, subjectType: 'ContactWeek', subjectId: String(contactWeekId) },
    select: { detail: true },
  });
  const reportId = (audit?.detail as { reportId?: unknown } | null | undefined)?.reportId;
  if (typeof reportId !== 'number') return null;
  return tx.report.findUnique({ where: { id: reportId }, select: { id: true, number: true } });
}

export async function recordContactGapReport(tx: Tx, contactWeekId: number, report: { id: number; number: string }, at: Date): Promise<void> {
  await tx.auditLog.create({
    data: {
      at,
      actor: 'system',
      action: CONTACT_GAP_REPORT_ACTION,
      subjectType: 'ContactWeek',
      subjectId: String(contactWeekId),
      detail: { reportId: report.id, number: report.number },
    },
  });
}

const CONTACT_WEEK_SELECT = {
  id: true,
  weekKey: true,
  weekStart: true,
  status: true,
  contactCount: true,
  missedStreak: true,
  closedAt: true,
  child: { select: { id: true, name: true, area: { select: { code: true, name: true } } } },
  parent: { select: { id: true, name: true } },
} as const;

export type ContactWeekRecord = Prisma.ContactWeekGetPayload<{ select: typeof CONTACT_WEEK_SELECT }>;

/** Closed contact weeks of children of the subtree (of a week, a child, a verdict), by id, one page (limit + 1 rows). */
export async function listContactWeeks(
  db: Db,
  filter: { within: AreaScope; weekKey?: string; childId?: number; status?: ContactWeekStatus; after?: number; limit: number },
): Promise<ContactWeekRecord[]> {
  return db.contactWeek.findMany({
    where: {
      child: inArea(filter.within),
      ...(filter.weekKey ? { weekKey: filter.weekKey } : {}),
      ...(filter.childId ? { childId: filter.childId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.after !== undefined ? { id: { gt: filter.after } } : {}),
    },
    select: CONTACT_WEEK_SELECT,
    orderBy: { id: 'asc' },
    take: filter.limit + 1,
  });
}

/** The two weekly prompts to an away parent who has not been in touch: Friday's reminder and Sunday's last call. */
export const CONTACT_PROMPT_JOBS = ['contact-reminder', 'contact-last-call'] as const;
export type ContactPromptJob = (typeof CONTACT_PROMPT_JOBS)[number];

/** The outbox dedupe key of a parent's personal prompt of a week: the one record that the parent was prompted. */
export function contactPromptKey(job: ContactPromptJob, parentId: number, weekKey: string): string {
  return `${job}:${parentId}:all:${weekKey}`;
}

/** A week's personal prompt to the parent and how far it got. */
export interface ContactPrompt {
  job: ContactPromptJob;
  status: OutboxStatus;
  sentAt: Date | null;
}

/**
 * For each listed week: the prompts its parent was sent that week (none when the parent had no
 * chat to send them to, or was in touch before Friday), and whether the parent can be reached now
 * (a bound chat identity not marked unreachable). Two reads for the whole page, by unique key and person.
 */
export async function contactWeekReach<W extends { weekKey: string; parent: { id: number } }>(
  db: Db,
  weeks: W[],
): Promise<Array<W & { prompts: ContactPrompt[]; reachable: boolean }>> {
  const keys = weeks.flatMap((week) => CONTACT_PROMPT_JOBS.map((job) => contactPromptKey(job, week.parent.id, week.weekKey)));
  const parentIds = [...new Set(weeks.map((week) => week.parent.id))];
  const [prompts, reachable] = await Promise.all([
    keys.length === 0 ? [] : db.outboxMessage.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true, status: true, sentAt: true } }),
    parentIds.length === 0 ? [] : db.chatIdentity.findMany({ where: { personId: { in: parentIds }, unreachableAt: null }, select: { personId: true }, distinct: ['personId'] }),
  ]);
  const promptOf = new Map(prompts.map((prompt) => [prompt.dedupeKey!, prompt]));
  const reachableIds = new Set(reachable.map((identity) => identity.personId));
  return weeks.map((week) => ({
    ...week,
    prompts: CONTACT_PROMPT_JOBS.flatMap((job) => {
      const prompt = promptOf.get(contactPromptKey(job, week.parent.id, week.weekKey));
      return prompt ? [{ job, status: prompt.status, sentAt: prompt.sentAt }] : [];
    }),
    reachable: reachableIds.has(week.parent.id),
  }));
}

/** Records one contact of a parent with a child, in the contact week it happened. */
export async function insertContactLog(
  tx: Tx,
  entry: { childId: number; parentId: number; loggedById: number; method: ContactMethod; minutes: number | null; contactedAt: Date; weekKey: string },
): Promise<void> {
  await tx.contactLog.create({ data: { ...entry, createdAt: entry.contactedAt } });
}

const CONTACT_METHOD_SQL: Record<ContactMethod, Prisma.Sql> = {
  video: Prisma.sql`'video'`,
  phone: Prisma.sql`'phone'`,
  visit: Prisma.sql`'visit'`,
};

/**
 * A parent's own contact (已联系), recorded, how many the pair now has in the week, and whether the
 * child has a care room to tell: one raw INSERT whose RETURNING counts the pair's other rows of the
 * week and looks for a room. The typed client spends about three times the CPU (BENCHMARKS.md "Chat
 * path, round three"), and almost no child has a room, so a read of the rooms of its own would be a
 * round trip that finds nothing. The new row is left out by its id: PostgreSQL's subquery sees the
 * table as the statement began, SQLite's sees the row inserted. The method goes in as a literal:
 * PostgreSQL compares its enum with a literal, not with a text parameter. Its typed twin is in
 * tests/integration/chatPathSql.test.ts.
 */
export async function logContactCounting(
  tx: Tx,
  entry: { childId: number; parentId: number; loggedById: number; method: ContactMethod; minutes: number | null; contactedAt: Date; weekKey: string },
): Promise<{ weekCount: number; childHasCareRoom: boolean }> {
  const [row] = await tx.$queryRaw<Array<{ before: number | bigint; careRoom: boolean | number | bigint }>>`
    INSERT INTO "ContactLog" ("childId", "parentId", "loggedById", "method", "minutes", "contactedAt", "weekKey", "createdAt")
    VALUES (${entry.childId}, ${entry.parentId}, ${entry.loggedById}, ${CONTACT_METHOD_SQL[entry.method]}, ${entry.minutes}, ${entry.contactedAt}, ${entry.weekKey}, ${entry.contactedAt})
    RETURNING (SELECT count(*) FROM "ContactLog" o
      WHERE o."parentId" = "ContactLog"."parentId" AND o."childId" = "ContactLog"."childId" AND o."weekKey" = "ContactLog"."weekKey" AND o."id" <> "ContactLog"."id") AS "before",
      EXISTS (SELECT 1 FROM "CareRoom" r WHERE r."childId" = "ContactLog"."childId") AS "careRoom"`;
  return { weekCount: Number(row!.before) + 1, childHasCareRoom: Boolean(Number(row!.careRoom)) };
}

/** The current parent links of a name among the given children: what a guardian's 已联系 <家长> confirms. */
export function parentLinksNamed(tx: Tx, childIds: number[], parentName: string): Promise<Array<{ childId: number; personId: number; child: { name: string } }>> {
  return tx.childLink.findMany({
    where: { kind: 'parent', endedAt: null, childId: { in: childIds }, person: { name: parentName } },
    select: { childId: true, personId: true, child: { select: { name: true } } },
  });
}

/** Of these parents, those whose prompts were paused (暂停提醒, 退订) at the last moment before `end`, a week's end. */
export async function parentsPausedAt(db: Db | Tx, parentIds: number[], end: Date): Promise<Set<number>> {
  if (parentIds.length === 0) return new Set();
  const pauses = await db.promptPause.findMany({
    where: { personId: { in: parentIds }, startedAt: { lt: end }, endsAt: { gte: end } },
    select: { personId: true },
  });
  return new Set(pauses.map((pause) => pause.personId));
}

/** The verdicts of a week counted per child's area, for the areas given (all when none). */
function summaryRows(weekKey: string, areaIds?: number[]): Prisma.Sql {
  const areas = areaIds ? Prisma.sql`AND c."areaId" IN (${Prisma.join(areaIds)})` : Prisma.empty;
  return Prisma.sql`
    SELECT ${weekKey}, c."areaId",
      SUM(CASE WHEN w.status = 'kept' THEN 1 ELSE 0 END),
      SUM(CASE WHEN w.status = 'missed' THEN 1 ELSE 0 END),
      SUM(CASE WHEN w.status = 'paused' THEN 1 ELSE 0 END)
    FROM "ContactWeek" w JOIN "Child" c ON c.id = w."childId"
    WHERE w."weekKey" = ${weekKey} ${areas}
    GROUP BY c."areaId"`;
}

/**
 * Counts a closed week's verdicts per area into ContactWeekSummary and marks the week summarized,
 * in one transaction: the trend ledger reads a thousand rows a week instead of 140,000 verdicts.
 * A re-run of the close rewrites the week's rows.
 */
export async function summarizeContactWeek(db: Db, weekKey: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM "ContactWeekSummary" WHERE "weekKey" = ${weekKey}`;
    await tx.$executeRaw`INSERT INTO "ContactWeekSummary" ("weekKey", "areaId", "kept", "missed", "paused") ${summaryRows(weekKey)}`;
    await tx.contactWeekSummarized.upsert({ where: { weekKey }, create: { weekKey, summarizedAt: now }, update: { summarizedAt: now }, select: { weekKey: true } });
  });
}

/**
 * A child moved to another area takes its verdicts with it, as the ledger counted from ContactWeek
 * always did (by the child's area now): the summarized weeks it has verdicts in are counted again
 * for both areas.
 */
export async function summarizeAgainAfterMove(tx: Tx, childId: number, areaIds: [number, number]): Promise<void> {
  const weeks = await tx.$queryRaw<Array<{ weekKey: string }>>`
    SELECT DISTINCT w."weekKey" AS "weekKey" FROM "ContactWeek" w JOIN "ContactWeekSummarized" m ON m."weekKey" = w."weekKey" WHERE w."childId" = ${childId}`;
  for (const { weekKey } of weeks) {
    await tx.$executeRaw`DELETE FROM "ContactWeekSummary" WHERE "weekKey" = ${weekKey} AND "areaId" IN (${Prisma.join(areaIds)})`;
    await tx.$executeRaw`INSERT INTO "ContactWeekSummary" ("weekKey", "areaId", "kept", "missed", "paused") ${summaryRows(weekKey, areaIds)}`;
  }
}

/**
 * The contacts a person recorded at one moment (those one message wrote), with the child's name:
 * what free text says back with an undo. One raw join; the typed client reads the logs, then the
 * children, at three times the CPU. Its typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function contactsRecordedAt(tx: Tx, loggedById: number, at: Date): Promise<Array<{ id: number; childName: string }>> {
  const rows = await tx.$queryRaw<Array<{ id: number | bigint; childName: string }>>`
    SELECT l."id", c."name" AS "childName" FROM "ContactLog" l JOIN "Child" c ON c."id" = l."childId"
    WHERE l."loggedById" = ${loggedById} AND l."createdAt" = ${at} ORDER BY l."id"`;
  return rows.map((row) => ({ id: Number(row.id), childName: row.childName }));
}

/** Removes contacts the person recorded (an undo); others' records are never touched. */
export async function deleteContactsOf(tx: Tx, loggedById: number, ids: number[]): Promise<void> {
  await tx.contactLog.deleteMany({ where: { id: { in: ids }, loggedById } });
}

/** The latest contacts with a parent about a child that someone else recorded (a teacher's, a director's), newest first. */
export function contactsRecordedByOthers(tx: Tx, childId: number, parentId: number, take: number): Promise<Array<{ contactedAt: Date; method: ContactMethod; loggedBy: { name: string } }>> {
  return tx.contactLog.findMany({
    where: { childId, parentId, loggedById: { not: parentId } },
    orderBy: { contactedAt: 'desc' },
    take,
    select: { contactedAt: true, method: true, loggedBy: { select: { name: true } } },
  });
}
