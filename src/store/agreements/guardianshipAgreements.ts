import { DomainError } from '../../domain/DomainError';
import { expiryHorizon, isValidOn, needsAgreement, EXPIRY_NOTICE_DAYS } from '../../domain/guardianshipAgreement';
import { inArea, type AreaScope } from '../registry/areaScopeFilter';
import { recordAudit } from '../audit/auditLog';
import type { AgreementStatus, Db, GuardianshipCapacity, Prisma, Tx } from '../db/database';
import { byChineseName } from '../registry/villageDirectors';

/** Children are read this many at a time when looking for those without an agreement. */
export const CHILD_BATCH_SIZE = 1000;

const SUBJECT = 'GuardianshipAgreement';

/** The village's capacity assessment of the guardian, as the director records it. */
export interface GuardianAssessment {
  relation: string | null;
  guardianAge: number | null;
  guardianHealth: string | null;
  guardianWilling: boolean;
  capacityLevel: GuardianshipCapacity;
  capacityNote: string | null;
}

/** Approving or refusing an agreement after the assessment. */
export interface AgreementDecision {
  status: 'approved' | 'rejected';
  assessment: GuardianAssessment;
  /** Calendar dates YYYY-MM-DD; the term of an approved agreement. */
  validFrom: string;
  validUntil: string;
  /** The director (or officer) deciding. */
  deciderId: number | null;
  /** Audit actor: person:7, token:12. */
  actor: string;
  now: Date;
}

export interface AgreementParties {
  childId: number;
  /** The away parent signing. */
  parentId: number;
  guardianId: number;
}

/** What the audit keeps of an agreement: who, the assessment and the term. */
function summary(agreement: {
  status: AgreementStatus;
  childId: number;
  parentId: number;
  guardianId: number;
  relation: string | null;
  capacityLevel: GuardianshipCapacity | null;
  guardianWilling: boolean | null;
  validFrom: string | null;
  validUntil: string | null;
}): Prisma.InputJsonObject {
  const { status, childId, parentId, guardianId, relation, capacityLevel, guardianWilling, validFrom, validUntil } = agreement;
  return { status, childId, parentId, guardianId, relation, capacityLevel, guardianWilling, validFrom, validUntil };
}

const SUMMARY_FIELDS = {
  id: true,
  status: true,
  childId: true,
  parentId: true,
  guardianId: true,
  relation: true,
  capacityLevel: true,
  guardianWilling: true,
  validFrom: true,
  validUntil: true,
} as const;

/** The open request (pending) for this child and guardian, if a parent asked for one. */
export async function pendingAgreement(
  db: Db | Tx,
  childId: number,
  guardianId: number,
): Promise<{ id: number; parentId: number; requestedById: number | null; relation: string | null } | null> {
  return db.guardianshipAgreement.findFirst({
    where: { childId, guardianId, status: 'pending' },
    orderBy: { id: 'desc' },
    select: { id: true, parentId: true, requestedById: true, relation: true },
  });
}

/**
 * A parent asks for an agreement in chat: a pending one, to be assessed and decided by the village.
 * Asking again for the same child and guardian returns the open request instead of a second one.
 */
export async function requestAgreement(
  tx: Tx,
  input: AgreementParties & { relation: string | null; requestedById: number; now: Date },
): Promise<{ id: number; created: boolean }> {
  const open = await pendingAgreement(tx, input.childId, input.guardianId);
  if (open) return { id: open.id, created: false };
  const agreement = await tx.guardianshipAgreement.create({
    data: {
      childId: input.childId,
      parentId: input.parentId,
      guardianId: input.guardianId,
      relation: input.relation,
      requestedById: input.requestedById,
      status: 'pending',
      createdAt: input.now,
    },
    select: SUMMARY_FIELDS,
  });
  await recordAudit(tx, { at: input.now, actor: `person:${input.requestedById}`, action: 'agreement.request', subjectType: SUBJECT, subjectId: agreement.id, after: summary(agreement) });
  return { id: agreement.id, created: true };
}

/**
 * Records an assessed agreement the village decided on directly (not asked for in chat): approved
 * or rejected. An approval supersedes the child's other approved agreements (see endSuperseded).
 */
