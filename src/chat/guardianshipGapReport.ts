import { catalog } from '../texts/catalog';
import { fileAndAlert, type FiledReport } from '../usecases/fileReport';
import type { BoundTurn } from './turn';

/**
 * Files the 监护缺失 report a refused guardianship assessment calls for (缺失: urgent, 失当: high),
 * with the director as reporter, through the one filing path: an urgent one reaches the village's
 * other directors, the township officers and the hotline at once, even in quiet hours.
 */
export function fileGuardianshipGap(
  turn: BoundTurn,
  input: { child: { id: number; name: string; areaId: number }; severity: 'urgent' | 'high'; description: string },
): Promise<FiledReport> {
  const { tx, sender, now, settings } = turn;
  return fileAndAlert(
    tx,
    {
      child: input.child,
      type: 'guardianship_gap',
      severity: input.severity,
      description: input.description,
      source: 'director',
      reporter: { id: sender.person.id, name: sender.person.name, role: sender.person.role },
    },
    {
      now,
      timeZone: settings.timeZone,
      deadlines: settings.caseDeadlines,
      inboxMessageId: turn.message.id,
      staffAlert: (number) => catalog.guardianshipGapAlert(number, input.child.name, input.description),
    },
  );
}
