import { keyed } from '../texts/keyedMessages';
import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import { REPORT_TYPE_INFO } from '../domain/reportType';
import type { StoredAttachment } from '../store/messaging/attachments';
import type { PersonRole, ReportSource, ReportType, Severity, Tx } from '../store/db/database';
import { queueToPerson, type KeyedText } from '../store/messaging/outbox';
import { fileReport as storeReport, reportAudience, type ReportAudience } from '../store/cases/reports';
import { catalog } from '../texts/catalog';
import { tellVillageStaff } from './villageStaff';

/** A report as any of its sources gives it: a director's 报告, a guardian's 情况, a teacher's 关注/紧急, a 高 assessment, the system. */
export interface ReportToFile {
  /** A registry child (id), or one named only (id null). */
  child: { id: number | null; name: string; areaId: number };
  type: ReportType;
  severity: Severity;
  suspected?: boolean;
  description: string;
  actionsTaken?: string | null;
  source: ReportSource;
  /** Null when the system files it. Confidential: only directors and officers are told who it is. */
  reporter: { id: number; name: string; role: PersonRole } | null;
  attachments?: readonly StoredAttachment[];
}

export interface FilingOptions {
  now: Date;
  timeZone: string;
  /** Step deadlines per severity; the plan's defaults when unset. */
  deadlines?: CaseDeadlineHours;
  /** The message that filed it, so the alerts count among what handling it produced. */
  inboxMessageId?: number;
  /** Keys the alerts (one per recipient), so a re-run of a job queues none twice. */
  dedupeKey?: string;
  /** A source's own wording for the directors and officers; the standard alert otherwise. */
  staffAlert?: (number: string) => KeyedText;
}

export interface FiledReport {
  id: number;
  number: string;
  /** How many people were alerted. */
  alerted: number;
}

/**
 * The one path every report takes: files the case and alerts whom it concerns, in the caller's
 * transaction. Urgent: at once, even in quiet hours, the village's directors, the officers of the
 * township above and the hotline people of the area. Otherwise the village's directors, waiting out
 * quiet hours; when none can be reached (and the reporter is not one of them), the township's
 * officers, so a report never alerts nobody. The reporter is not alerted of their own report, and
 * the hotline does not learn who reported. Nobody of the family is ever told.
 */
export async function fileReport(tx: Tx, report: ReportToFile, options: FilingOptions): Promise<FiledReport> {
  // Read before the case number is drawn: on PostgreSQL the number's row stays locked until the
  // filing commits, and every filing under the same prefix waits for it.
  const audience = await reportAudience(tx, report.child.areaId);
  const filed = await storeReport(tx, {
    childId: report.child.id,
    subjectName: report.child.id === null ? report.child.name : null,
    areaId: report.child.areaId,
    type: report.type,
    severity: report.severity,
    suspected: report.suspected,
    description: report.description,
    actionsTaken: report.actionsTaken,
    source: report.source,
    reporterId: report.reporter?.id ?? null,
    attachments: report.attachments,
    now: options.now,
    timeZone: options.timeZone,
    deadlines: options.deadlines,
  });
  return { ...filed, alerted: await alert(tx, audience, report, filed.number, options) };
}

async function alert(tx: Tx, audience: ReportAudience, report: ReportToFile, number: string, options: FilingOptions): Promise<number> {
  const urgent = report.severity === 'urgent';
  const card = {
    number,
    child: report.child.name,
    type: REPORT_TYPE_INFO[report.type].name,
    suspected: report.suspected ?? false,
    severity: report.severity,
    description: report.description,
    actionsTaken: report.actionsTaken ?? null,
    attachments: report.attachments?.length ?? 0,
  };
  const forStaff =
    options.staffAlert?.(number) ?? keyed.reportAlert({ ...card, reporter: report.reporter ? catalog.reporterLabel(report.reporter.name, report.reporter.role) : catalog.systemReporter });
  const queue = { now: options.now, inboxMessageId: options.inboxMessageId, urgent, dedupeKey: options.dedupeKey };
  if (!urgent) return tellVillageStaff(tx, audience, forStaff, { ...queue, reporterId: report.reporter?.id });
  let told = 0;
  const tell = async (personId: number, text: KeyedText): Promise<void> => {
    const dedupeKey = options.dedupeKey === undefined ? undefined : `${options.dedupeKey}:to${personId}`;
    if (await queueToPerson(tx, personId, text, { ...queue, dedupeKey })) told += 1;
  };
  for (const director of audience.directors) if (director !== report.reporter?.id) await tell(director, forStaff);
  for (const officer of audience.townshipOfficers) await tell(officer, forStaff);
  const forHotline = keyed.reportAlertForHotline({ ...card, village: audience.villageName });
  for (const person of audience.hotline) await tell(person, forHotline);
  return told;
}
