import type { LinkKind, Tx } from '../store/db/database';
import { linkedChildren, type LinkedChild } from '../store/registry/linkedPeople';
import { catalog } from '../texts/catalog';
import { findChild } from './understanding/children';

/** The children a person is linked to in a role, in a stable order (the numbers of a numbered choice). */
export const childrenOf = (tx: Tx, personId: number, kind: LinkKind): Promise<LinkedChild[]> => linkedChildren(tx, personId, kind);

/** The child, or what to answer: `choices` when the answer is the numbered question which one. */
export type ChildPick = { child: LinkedChild } | { reply: string; choices?: string[] };

/**
 * Which child a message means: named (also by nickname or pinyin), numbered (from an earlier
 * numbered choice), or the only one. With several children and no name, the answer is the numbered choice.
 */
export function pickChild(children: LinkedChild[], token: string | undefined, keyword: string): ChildPick {
  if (children.length === 0) return { reply: catalog.noChildren };
  if (token === undefined) {
    const names = children.map((child) => child.name);
    return children.length === 1 ? { child: children[0]! } : { reply: catalog.chooseChild(keyword, names), choices: names };
  }
  const byName = children.find((child) => child.name === token);
  if (byName) return { child: byName };
  const index = /^\d{1,2}$/.test(token) ? Number(token) - 1 : -1;
  if (children[index]) return { child: children[index]! };
  // Nicknames, sound-alikes and pinyin (小红, 王晓红, wxh), as the understanding step reads them.
  const mention = findChild(token, children, { family: false, ownChildren: false });
  const named = mention && 'child' in mention ? children.find((child) => child.name === mention.child) : undefined;
  if (named) return { child: named };
  return { reply: catalog.noSuchChild(token) };
}
