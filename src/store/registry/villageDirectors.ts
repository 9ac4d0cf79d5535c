import type { Db, Tx } from '../db/database';

/** Directors (and officers) are read this many at a time. */
export const DIRECTOR_BATCH_SIZE = 200;

export interface AreaPerson {
  id: number;
  name: string;
  areaId: number;
}

/**
 * Streams the people of a role who have bound a chat identity (prompts need somewhere to go),
 * keyset-paginated by id. For officers, `areaLevel` narrows to those serving that level of area.
 */
export async function* peopleWithChatBatches(
  db: Db | Tx,
  query: { role: 'director' | 'officer'; areaLevel?: 'township' | 'village'; batchSize?: number },
): AsyncGenerator<AreaPerson[]> {
  const take = query.batchSize ?? DIRECTOR_BATCH_SIZE;
  let cursor = 0;
  for (;;) {
    const people = await db.person.findMany({
      where: {
        id: { gt: cursor },
        role: query.role,
        identities: { some: {} },
        ...(query.areaLevel ? { area: { level: query.areaLevel } } : {}),
      },
      orderBy: { id: 'asc' },
      take,
      select: { id: true, name: true, areaId: true },
    });
    if (people.length === 0) return;
    yield people;
    if (people.length < take) return;
    cursor = people[people.length - 1]!.id;
  }
}

/** Groups rows by a numeric key, keeping their order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

const CHINESE_ORDER = new Intl.Collator('zh-CN');

/** Sorts by name as a Chinese reader expects a list (pinyin order), then by id. */
export function byChineseName<T extends { id: number; name: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => CHINESE_ORDER.compare(a.name, b.name) || a.id - b.id);
}
