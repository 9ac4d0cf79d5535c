import type { Tx } from '../store/db/database';
import { catalog } from '../texts/catalog';
import { findChild } from './understanding/children';
import { villageChildren } from '../store/registry/linkedPeople';

export interface VillageChild {
  id: number;
  name: string;
  areaId: number;
}

/**
 * The child of a village a director names. A name shared by several children of the village is
 * refused with the list of their birth dates: picking the first match could record an assessment
 * or a record change on the wrong child, and a numbered choice belongs to the report dialogs.
 */
export async function villageChildByName(tx: Tx, villageId: number, name: string): Promise<{ child: VillageChild } | { reply: string }> {
  const matches = await villageChildrenNamed(tx, villageId, name);
  if (matches.length === 0) return childCalled(tx, villageId, name);
  if (matches.length > 1) return { reply: catalog.sameNameChildren(name, matches.map((match) => match.birthDate)) };
  const [{ id, areaId }] = matches as [VillageChild & { birthDate: string }];
  return { child: { id, name, areaId } };
}

/**
 * No child has exactly that name: a given name, nickname, sound-alike or pinyin (浩然, 王晓红, zhr)
 * names the child it fits alone, as the understanding step reads names. A full name of another
 * family (李小红 when only 王小红 lives here) names nobody: a record on the wrong child is worse
 * than asking for the full name.
 */
async function childCalled(tx: Tx, villageId: number, name: string): Promise<{ child: VillageChild } | { reply: string }> {
  const roster = await villageChildren(tx, villageId);
  const mention = findChild(name, roster, { family: false, ownChildren: false });
  const fits = (candidate: string) => name.length < candidate.length || /^[a-z]/i.test(name) || name[0] === candidate[0];
  const candidates = [...new Set(mention === null ? [] : 'child' in mention ? [mention.child] : mention.ambiguous)].filter(fits);
  if (candidates.length === 1) return villageChildByName(tx, villageId, candidates[0]!);
  if (candidates.length > 1) return { reply: catalog.childNameAmbiguous(name, candidates) };
  return { reply: catalog.childNotInVillage(name) };
}

/** The village's children of that name, eldest first (the order of a numbered choice). */
export function villageChildrenNamed(tx: Tx, villageId: number, name: string): Promise<Array<VillageChild & { birthDate: string }>> {
  return villageChildren(tx, villageId, name);
}
