import type { Tx } from '../store/database';
import { queueToPerson, type QueueOptions } from '../store/outbox';

/**
 * Tells a village's directors; when none of them can be reached (none registered or none has
 * bound a chat), the officers of the township above, so a report never alerts nobody.
 * Returns how many people were told.
 */
export async function alertVillage(tx: Tx, villageId: number, text: string, options: QueueOptions): Promise<number> {
  const directors = await tx.person.findMany({ where: { role: 'director', areaId: villageId }, orderBy: { id: 'asc' }, select: { id: true } });
  let told = 0;
  for (const director of directors) if (await queueToPerson(tx, director.id, text, options)) told += 1;
  if (told > 0) return told;
  const village = await tx.area.findUnique({ where: { id: villageId }, select: { parentId: true } });
  if (village?.parentId == null) return 0;
  const officers = await tx.person.findMany({ where: { role: 'officer', areaId: village.parentId }, orderBy: { id: 'asc' }, select: { id: true } });
  for (const officer of officers) if (await queueToPerson(tx, officer.id, text, options)) told += 1;
  return told;
}
