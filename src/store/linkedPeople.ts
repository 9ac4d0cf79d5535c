import { eldestFirst } from '../domain/child';
import type { Db, Prisma, Tx } from './database';

export interface LinkedChild {
  id: number;
  name: string;
  areaId: number;
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
