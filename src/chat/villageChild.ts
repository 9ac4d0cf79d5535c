import type { Tx } from '../store/database';
import { catalog } from '../texts/catalog';

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
  if (matches.length === 0) return { reply: catalog.childNotInVillage(name) };
  if (matches.length > 1) return { reply: catalog.sameNameChildren(name, matches.map((match) => match.birthDate)) };
  const [{ id, areaId }] = matches as [VillageChild & { birthDate: string }];
  return { child: { id, name, areaId } };
}

/** The village's children of that name, eldest first (the order of a numbered choice). */
export function villageChildrenNamed(tx: Tx, villageId: number, name: string): Promise<Array<VillageChild & { birthDate: string }>> {
  return tx.child.findMany({
    where: { areaId: villageId, name, archivedAt: null },
    orderBy: [{ birthDate: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, areaId: true, birthDate: true },
  });
}
