import { DEFAULT_DEADLINE_HOURS, verifyDueAt, type CaseDeadlineHours } from '../../domain/caseDeadlines';
import { yearIn } from '../../domain/localYear';
import type { StoredAttachment } from '../messaging/attachments';
import { personActor, recordAudit } from '../audit/auditLog';
import { sealedTextColumn } from '../crypto/sealedTexts';
import { enumLiteral } from '../db/enumLiteral';
import { Prisma, type ReportSource, type ReportType, type Severity, type Tx } from '../db/database';
import { ReportSource as REPORT_SOURCES, ReportType as REPORT_TYPES, Severity as SEVERITIES } from '../generated/sqlite/enums';

const FALLBACK_PREFIX = 'SW';

// Filing runs in one transaction, and on SQLite one transaction at a time: its statements are raw
// (the typed client spends some ten times a raw statement's CPU on each; BENCHMARKS.md "Report
// filing, raw"). Their typed twins are in tests/integration/filingSql.test.ts.

interface Village {
  name: string;
  parentId: number | null;
  /** Codes of the area and all above it: /420100/420102/…/ */
  path: string;
}

async function villageOf(tx: Tx, areaId: number): Promise<Village> {
  const [row] = await tx.$queryRaw<Array<{ name: string; parentId: number | bigint | null; path: string }>>`
    SELECT "name", "parentId", "path" FROM "Area" WHERE "id" = ${areaId}`;
  if (!row) throw new Error(`Area ${areaId} does not exist.`);
  return { name: row.name, parentId: row.parentId === null ? null : Number(row.parentId), path: row.path };
}

const codesOnPath = (path: string): string[] => path.split('/').filter(Boolean);

/** The prefix of case numbers filed in an area: that of the nearest area (itself or above) that has one. */
export async function casePrefixOf(tx: Tx, areaId: number): Promise<string> {
  const codes = codesOnPath((await villageOf(tx, areaId)).path);
  const withPrefix = await tx.$queryRaw<Array<{ path: string; casePrefix: string }>>`
    SELECT "path", "casePrefix" FROM "Area" WHERE "code" IN (${Prisma.join(codes)}) AND "casePrefix" IS NOT NULL`;
  const nearest = withPrefix.sort((a, b) => b.path.length - a.path.length)[0];
  return nearest?.casePrefix ?? FALLBACK_PREFIX;
}

/** Case numbers like SW-2026-000123: the area's prefix, the year, a counter. */
async function nextCaseNumber(tx: Tx, areaId: number, now: Date, timeZone: string): Promise<string> {
  const prefix = await casePrefixOf(tx, areaId);
  const year = yearIn(now, timeZone);
  const [sequence] = await tx.$queryRaw<Array<{ last: number | bigint }>>`
    INSERT INTO "CaseNumberSequence" ("prefix", "year", "last") VALUES (${prefix}, ${year}, 1)
    ON CONFLICT ("prefix", "year") DO UPDATE SET "last" = "CaseNumberSequence"."last" + 1
    RETURNING "last"`;
  return `${prefix}-${year}-${String(Number(sequence!.last)).padStart(6, '0')}`;
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

/** The report's row, its texts sealed as the typed client's extension seals them (sealedTexts.ts); updatedAt is the wall clock, as @updatedAt sets it. */
async function insertReport(tx: Tx, input: NewReport & { number: string; dueAt: Date }): Promise<{ id: number; number: string }> {
  const actionsTaken = input.actionsTaken ?? null;
  const [row] = await tx.$queryRaw<Array<{ id: number | bigint }>>`
    INSERT INTO "Report" ("number", "childId", "subjectName", "areaId", "type", "severity", "state", "suspected", "description", "actionsTaken", "source", "reporterId",
      "dueAt", "stateSince", "escalations", "reportedAt", "updatedAt")
    VALUES (${input.number}, ${input.childId}, ${input.subjectName ?? null}, ${input.areaId}, ${enumLiteral(REPORT_TYPES, input.type)}, ${enumLiteral(SEVERITIES, input.severity)},
      'reported', ${input.suspected ?? false}, ${sealedTextColumn(tx, input.description)}, ${actionsTaken === null ? null : sealedTextColumn(tx, actionsTaken)},
      ${enumLiteral(REPORT_SOURCES, input.source)}, ${input.reporterId}, ${input.dueAt}, ${input.now}, 0, ${input.now}, ${new Date()})
    RETURNING "id"`;
  return { id: Number(row!.id), number: input.number };
}

/**
 * Files a report as a case in state `reported`, with its first step, the verification deadline,
 * its attachments and the audit entry.
 */
export async function fileReport(tx: Tx, input: NewReport): Promise<{ id: number; number: string }> {
  const number = await nextCaseNumber(tx, input.areaId, input.now, input.timeZone);
  const dueAt = verifyDueAt(input.severity, input.now, input.deadlines ?? DEFAULT_DEADLINE_HOURS);
  const attachments = input.attachments ?? [];
  const report = await insertReport(tx, { ...input, number, dueAt });
  await tx.$executeRaw`
    INSERT INTO "CaseStep" ("reportId", "toState", "actorId", "actorLabel", "at", "dueAt")
    VALUES (${report.id}, 'reported', ${input.reporterId}, ${input.reporterId === null ? 'system' : null}, ${input.now}, ${dueAt})`;
  for (const file of attachments) {
    await tx.$executeRaw`
      INSERT INTO "ReportAttachment" ("reportId", "kind", "path", "sha256", "size", "mimeType", "createdAt")
      VALUES (${report.id}, ${file.kind}, ${file.path}, ${file.sha256}, ${file.size}, ${file.mimeType}, ${input.now})`;
  }
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
  const village = await villageOf(tx, villageId);
  // One statement for the three lists, each in id order; a person has one role, so no one is in two.
  const people = await tx.$queryRaw<Array<{ role: 'director' | 'officer' | 'hotline'; id: number | bigint }>>`
    SELECT 'director' AS "role", "id" FROM "Person" WHERE "role" = 'director' AND "areaId" = ${villageId}
    UNION ALL SELECT 'officer' AS "role", "id" FROM "Person" WHERE "role" = 'officer' AND "areaId" = ${village.parentId}
    UNION ALL SELECT 'hotline' AS "role", p."id" FROM "Person" p JOIN "Area" a ON a."id" = p."areaId" WHERE p."role" = 'hotline' AND a."code" IN (${Prisma.join(codesOnPath(village.path))})
    ORDER BY "id"`;
  const ids = (role: string) => people.filter((person) => person.role === role).map((person) => Number(person.id));
  return { villageName: village.name, directors: ids('director'), townshipOfficers: ids('officer'), hotline: ids('hotline') };
}
