import { isWithinArea } from '../domain/areaScope';
import { mayMoveCase, maySeeReporter, OPEN_CASE_STATES, type CaseState, type Department } from '../domain/caseWorkflow';
import { DomainError } from '../domain/DomainError';
import type { ReferralEvent } from '../domain/referrals';
import { recordAudit } from './auditLog';
import type { ApiRole, PersonRole, ReportSource, ReportType, Severity, Tx } from './database';

/** Who acts on or reads a case: a person through chat, an admin API token, or a person logged in to the console. */
export type CaseActor =
  | { kind: 'person'; personId: number; role: PersonRole; areaPath: string }
  | { kind: 'token'; tokenId: number; role: ApiRole; areaPath: string }
  | { kind: 'user'; userId: number; role: ApiRole; areaPath: string };

/** The audit-log and step label of an actor: person:7, token:12, user:3. */
export function caseActorLabel(actor: CaseActor): string {
  if (actor.kind === 'person') return `person:${actor.personId}`;
  return actor.kind === 'token' ? `token:${actor.tokenId}` : `user:${actor.userId}`;
}

/**
 * Whether the actor may see the case at all: those who may move it, and API tokens (auditors
 * included) whose area contains the village. Anyone else is told it does not exist; department
 * staff read only their referrals (src/store/referrals.ts).
 */
export function mayViewCase(actor: CaseActor, villagePath: string): boolean {
  if (actor.kind !== 'person' && actor.role === 'department') return false;
  return mayMoveCase(actor, villagePath) || (actor.kind !== 'person' && isWithinArea({ path: villagePath }, { path: actor.areaPath }));
}

export const caseNotFound = () => new DomainError('case_not_found', 'no such case');

/** A case as a move needs it: its state, severity, deadline, department and village. */
export function caseToMove(tx: Tx, reportId: number) {
  return tx.report.findUnique({
    where: { id: reportId },
    select: { id: true, number: true, state: true, severity: true, stateSince: true, dueAt: true, department: true, area: { select: { path: true } } },
  });
}

/**
 * Writes a move decided by the workflow: the case's new state (conditional on the state it was
 * read in: of two moves racing on one case, the second is refused) and its step record. Returns
 * the step's id; src/usecases/moveCase.ts is its door.
 */
export async function saveCaseMove(
  tx: Tx,
  move: {
    reportId: number;
    fromState: CaseState;
    state: CaseState;
    dueAt: Date | null;
    department: Department | null;
    step: { from: CaseState | null; to: CaseState; note: string | null; department: Department | null };
    actor: CaseActor;
    now: Date;
  },
): Promise<number> {
  const closedAt = move.state === 'closed' || move.state === 'dismissed' ? move.now : null;
  const updated = await tx.report.updateMany({
    where: { id: move.reportId, state: move.fromState },
    // A reopened archived case is active again.
    data: { state: move.state, stateSince: move.now, dueAt: move.dueAt, escalations: 0, department: move.department, closedAt, archivedAt: null },
  });
  if (updated.count !== 1) throw new DomainError('case_transition_refused', 'the case was moved by someone else just now');
  const step = await tx.caseStep.create({
    data: {
      reportId: move.reportId,
      fromState: move.step.from,
      toState: move.step.to,
      actorId: move.actor.kind === 'person' ? move.actor.personId : null,
      actorLabel: move.actor.kind === 'person' ? null : caseActorLabel(move.actor),
      note: move.step.note,
      department: move.step.department,
      at: move.now,
      dueAt: move.dueAt,
    },
    select: { id: true },
  });
  return step.id;
}

export interface OpenCase {
  id: number;
  number: string;
  childName: string;
  villageId: number;
  villageName: string;
  type: ReportType;
  severity: Severity;
  state: CaseState;
  stateSince: Date;
  /** Deadline of the current step; null when none is due. */
  dueAt: Date | null;
}

/** What a case list line shows: the open-case list and the overdue job read the same fields. */
const CASE_SUMMARY = {
  id: true,
  number: true,
  subjectName: true,
  type: true,
  severity: true,
  state: true,
  stateSince: true,
  dueAt: true,
  child: { select: { name: true } },
} as const;

/**
 * Open cases of a village (its path), or of every village in a larger area; the soonest due first,
 * cases without a deadline last. No reporter: lists are for anyone who may read the area's cases.
 */
export async function openCasesInArea(tx: Tx, areaPath: string): Promise<OpenCase[]> {
  const rows = await tx.report.findMany({
    where: { state: { in: [...OPEN_CASE_STATES] }, area: { path: { startsWith: areaPath } } },
    orderBy: [{ reportedAt: 'asc' }, { id: 'asc' }],
    select: { ...CASE_SUMMARY, area: { select: { id: true, name: true } } },
  });
  const dueOrder = (c: { dueAt: Date | null }) => c.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return rows
    .map((row) => ({
      id: row.id,
      number: row.number,
      childName: row.child?.name ?? row.subjectName ?? '',
      villageId: row.area.id,
      villageName: row.area.name,
      type: row.type,
      severity: row.severity,
      state: row.state,
      stateSince: row.stateSince,
      dueAt: row.dueAt,
    }))
    .sort((a, b) => dueOrder(a) - dueOrder(b));
}

export interface CaseHistoryStep {
  at: Date;
  from: CaseState | null;
  to: CaseState;
  /** The person who acted, or null for a token or the system, or when it would reveal the reporter. */
  actorName: string | null;
  /** token:12 or system, when no person acted. */
  actorLabel: string | null;
  note: string | null;
  department: Department | null;
  /** A department's action on its referral, or null for a step of the case's own workflow. */
  referralEvent: ReferralEvent | null;
  dueAt: Date | null;
}

