import { eldestFirst } from '../../domain/child';
import { Prisma, type Db, type LinkKind, type Tx } from '../db/database';

export interface LinkedChild {
  id: number;
  name: string;
  areaId: number;
}

/** Each link kind as an SQL literal: PostgreSQL compares its enum with a literal, not with a text parameter. */
const LINK_KIND_SQL: Record<LinkKind, Prisma.Sql> = {
  parent: Prisma.sql`'parent'`,
  guardian: Prisma.sql`'guardian'`,
  teacher: Prisma.sql`'teacher'`,
  director: Prisma.sql`'director'`,
};

/**
 * The children a person is linked to in a role, eldest first (the numbers of a numbered choice).
 * One raw join through the links (filtering children by their links makes SQLite scan every
 * child); the typed client reads the links and then the children, two statements and three times
 * the CPU, on the path of most chat commands (BENCHMARKS.md "Chat path, round three"). Its typed
 * twin is in tests/integration/chatPathSql.test.ts.
 */
export async function linkedChildren(tx: Db | Tx, personId: number, kind: LinkKind): Promise<LinkedChild[]> {
  const rows = await tx.$queryRaw<Array<{ id: number | bigint; name: string; areaId: number | bigint; birthDate: string }>>`
    SELECT c."id", c."name", c."areaId", c."birthDate" FROM "ChildLink" l JOIN "Child" c ON c."id" = l."childId"
    WHERE l."personId" = ${personId} AND l."kind" = ${LINK_KIND_SQL[kind]} AND l."endedAt" IS NULL AND c."archivedAt" IS NULL`;
  return rows
    .map((row) => ({ id: Number(row.id), name: row.name, areaId: Number(row.areaId), birthDate: row.birthDate }))
    .sort(eldestFirst)
    .map(({ id, name, areaId }) => ({ id, name, areaId }));
}

/** A person and the children they are linked to, eldest first (the order of their numbered lists). */
export interface PersonWithChildren {
  id: number;
  name: string;
  children: LinkedChild[];
}

/**
 * Streams the people matching `person` who have links matching `link`, keyset-paginated by
 * person id, each with all those children: a person's children are never split across two
 * batches, so one message can name them all. One query per batch; no job holds a whole
 * district in memory.
 */
export async function* peopleWithChildrenBatches(
  db: Db | Tx,
  where: { person: Prisma.PersonWhereInput; link: Prisma.ChildLinkWhereInput },
  batchSize: number,
): AsyncGenerator<PersonWithChildren[]> {
  let cursor = 0;
  for (;;) {
    const people = await db.person.findMany({
      where: { ...where.person, id: { gt: cursor }, links: { some: where.link } },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, name: true, links: { where: where.link, select: { child: { select: { id: true, name: true, areaId: true, birthDate: true } } } } },
    });
    if (people.length === 0) return;
    yield people.map((person) => ({
      id: person.id,
      name: person.name,
      children: person.links
        .map((link) => link.child)
        .sort(eldestFirst)
        .map(({ id, name, areaId }) => ({ id, name, areaId })),
    }));
    if (people.length < batchSize) return;
    cursor = people[people.length - 1]!.id;
  }
}

/** A child as the chat names and picks it: a numbered choice lists them eldest first. */
export interface ChildToPick {
  id: number;
  name: string;
  areaId: number;
  birthDate: string;
  gender: 'male' | 'female' | null;
}

const CHILD_TO_PICK = { id: true, name: true, areaId: true, birthDate: true, gender: true } as const;

/**
 * The children a person is linked to in a role (current links, children not archived), unordered:
 * what free text is understood against. One raw join, as linkedChildren; the typed client reads
 * the links, then the children, at three times the CPU (BENCHMARKS.md "Chat path, round three").
 * Its typed twin is in tests/integration/chatPathSql.test.ts.
 */
export async function childrenLinkedTo(tx: Tx, personId: number, kind: LinkKind): Promise<ChildToPick[]> {
  const rows = await tx.$queryRaw<Array<{ id: number | bigint; name: string; areaId: number | bigint; birthDate: string; gender: ChildToPick['gender'] }>>`
    SELECT c."id", c."name", c."areaId", c."birthDate", c."gender" FROM "ChildLink" l JOIN "Child" c ON c."id" = l."childId"
    WHERE l."personId" = ${personId} AND l."kind" = ${LINK_KIND_SQL[kind]} AND l."endedAt" IS NULL AND c."archivedAt" IS NULL`;
  return rows.map((row) => ({ ...row, id: Number(row.id), areaId: Number(row.areaId) }));
}

/** The parents linked now to any of the children: name and relation (父亲, 母亲 …). */
export async function parentsOfChildren(tx: Tx, childIds: number[]): Promise<Array<{ name: string; relation: string | null }>> {
  const links = await tx.childLink.findMany({ where: { kind: 'parent', endedAt: null, childId: { in: childIds } }, select: { relation: true, person: { select: { name: true } } } });
  return links.map((link) => ({ name: link.person.name, relation: link.relation }));
}

/** Children by id, in no particular order. */
export function childrenByIds(tx: Tx, ids: number[]): Promise<ChildToPick[]> {
  return tx.child.findMany({ where: { id: { in: ids } }, select: CHILD_TO_PICK });
}

/**
 * The village's children (not archived), eldest first; with a name, only the children of that name.
 * Raw: a director's every 报告 and record command names a child (BENCHMARKS.md "Report filing,
 * raw"). Its typed twin is in tests/integration/filingSql.test.ts.
 */
export async function villageChildren(tx: Tx, villageId: number, name?: string): Promise<ChildToPick[]> {
  const named = name === undefined ? Prisma.empty : Prisma.sql`AND "name" = ${name}`;
  const rows = await tx.$queryRaw<Array<{ id: number | bigint; name: string; areaId: number | bigint; birthDate: string; gender: ChildToPick['gender'] }>>`
    SELECT "id", "name", "areaId", "birthDate", "gender" FROM "Child" WHERE "areaId" = ${villageId} AND "archivedAt" IS NULL ${named}
    ORDER BY "birthDate", "id"`;
  return rows.map((row) => ({ ...row, id: Number(row.id), areaId: Number(row.areaId) }));
}