export async function recordAgreement(tx: Tx, parties: AgreementParties, decision: AgreementDecision): Promise<{ id: number; ended: number[] }> {
  const agreement = await tx.guardianshipAgreement.create({
    data: { ...parties, ...decisionFields(decision), createdAt: decision.now },
    select: SUMMARY_FIELDS,
  });
  await recordAudit(tx, { at: decision.now, actor: decision.actor, action: `agreement.${verb(decision)}`, subjectType: SUBJECT, subjectId: agreement.id, after: summary(agreement) });
  return { id: agreement.id, ended: await endSuperseded(tx, agreement, decision) };
}

/** Approves or rejects a pending agreement with the village's assessment; one already decided is refused (DomainError agreement_not_pending). */
export async function decideAgreement(tx: Tx, agreementId: number, decision: AgreementDecision): Promise<{ id: number; ended: number[] }> {
  const before = await tx.guardianshipAgreement.findUniqueOrThrow({ where: { id: agreementId }, select: SUMMARY_FIELDS });
  if (before.status !== 'pending') throw new DomainError('agreement_not_pending', `agreement ${agreementId} is ${before.status}, not pending`);
  const after = await tx.guardianshipAgreement.update({ where: { id: agreementId }, data: decisionFields(decision), select: SUMMARY_FIELDS });
  await recordAudit(tx, {
    at: decision.now,
    actor: decision.actor,
    action: `agreement.${verb(decision)}`,
    subjectType: SUBJECT,
    subjectId: agreementId,
    before: summary(before),
    after: summary(after),
  });
  return { id: agreementId, ended: await endSuperseded(tx, after, decision) };
}

/**
 * Ends an approved or pending agreement (expired, superseded, withdrawn); the child then shows up
 * as missing one if the parents are still away. Ending an agreement that is already over changes nothing.
 */
export async function endAgreement(tx: Tx, agreementId: number, input: { actor: string; reason: string; now: Date }): Promise<boolean> {
  const before = await tx.guardianshipAgreement.findUniqueOrThrow({ where: { id: agreementId }, select: SUMMARY_FIELDS });
  if (before.status !== 'approved' && before.status !== 'pending') return false;
  const after = await tx.guardianshipAgreement.update({ where: { id: agreementId }, data: { status: 'ended', note: input.reason }, select: SUMMARY_FIELDS });
  await recordAudit(tx, {
    at: input.now,
    actor: input.actor,
    action: 'agreement.end',
    subjectType: SUBJECT,
    subjectId: agreementId,
    before: summary(before),
    after: { ...summary(after), reason: input.reason },
  });
  return true;
}

const verb = (decision: AgreementDecision) => (decision.status === 'approved' ? 'approve' : 'reject');

function decisionFields(decision: AgreementDecision) {
  const approved = decision.status === 'approved';
  return {
    status: decision.status,
    ...decision.assessment,
    approvedById: approved ? decision.deciderId : null,
    approvedAt: approved ? decision.now : null,
    validFrom: approved ? decision.validFrom : null,
    validUntil: approved ? decision.validUntil : null,
  };
}

/** A child has one entrusted guardian at a time: approving a new agreement ends the earlier approved ones. */
async function endSuperseded(tx: Tx, agreement: { id: number; childId: number; status: AgreementStatus }, decision: AgreementDecision): Promise<number[]> {
  if (agreement.status !== 'approved') return [];
  const earlier = await tx.guardianshipAgreement.findMany({
    where: { childId: agreement.childId, status: 'approved', id: { not: agreement.id } },
    select: { id: true },
  });
  for (const { id } of earlier) await endAgreement(tx, id, { actor: decision.actor, reason: `superseded by agreement ${agreement.id}`, now: decision.now });
  return earlier.map(({ id }) => id);
}

/** Records that the village was reminded of the agreement's coming expiry. */
export async function markExpiryReminded(tx: Tx, agreementId: number, now: Date): Promise<void> {
  await tx.guardianshipAgreement.update({ where: { id: agreementId }, data: { expiryRemindedAt: now } });
  await recordAudit(tx, { at: now, actor: 'system', action: 'agreement.expiry_remind', subjectType: SUBJECT, subjectId: agreementId, after: { expiryRemindedAt: now.toISOString() } });
}