export interface CaseDetail extends OpenCase {
  villagePath: string;
  childId: number | null;
  suspected: boolean;
  description: string;
  actionsTaken: string | null;
  source: ReportSource;
  department: Department | null;
  reportedAt: Date;
  closedAt: Date | null;
  escalations: number;
  /** Who filed it: only for the village's director and officers of the area, otherwise null. */
  reporter: { id: number; name: string } | null;
  /** Whether this viewer may see who filed it (reporter null with true means the system filed it). */
  reporterVisible: boolean;
  steps: CaseHistoryStep[];
}

/** A case by database id (the API) or by its number (chat, e.g. EZ-2026-000123). */
export type CaseRef = { id: number } | { number: string };

/**
 * One case with its history, as `viewer` may see it. Throws DomainError('case_not_found') when it
 * does not exist or lies outside the viewer's area. The reporter, and the reporter's own steps,
 * are named only for viewers who may move the case.
 */
export async function findCase(tx: Tx, ref: CaseRef, viewer: CaseActor): Promise<CaseDetail> {
  const report = await tx.report.findUnique({
    where: 'id' in ref ? { id: ref.id } : { number: ref.number },
    include: {
      child: { select: { name: true } },
      area: { select: { id: true, name: true, path: true } },
      reporter: { select: { id: true, name: true } },
      steps: { orderBy: [{ at: 'asc' }, { id: 'asc' }], include: { actor: { select: { name: true } } } },
    },
  });
  if (!report || !mayViewCase(viewer, report.area.path)) throw caseNotFound();
  const reporterVisible = maySeeReporter(viewer, report.area.path);
  const hides = (actorId: number | null) => !reporterVisible && actorId !== null && actorId === report.reporterId;
  return {
    id: report.id,
    number: report.number,
    childName: report.child?.name ?? report.subjectName ?? '',
    villageId: report.area.id,
    villageName: report.area.name,
    villagePath: report.area.path,
    childId: report.childId,
    type: report.type,
    severity: report.severity,
    suspected: report.suspected,
    state: report.state,
    stateSince: report.stateSince,
    dueAt: report.dueAt,
    description: report.description,
    actionsTaken: report.actionsTaken,
    source: report.source,
    department: report.department,
    reportedAt: report.reportedAt,
    closedAt: report.closedAt,
    escalations: report.escalations,
    reporter: reporterVisible ? report.reporter : null,
    reporterVisible,
    steps: report.steps.map((step) => ({
      at: step.at,
      from: step.fromState,
      to: step.toState,
      actorName: hides(step.actorId) ? null : (step.actor?.name ?? null),
      actorLabel: hides(step.actorId) ? null : step.actorLabel,
      note: step.note,
      department: step.department,
      referralEvent: step.referralEvent,
      dueAt: step.dueAt,
    })),
  };
}

export interface OverdueCase {
  id: number;
  number: string;
  childName: string;
  villageId: number;
  villageName: string;
  /** The township above the village, whose officers get a case overdue by twice its deadline. */
  townshipId: number | null;
  type: ReportType;
  severity: Severity;
  state: CaseState;
  stateSince: Date;
  dueAt: Date;
  /** Escalations already sent for the current step: 0 none, 1 the directors, 2 the township too. */
  escalations: number;
}

/** Open cases whose step was due by `now` and not yet escalated to the township, in id order after `afterId`. */
export async function overdueCases(tx: Tx, now: Date, afterId: number, take: number): Promise<OverdueCase[]> {
  const rows = await tx.report.findMany({
    where: { id: { gt: afterId }, state: { in: [...OPEN_CASE_STATES] }, dueAt: { lte: now }, escalations: { lt: 2 } },
    orderBy: { id: 'asc' },
    take,
    select: { ...CASE_SUMMARY, escalations: true, area: { select: { id: true, name: true, parentId: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    childName: row.child?.name ?? row.subjectName ?? '',
    villageId: row.area.id,
    villageName: row.area.name,
    townshipId: row.area.parentId,
    type: row.type,
    severity: row.severity,
    state: row.state,
    stateSince: row.stateSince,
    dueAt: row.dueAt!,
    escalations: row.escalations,
  }));
}

/**
 * Records that the current step of a case was escalated to `level`, with its audit entry; false
 * (and nothing written) when the case has moved on or was escalated meanwhile by another run.
 */
export async function markCaseEscalated(tx: Tx, overdue: OverdueCase, level: 1 | 2, now: Date): Promise<boolean> {
  const updated = await tx.report.updateMany({
    where: { id: overdue.id, state: overdue.state, stateSince: overdue.stateSince, escalations: overdue.escalations },
    data: { escalations: level },
  });
  if (updated.count !== 1) return false;
  await recordAudit(tx, {
    at: now,
    actor: 'system',
    action: 'case.escalate',
    subjectType: 'Report',
    subjectId: overdue.id,
    before: { number: overdue.number, state: overdue.state, escalations: overdue.escalations },
    after: { number: overdue.number, state: overdue.state, escalations: level },
  });
  return true;
}

/** People of one role in one area, by id. */
export async function peopleOfArea(tx: Tx, areaId: number, role: PersonRole): Promise<number[]> {
  const people = await tx.person.findMany({ where: { areaId, role }, orderBy: { id: 'asc' }, select: { id: true } });
  return people.map((person) => person.id);
}
