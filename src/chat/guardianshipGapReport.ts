import type { Tx } from '../store/database';
import { queueToPerson } from '../store/outbox';
import { fileReport } from '../store/reports';
import { catalog } from './catalog';
import type { BoundTurn } from './turn';
import { alertVillage } from './villageAlert';

/**
 * Files the 监护缺失 report a refused guardianship assessment calls for (缺失: urgent, 失当: high),
 * with the director as reporter. A child with nobody able to care for them cannot wait for the
 * morning, so an urgent one alerts the village and the township at once. Kept in one function so
 * the single report-filing path can replace it whole.
 */
export async function fileGuardianshipGap(
  turn: BoundTurn,
  input: { child: { id: number; name: string; areaId: number }; severity: 'urgent' | 'high'; description: string },
): Promise<{ id: number; number: string }> {
  const { tx, sender, now, settings } = turn;
  const report = await fileReport(tx, {
    childId: input.child.id,
    areaId: input.child.areaId,
    type: 'guardianship_gap',
    severity: input.severity,
    description: input.description,
    source: 'director',
    reporterId: sender.person.id,
    now,
    timeZone: settings.timeZone,
  });
  if (input.severity !== 'urgent') return report;
  // The filing director has the number in the reply; an urgent report also goes at once (through
  // quiet hours) to the village's other directors and the township officers.
  const text = catalog.guardianshipGapAlert(report.number, input.child.name, input.description);
  const options = { now, urgent: true, inboxMessageId: turn.message.id };
  await alertVillage(tx, input.child.areaId, text, options);
  if (await directorReachable(tx, input.child.areaId)) {
    // alertVillage told the township only if no director could be reached; urgent means both.
    const village = await tx.area.findUniqueOrThrow({ where: { id: input.child.areaId }, select: { parentId: true } });
    const officers = village.parentId === null ? [] : await tx.person.findMany({ where: { role: 'officer', areaId: village.parentId }, orderBy: { id: 'asc' }, select: { id: true } });
    for (const officer of officers) await queueToPerson(tx, officer.id, text, options);
  }
  return report;
}

async function directorReachable(tx: Tx, villageId: number): Promise<boolean> {
  return (await tx.person.count({ where: { role: 'director', areaId: villageId, identities: { some: {} } } })) > 0;
}
