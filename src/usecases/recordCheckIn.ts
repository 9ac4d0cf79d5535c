import { keyed } from '../texts/keyedMessages';
import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import { CHECK_IN_STATUS_LABELS } from '../domain/labels';
import type { CheckInAnswer } from '../domain/teacherCheckIn';
import type { Severity, Tx } from '../store/db/database';
import { queueToCareRooms, queueToPerson } from '../store/messaging/outbox';
import { currentParentsOf, saveCheckInAnswer, type RoundCheckIn } from '../store/contact/teacherCheckIns';
import { catalog } from '../texts/catalog';
import type { ActingPerson } from './actor';
import { fileReport } from './fileReport';

const SEVERITY_OF: Record<Exclude<CheckInAnswer, 'normal'>, Severity> = { concern: 'normal', urgent: 'urgent' };
const SEVERITY_RANK: Record<Severity, number> = { normal: 0, high: 1, urgent: 2 };

/**
 * A teacher's answer to one check-in (正常/关注/紧急 [说明]). When it is new or changed: 关注 files a
 * normal report and 紧急 an urgent one (a correction from 关注 to 紧急 escalates; otherwise one report
 * per check-in), the answer is saved, and the family hears the teacher's note for 正常 and 关注
 * (parents a general line; the care room only that all is well) — never for 紧急: the director
 * decides how to approach the family. Returns the check-in as it now stands.
 */
export async function recordCheckIn(
  tx: Tx,
  teacher: ActingPerson,
  checkIn: RoundCheckIn,
  answer: { status: CheckInAnswer; note: string | null; inboxMessageId?: number },
  settings: { now: Date; timeZone: string; caseDeadlines?: CaseDeadlineHours },
): Promise<RoundCheckIn> {
  const { now } = settings;
  if (checkIn.status === answer.status && checkIn.note === answer.note) return checkIn; // the same line sent again

  let report = checkIn.reportId === null || !checkIn.report ? null : { id: checkIn.reportId, severity: checkIn.report.severity };
  const status = answer.status;
  if (status !== 'normal') {
    const severity = SEVERITY_OF[status];
    if (!report || SEVERITY_RANK[report.severity] < SEVERITY_RANK[severity]) {
      const filed = await fileReport(
        tx,
        {
          child: checkIn.child,
          type: 'other',
          severity,
          description: catalog.checkInReportDescription(CHECK_IN_STATUS_LABELS[status], answer.note),
          source: 'teacher',
          reporter: teacher,
        },
        {
          now,
          timeZone: settings.timeZone,
          deadlines: settings.caseDeadlines,
          inboxMessageId: answer.inboxMessageId,
          staffAlert: (number) =>
            status === 'urgent'
              ? keyed.checkInUrgentForDirector(number, teacher.name, checkIn.child.name, answer.note)
              : keyed.checkInConcernForDirector(number, teacher.name, checkIn.child.name, answer.note),
        },
      );
      report = { id: filed.id, severity };
    }
  }

  await saveCheckInAnswer(tx, checkIn.id, { status: answer.status, note: answer.note, answeredAt: now, reportId: report?.id ?? null });

  // A 关注 note may be about the family itself (the guardian sits in the care room): parents get
  // only a general line, and the room only hears that all is well.
  if (answer.status !== 'urgent') {
    const text = keyed.checkInForFamily(teacher.name, checkIn.child.name, answer.status, answer.note);
    const queue = { now, inboxMessageId: answer.inboxMessageId };
    for (const parentId of await currentParentsOf(tx, checkIn.child.id)) await queueToPerson(tx, parentId, text, queue);
    if (answer.status === 'normal') await queueToCareRooms(tx, checkIn.child.id, text, queue);
  }

  return { ...checkIn, status: answer.status, note: answer.note, reportId: report?.id ?? null, report: report ? { severity: report.severity } : null };
}
