import { DateTime } from 'luxon';
import { DEFAULT_DEADLINE_HOURS, verifyDueAt, type CaseDeadlineHours } from '../../domain/caseDeadlines';
import type { StoredAttachment } from '../messaging/attachments';
import { personActor, recordAudit } from '../audit/auditLog';
import type { ReportSource, ReportType, Severity, Tx } from '../db/database';

const FALLBACK_PREFIX = 'SW';

/** The prefix of case numbers filed in an area: that of the nearest area (itself or above) that has one. */
export async function casePrefixOf(tx: Tx, areaId: number): Promise<string> {
  const area = await tx.area.findUniqueOrThrow({ where: { id: areaId }, select: { path: true } });
  const codes = area.path.split('/').filter(Boolean);
  const withPrefix = await tx.area.findMany({ where: { code: { in: codes }, casePrefix: { not: null } }, select: { path: true, casePrefix: true } });
  const nearest = withPrefix.sort((a, b) => b.path.length - a.path.length)[0];
  return nearest?.casePrefix ?? FALLBACK_PREFIX;
}

/** Case numbers like SW-2026-000123: the area's prefix, the year, a counter. */
async function nextCaseNumber(tx: Tx, areaId: number, now: Date, timeZone: string): Promise<string> {
  const prefix = await casePrefixOf(tx, areaId);
  const year = DateTime.fromJSDate(now, { zone: timeZone }).year;
  const sequence = await tx.caseNumberSequence.upsert({
    where: { prefix_year: { prefix, year } },
    create: { prefix, year, last: 1 },
    update: { last: { increment: 1 } },
  });
  return `${prefix}-${year}-${String(sequence.last).padStart(6, '0')}`;
}

export interface NewReport {
  /** Null for a child not (yet) in the registry: subjectName then says who. */
  childId: number | null;
  subjectName?: string | null;
  /** The child's village. */
  areaId: number;
  type: ReportType;
  severity: Severity;
  suspected?: boolean;
  description: string;
  actionsTaken?: string | null;
  source: ReportSource;
  /** The person filing; null for a report the system files itself (source 'system'). */
  reporterId: number | null;
  /** Files already saved on disk (src/store/messaging/attachments.ts), kept with the report. */
  attachments?: readonly StoredAttachment[];
  now: Date;
  timeZone: string;
  /** Step deadlines per severity; the plan's defaults unless configured. */
  deadlines?: CaseDeadlineHours;
}

/**
 * Files a report as a case in state `reported`, with its first step, the verification deadline,
 * its attachments and the audit entry.
 */
export async function fileReport(tx: Tx, input: NewReport): Promise<{ id: number; number: string }> {
  const number = await nextCaseNumber(tx, input.areaId, input.now, input.timeZone);
  const dueAt = verifyDueAt(input.severity, input.now, input.deadlines ?? DEFAULT_DEADLINE_HOURS);
  const attachments = input.attachments ?? [];
  const report = await tx.report.create({
    data: {
      number,
      childId: input.childId,
      subjectName: input.subjectName ?? null,
      areaId: input.areaId,
      type: input.type,
      severity: input.severity,
      suspected: input.suspected ?? false,
      description: input.description,
      actionsTaken: input.actionsTaken ?? null,
      source: input.source,
      reporterId: input.reporterId,
      dueAt,
      reportedAt: input.now,
      stateSince: input.now,
      steps: { create: { toState: 'reported', actorId: input.reporterId, actorLabel: input.reporterId === null ? 'system' : null, at: input.now, dueAt } },
      attachments: {
        create: attachments.map((file) => ({ kind: file.kind, path: file.path, sha256: file.sha256, size: file.size, mimeType: file.mimeType, createdAt: input.now })),
      },
    },
    select: { id: true, number: true },
  });
  await recordAudit(tx, {
    at: input.now,
    actor: input.reporterId === null ? 'system' : personActor(input.reporterId),
    action: 'case.file',
    subjectType: 'Report',
    subjectId: report.id,
    after: {
      number,
      childId: input.childId,
      type: input.type,
      severity: input.severity,
      suspected: input.suspected ?? false,
      source: input.source,
      attachments: attachments.length,
    },
  });
  return report;
}

/** Who hears of a report filed in a village. */
export interface ReportAudience {
  villageName: string;
  directors: number[];
  /** The officers of the township the village belongs to. */
  townshipOfficers: number[];
  /** Hotline people (人身安全) whose area contains the village. */
  hotline: number[];
}

export async function reportAudience(tx: Tx, villageId: number): Promise<ReportAudience> {
  const village = await tx.area.findUniqueOrThrow({ where: { id: villageId }, select: { name: true, parentId: true, path: true } });
  const ids = (rows: Array<{ id: number }>) => rows.map((row) => row.id);
  const directors = await tx.person.findMany({ where: { role: 'director', areaId: villageId }, orderBy: { id: 'asc' }, select: { id: true } });
  const townshipOfficers =
    village.parentId === null
      ? []
      : await tx.person.findMany({ where: { role: 'officer', areaId: village.parentId }, orderBy: { id: 'asc' }, select: { id: true } });
  const hotline = await tx.person.findMany({
    where: { role: 'hotline', area: { code: { in: village.path.split('/').filter(Boolean) } } },
    orderBy: { id: 'asc' },
    select: { id: true },
  });
  return { villageName: village.name, directors: ids(directors), townshipOfficers: ids(townshipOfficers), hotline: ids(hotline) };
}
