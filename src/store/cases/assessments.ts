import { inArea, type AreaScope } from '../registry/areaScopeFilter';
import type { Db, Prisma, RiskLevel, Tx } from '../db/database';
import { byChineseName, groupBy } from '../registry/villageDirectors';

export interface ChildInList {
  id: number;
  name: string;
  areaId: number;
}

/** Children of these villages (not archived) with no risk assessment in the round, by village, in pinyin order of names. */
export async function unassessedChildrenByVillage(db: Db | Tx, villageIds: number[], round: string): Promise<Map<number, ChildInList[]>> {
  if (villageIds.length === 0) return new Map();
  const children = await db.child.findMany({
    where: { areaId: { in: [...new Set(villageIds)] }, archivedAt: null, assessments: { none: { round } } },
    orderBy: [{ areaId: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, areaId: true },
  });
  return groupBy(byChineseName(children), (child) => child.areaId);
}

/** How many children (not archived) of every village still have no assessment in the round. */
export async function countUnassessedEverywhere(db: Db | Tx, round: string): Promise<number> {
  return db.child.count({ where: { archivedAt: null, assessments: { none: { round } } } });
}

/** How many children of a village still have no assessment in the round. */
export async function countUnassessed(db: Db | Tx, villageId: number, round: string): Promise<number> {
  return db.child.count({ where: { areaId: villageId, archivedAt: null, assessments: { none: { round } } } });
}

export interface AssessmentInput {
  childId: number;
  assessorId: number;
  round: string;
  level: RiskLevel;
  note: string | null;
  now: Date;
}

export interface RecordedAssessment {
  id: number;
  /** The child's cached level before this assessment. */
  before: RiskLevel | null;
  /** The level this round's assessment had before, if the child was already assessed in the round. */
  previousInRound: RiskLevel | null;
}

/**
 * Records (or, within the same round, replaces) a child's risk assessment, makes it the child's
 * current level and writes the audit row. The caller files the report a 高 calls for.
 */
export async function recordAssessment(tx: Tx, input: AssessmentInput): Promise<RecordedAssessment> {
  const child = await tx.child.findUniqueOrThrow({ where: { id: input.childId }, select: { riskLevel: true } });
  const existing = await tx.riskAssessment.findUnique({ where: { childId_round: { childId: input.childId, round: input.round } }, select: { level: true } });
  const values = { assessorId: input.assessorId, level: input.level, note: input.note, assessedAt: input.now };
  const assessment = await tx.riskAssessment.upsert({
    where: { childId_round: { childId: input.childId, round: input.round } },
    create: { childId: input.childId, round: input.round, ...values },
    update: values,
    select: { id: true },
  });
  await tx.child.update({ where: { id: input.childId }, data: { riskLevel: input.level } });
  await tx.auditLog.create({
    data: {
      at: input.now,
      actor: `person:${input.assessorId}`,
      action: 'assessment.record',
      subjectType: 'RiskAssessment',
      subjectId: String(assessment.id),
      detail: { childId: input.childId, round: input.round, before: child.riskLevel, after: input.level, note: input.note },
    },
  });
  return { id: assessment.id, before: child.riskLevel, previousInRound: existing?.level ?? null };
}

/** Links the report a 高 assessment filed to the assessment, in the audit log. */
export async function recordAssessmentReport(tx: Tx, assessmentId: number, actorId: number, report: { id: number; number: string }, now: Date): Promise<void> {
  await tx.auditLog.create({
    data: {
      at: now,
      actor: `person:${actorId}`,
      action: 'report.file.assessment_high',
      subjectType: 'RiskAssessment',
      subjectId: String(assessmentId),
      detail: { reportId: report.id, number: report.number },
    },
  });
}

const ASSESSMENT_SELECT = {
  id: true,
  round: true,
  level: true,
  note: true,
  assessedAt: true,
  child: { select: { id: true, name: true, area: { select: { code: true, name: true } } } },
  assessor: { select: { id: true, name: true } },
} as const;

export type AssessmentRecord = Prisma.RiskAssessmentGetPayload<{ select: typeof ASSESSMENT_SELECT }>;

/** Risk assessments of children of the subtree (one child's, one round's), by id, one page (limit + 1 rows). */
export async function listAssessments(
  db: Db,
  filter: { within: AreaScope; childId?: number; round?: string; level?: RiskLevel; after?: number; limit: number },
): Promise<AssessmentRecord[]> {
  return db.riskAssessment.findMany({
    where: {
      child: inArea(filter.within),
      ...(filter.childId ? { childId: filter.childId } : {}),
      ...(filter.round ? { round: filter.round } : {}),
      ...(filter.level ? { level: filter.level } : {}),
      ...(filter.after !== undefined ? { id: { gt: filter.after } } : {}),
    },
    select: ASSESSMENT_SELECT,
    orderBy: { id: 'asc' },
    take: filter.limit + 1,
  });
}