/** Links the report a 失当/缺失 assessment filed to the agreement it refused, in the audit log. */
export async function recordGuardianshipGapReport(tx: Tx, agreementId: number, actor: string, report: { id: number; number: string }, now: Date): Promise<void> {
  await recordAudit(tx, { at: now, actor, action: 'report.file.guardianship_gap', subjectType: SUBJECT, subjectId: agreementId, after: { reportId: report.id, number: report.number } });
}

// ─── Readers (chat, jobs and the admin API) ──────────────────────────────────

const AGREEMENT_SELECT = {
  id: true,
  status: true,
  relation: true,
  guardianAge: true,
  guardianHealth: true,
  guardianWilling: true,
  capacityLevel: true,
  capacityNote: true,
  weeklyContactDuty: true,
  approvedAt: true,
  validFrom: true,
  validUntil: true,
  note: true,
  createdAt: true,
  updatedAt: true,
  child: { select: { id: true, name: true, area: { select: { code: true, name: true } } } },
  parent: { select: { id: true, name: true } },
  guardian: { select: { id: true, name: true } },
  approvedBy: { select: { id: true, name: true } },
} as const;

/** An agreement as a viewer reads it: the parties, the village's assessment and the term. */
export type AgreementRecord = Prisma.GuardianshipAgreementGetPayload<{ select: typeof AGREEMENT_SELECT }>;

/**
 * The one reader of agreements for a viewer: those of children within the viewer's area scope,
 * by id, one page (limit + 1 rows). Nothing outside the scope is listed.
 */
export async function listAgreements(
  db: Db,
  filter: { within: AreaScope; status?: AgreementStatus; childId?: number; after?: number; limit: number },
): Promise<AgreementRecord[]> {
  return db.guardianshipAgreement.findMany({
    where: {
      child: inArea(filter.within),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.childId ? { childId: filter.childId } : {}),
      ...(filter.after !== undefined ? { id: { gt: filter.after } } : {}),
    },
    select: AGREEMENT_SELECT,
    orderBy: { id: 'asc' },
    take: filter.limit + 1,
  });
}

/** One agreement, if its child lies within the viewer's area scope (else null: a 404, never a 403). */
export async function agreementInScope(db: Db, scope: AreaScope, id: number): Promise<AgreementRecord | null> {
  return db.guardianshipAgreement.findFirst({ where: { id, child: inArea(scope) }, select: AGREEMENT_SELECT });
}

export interface ChildMissingAgreement {
  id: number;
  name: string;
  areaId: number;
  birthDate: string;
}

/**
 * The minors (not archived) whose parents both work away and who have no approved agreement valid
 * today, in the given villages or an area's subtree, by village and in pinyin order of names.
 */
export async function childrenMissingAgreement(
  db: Db | Tx,
  scope: { villageIds: number[] } | { areaPath: string },
  today: string,
): Promise<ChildMissingAgreement[]> {
  if ('villageIds' in scope && scope.villageIds.length === 0) return [];
  const area = 'villageIds' in scope ? { areaId: { in: [...new Set(scope.villageIds)] } } : { area: { path: { startsWith: scope.areaPath } } };
  const missing: ChildMissingAgreement[] = [];
  let cursor = 0;
  for (;;) {
    const children = await db.child.findMany({
      where: { id: { gt: cursor }, archivedAt: null, ...area, links: { some: { kind: 'parent', worksAway: true, endedAt: null } } },
      orderBy: { id: 'asc' },
      take: CHILD_BATCH_SIZE,
      select: {
        id: true,
        name: true,
        areaId: true,
        birthDate: true,
        links: { where: { kind: 'parent', endedAt: null }, select: { worksAway: true } },
        agreements: { where: { status: 'approved' }, select: { status: true, validFrom: true, validUntil: true } },
      },
    });
    for (const child of children) {
      if (needsAgreement({ birthDate: child.birthDate, parents: child.links, agreements: child.agreements }, today)) {
        missing.push({ id: child.id, name: child.name, areaId: child.areaId, birthDate: child.birthDate });
      }
    }
    if (children.length < CHILD_BATCH_SIZE) break;
    cursor = children[children.length - 1]!.id;
  }
  return byChineseName(missing).sort((a, b) => a.areaId - b.areaId);
}

