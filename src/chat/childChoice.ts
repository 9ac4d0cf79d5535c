import { eldestFirst } from '../domain/child';
import type { LinkKind, Tx } from '../store/database';
import type { LinkedChild } from '../store/linkedPeople';
import { catalog } from '../texts/catalog';

/** The children a person is linked to in a role, in a stable order (the numbers of a numbered choice). */
export async function childrenOf(tx: Tx, personId: number, kind: LinkKind): Promise<LinkedChild[]> {
  // Through the links: filtering children by their links makes SQLite scan every child.
  const links = await tx.childLink.findMany({
    where: { personId, kind, endedAt: null, child: { archivedAt: null } },
    select: { child: { select: { id: true, name: true, areaId: true, birthDate: true } } },
  });
  return links
    .map((link) => link.child)
    .sort(eldestFirst)
    .map(({ id, name, areaId }) => ({ id, name, areaId }));
}

export type ChildPick = { child: LinkedChild } | { reply: string };

/**
 * Which child a message means: named, numbered (from an earlier numbered choice), or the only
 * one. With several children and no name, the answer is the numbered choice.
 */
export function pickChild(children: LinkedChild[], token: string | undefined, keyword: string): ChildPick {
  if (children.length === 0) return { reply: catalog.noChildren };
  if (token === undefined) {
    return children.length === 1 ? { child: children[0]! } : { reply: catalog.chooseChild(keyword, children.map((child) => child.name)) };
  }
  const byName = children.find((child) => child.name === token);
  if (byName) return { child: byName };
  const index = /^\d{1,2}$/.test(token) ? Number(token) - 1 : -1;
  if (children[index]) return { child: children[index]! };
  return { reply: catalog.noSuchChild(token) };
}
