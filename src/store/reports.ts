import { DateTime } from 'luxon';
import { verifyDueAt } from '../domain/caseDeadlines';
import type { ReportSource, ReportType, Severity, Tx } from './database';

const FALLBACK_PREFIX = 'SW';

/** Case numbers like SW-2026-000123: the prefix of the nearest area that has one, the year, a counter. */
async function nextCaseNumber(tx: Tx, areaId: number, now: Date, timeZone: string): Promise<string> {
  const area = await tx.area.findUniqueOrThrow({ where: { id: areaId }, select: { path: true } });
  const codes = area.path.split('/').filter(Boolean);
  const withPrefix = await tx.area.findMany({ where: { code: { in: codes }, casePrefix: { not: null } }, select: { path: true, casePrefix: true } });
  const nearest = withPrefix.sort((a, b) => b.path.length - a.path.length)[0];
  const prefix = nearest?.casePrefix ?? FALLBACK_PREFIX;
  const year = DateTime.fromJSDate(now, { zone: timeZone }).year;
  const sequence = await tx.caseNumberSequence.upsert({
    where: { prefix_year: { prefix, year } },
    create: { prefix, year, last: 1 },
    update: { last: { increment: 1 } },
  });
  return `${prefix}-${year}-${String(sequence.last).padStart(6, '0')}`;
}

export interface NewReport {
  childId: number;
  areaId: number;
  type: ReportType;
  severity: Severity;
  description: string;
  source: ReportSource;
  /** The person filing; null for a report the system files itself (source 'system'). */
  reporterId: number | null;
  now: Date;
  timeZone: string;
}

/** Files a report as a case in state `reported`, with its first step and the verification deadline. */
export async function fileReport(tx: Tx, input: NewReport): Promise<{ id: number; number: string }> {
  const number = await nextCaseNumber(tx, input.areaId, input.now, input.timeZone);
  const dueAt = verifyDueAt(input.severity, input.now);
  const report = await tx.report.create({
    data: {
      number,
      childId: input.childId,
      areaId: input.areaId,
      type: input.type,
      severity: input.severity,
      description: input.description,
      source: input.source,
      reporterId: input.reporterId,
      dueAt,
      reportedAt: input.now,
      steps: { create: { toState: 'reported', actorId: input.reporterId, actorLabel: input.reporterId === null ? 'system' : null, at: input.now, dueAt } },
    },
    select: { id: true, number: true },
  });
  return report;
}