/** Whether the child has an approved agreement with this guardian valid today. */
export async function validAgreementWith(db: Db | Tx, childId: number, guardianId: number, today: string): Promise<{ validUntil: string | null } | null> {
  const agreements = await db.guardianshipAgreement.findMany({
    where: { childId, guardianId, status: 'approved' },
    select: { status: true, validFrom: true, validUntil: true },
  });
  return agreements.find((agreement) => isValidOn(agreement, today)) ?? null;
}

/** Approved agreements whose last day has passed: the daily job ends them. */
export async function expiredAgreements(db: Db | Tx, today: string): Promise<Array<{ id: number; childId: number; childName: string; areaId: number; guardianName: string; validUntil: string }>> {
  const rows = await db.guardianshipAgreement.findMany({
    where: { status: 'approved', validUntil: { lt: today } },
    orderBy: { id: 'asc' },
    select: { id: true, validUntil: true, child: { select: { id: true, name: true, areaId: true } }, guardian: { select: { name: true } } },
  });
  return rows.map((row) => ({ id: row.id, childId: row.child.id, childName: row.child.name, areaId: row.child.areaId, guardianName: row.guardian.name, validUntil: row.validUntil! }));
}

/** Approved agreements ending within the notice window whose village was not reminded yet. */
export async function agreementsDueExpiryReminder(
  db: Db | Tx,
  today: string,
  days = EXPIRY_NOTICE_DAYS,
): Promise<Array<{ id: number; childName: string; areaId: number; guardianName: string; relation: string | null; validUntil: string }>> {
  const rows = await db.guardianshipAgreement.findMany({
    where: { status: 'approved', expiryRemindedAt: null, validUntil: { gte: today, lte: expiryHorizon(today, days) }, child: { archivedAt: null } },
    orderBy: [{ validUntil: 'asc' }, { id: 'asc' }],
    select: { id: true, validUntil: true, relation: true, child: { select: { name: true, areaId: true } }, guardian: { select: { name: true } } },
  });
  return rows.map((row) => ({ id: row.id, childName: row.child.name, areaId: row.child.areaId, guardianName: row.guardian.name, relation: row.relation, validUntil: row.validUntil! }));
}

/** The away parent who signs: the first one linked to the child. */
export async function signingParent(tx: Tx, childId: number): Promise<number | null> {
  const link = await tx.childLink.findFirst({ where: { childId, kind: 'parent', worksAway: true, endedAt: null }, orderBy: { id: 'asc' }, select: { personId: true } });
  return link?.personId ?? null;
}

export interface GuardianNamed {
  id: number;
  name: string;
  /** The relation on the guardian's current link to the child; undefined when not linked to the child. */
  linkRelation?: string | null;
}

/**
 * The guardian a name means: a guardian linked to the child, else one registered in the child's
 * village. Null when there is none, 'ambiguous' when several of the village share the name.
 */
export async function guardianByName(tx: Tx, child: { id: number; areaId: number }, guardianName: string): Promise<GuardianNamed | 'ambiguous' | null> {
  const people = await tx.person.findMany({
    where: { name: guardianName, role: 'guardian', OR: [{ areaId: child.areaId }, { links: { some: { childId: child.id, kind: 'guardian', endedAt: null } } }] },
    orderBy: { id: 'asc' },
    select: { id: true, name: true, links: { where: { childId: child.id, kind: 'guardian', endedAt: null }, select: { relation: true } } },
  });
  const linked = people.find((person) => person.links.length > 0);
  if (linked) return { id: linked.id, name: linked.name, linkRelation: linked.links[0]!.relation };
  if (people.length > 1) return 'ambiguous';
  return people[0] ? { id: people[0].id, name: people[0].name } : null;
}

/** Whether a person is an away parent of the child (may ask for an agreement). */
export async function isAwayParentOf(tx: Tx, childId: number, personId: number): Promise<boolean> {
  const link = await tx.childLink.findFirst({ where: { childId, personId, kind: 'parent', endedAt: null }, select: { worksAway: true } });
  return link?.worksAway === true;
}
