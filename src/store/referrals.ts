import { isWithinArea } from '../domain/areaScope';
import type { Department } from '../domain/departments';
import { DomainError } from '../domain/DomainError';
import { moveReferral, OPEN_REFERRAL_STATES, REFERRAL_EVENT, referralDueAt, type ReferralAction, type ReferralDeadlineHours, type ReferralState } from '../domain/referrals';
import { REPORT_TYPE_INFO } from '../domain/reportType';
import { recordAudit } from './auditLog';
import type { AreaScope } from './areaScopeFilter';
import type { Db, ReportType, Tx } from './database';

/** Department staff reading their referrals: a department and the area they serve. */
export interface DepartmentViewer {
  department: Department;
  scope: AreaScope;
  /** The audit-log and step label: token:<id> or user:<id>. */
  actor: string;
}

export interface ReferralView {
  id: number;
  caseNumber: string;
  department: Department;
  state: ReferralState;
  /** What the director asks of the department. */
  request: string | null;
  sentAt: Date;
  dueAt: Date;
  acceptedAt: Date | null;
  answeredAt: Date | null;
  feedback: string | null;
  returnedAt: Date | null;
  returnReason: string | null;
  case: { type: ReportType; severity: string; description: string; reportedAt: Date };
  /** The child the referral is about: what the department needs to find and help them, nothing more. */
  child: { name: string; gender: string | null; birthDate: string | null; schoolName: string | null; village: string };
  /** Whom to contact about the case: the village's child-welfare directors. */
  directors: { name: string; phone: string | null }[];
}

const VIEW = {
  id: true,
  department: true,
  state: true,
  request: true,
  sentAt: true,
  dueAt: true,
  acceptedAt: true,
  answeredAt: true,
  feedback: true,
  returnedAt: true,
  returnReason: true,
  report: {
    select: {
      number: true,
      type: true,
      severity: true,
      description: true,
      reportedAt: true,
      subjectName: true,
      child: { select: { name: true, gender: true, birthDate: true, schoolName: true } },
      area: { select: { id: true, name: true, path: true } },
    },
  },
} as const;

type Row = Awaited<ReturnType<typeof readRows>>[number];

function readRows(db: Db | Tx, where: object, take?: number) {
  return db.referral.findMany({ where, select: VIEW, orderBy: { id: 'asc' }, ...(take ? { take } : {}) });
}

async function toViews(db: Db | Tx, rows: Row[]): Promise<ReferralView[]> {
  const villageIds = [...new Set(rows.map((row) => row.report.area.id))];
  const directors = await db.person.findMany({ where: { role: 'director', areaId: { in: villageIds } }, select: { areaId: true, name: true, phone: true }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    caseNumber: row.report.number,
    department: row.department,
    state: row.state,
    request: row.request,
    sentAt: row.sentAt,
    dueAt: row.dueAt,
    acceptedAt: row.acceptedAt,
    answeredAt: row.answeredAt,
    feedback: row.feedback,
    returnedAt: row.returnedAt,
    returnReason: row.returnReason,
    case: { type: row.report.type, severity: row.report.severity, description: row.report.description, reportedAt: row.report.reportedAt },
    child: {
      name: row.report.child?.name ?? row.report.subjectName ?? '',
      gender: row.report.child?.gender ?? null,
      birthDate: row.report.child?.birthDate ?? null,
      schoolName: row.report.child?.schoolName ?? null,
      village: row.report.area.name,
    },
    directors: directors.filter((d) => d.areaId === row.report.area.id).map(({ name, phone }) => ({ name, phone })),
  }));
}

/** Only the viewer's department, only cases of villages within the viewer's area. */
const visibleTo = (viewer: Pick<DepartmentViewer, 'department' | 'scope'>) => ({
  department: viewer.department,
  report: { area: { path: { startsWith: viewer.scope.path } } },
});

/** The viewer's referrals, oldest first, keyset-paged after `after`; `state` narrows them. */
export async function listReferrals(db: Db, viewer: Pick<DepartmentViewer, 'department' | 'scope'>, page: { after?: number; limit: number; state?: ReferralState }): Promise<ReferralView[]> {
  const where = { ...visibleTo(viewer), ...(page.after ? { id: { gt: page.after } } : {}), ...(page.state ? { state: page.state } : {}) };
  return toViews(db, await readRows(db, where, page.limit));
}

/** One referral as the viewer may see it, or null (another department's, another area's, or none). */
export async function referralFor(db: Db | Tx, viewer: Pick<DepartmentViewer, 'department' | 'scope'>, id: number): Promise<ReferralView | null> {
  const rows = await readRows(db, { id, ...visibleTo(viewer) });
  const row = rows[0];
  // The prefix filter above is a string match; whole-code containment is the rule.
  if (!row || !isWithinArea({ path: row.report.area.path }, viewer.scope)) return null;
  return (await toViews(db, [row]))[0]!;
}

/** Refuses a second referral to a department that still owes the case its answer: DomainError `referral_already_open`. */
export async function checkNoOpenReferral(tx: Tx, reportId: number, department: Department): Promise<void> {
  const open = await tx.referral.count({ where: { reportId, department, state: { in: [...OPEN_REFERRAL_STATES] } } });
  if (open > 0) throw new DomainError('referral_already_open', `the case is already with ${department}, awaiting its answer`);
}

/** Creates the referral a `refer` step makes, in the step's transaction. */
export async function createReferral(
  tx: Tx,
  input: { reportId: number; department: Department; request: string | null; now: Date; deadlines?: ReferralDeadlineHours; actor: string },
): Promise<number> {
  const report = await tx.report.findUniqueOrThrow({ where: { id: input.reportId }, select: { type: true, number: true } });
  const dueAt = referralDueAt(input.department, REPORT_TYPE_INFO[report.type].mandatory, input.now, input.deadlines);
  const referral = await tx.referral.create({
    data: { reportId: input.reportId, department: input.department, request: input.request, sentAt: input.now, dueAt },
    select: { id: true },
  });
  await recordAudit(tx, {
    at: input.now,
    actor: input.actor,
    action: 'referral.create',
    subjectType: 'Referral',
    subjectId: referral.id,
    after: { number: report.number, department: input.department, dueAt: dueAt.toISOString() },
  });
  return referral.id;
}

export interface ActedReferral {
  referral: ReferralView;
  /** The case's village, whose directors hear the department's answer. */
  villageId: number;
}

/**
 * The department's action on its referral, recorded on the referral and as a case step (the
 * case's state does not change), with an audit entry. Throws DomainError `referral_not_found`
 * for a referral the viewer may not see, and the rule's codes (`referral_action_refused`, …).
 */
export async function actOnReferral(tx: Tx, viewer: DepartmentViewer, input: { id: number; action: ReferralAction; note?: string | null; now: Date }): Promise<ActedReferral> {
  const current = await referralFor(tx, viewer, input.id);
  if (!current) throw new DomainError('referral_not_found', 'no such referral');
  const moved = moveReferral(current.state, input.action, input.note);
  const stamps =
    input.action === 'accept'
      ? { acceptedAt: input.now }
      : input.action === 'answer'
        ? { answeredAt: input.now, feedback: moved.note }
        : input.action === 'return'
          ? { returnedAt: input.now, returnReason: moved.note }
          : {};
  // Conditional on the state read: of two staff acting at once, the second is refused.
  const updated = await tx.referral.updateMany({ where: { id: current.id, state: current.state }, data: { state: moved.state, ...stamps } });
  if (updated.count !== 1) throw new DomainError('referral_action_refused', 'the referral was changed by someone else just now');
  const report = await tx.report.findUniqueOrThrow({ where: { number: current.caseNumber }, select: { id: true, state: true, areaId: true } });
  await tx.caseStep.create({
    data: {
      reportId: report.id,
      fromState: report.state,
      toState: report.state,
      actorLabel: viewer.actor,
      note: moved.note,
      department: current.department,
      referralId: current.id,
      referralEvent: REFERRAL_EVENT[input.action],
      at: input.now,
    },
  });
  await recordAudit(tx, {
    at: input.now,
    actor: viewer.actor,
    action: `referral.${input.action}`,
    subjectType: 'Referral',
    subjectId: current.id,
    before: { state: current.state },
    after: { state: moved.state },
  });
  return { referral: (await referralFor(tx, viewer, current.id))!, villageId: report.areaId };
}

/** Department staff who hear of referrals to `department` from a village: those serving an area that contains it. */
export async function departmentStaffFor(tx: Tx, department: Department, villagePath: string): Promise<number[]> {
  const codes = villagePath.slice(1, -1).split('/');
  const people = await tx.person.findMany({ where: { department, area: { code: { in: codes } } }, select: { id: true }, orderBy: { id: 'asc' } });
  return people.map((person) => person.id);
}

export interface OverdueReferral {
  id: number;
  department: Department;
  caseNumber: string;
  childName: string;
  villagePath: string;
  villageName: string;
  townshipId: number | null;
  sentAt: Date;
  dueAt: Date;
  escalations: number;
}

/** Unanswered referrals past their deadline and not yet told to the township, in id order after `afterId`. */
export async function overdueReferrals(db: Db, now: Date, afterId: number, take: number): Promise<OverdueReferral[]> {
  const rows = await db.referral.findMany({
    where: { id: { gt: afterId }, state: { in: [...OPEN_REFERRAL_STATES] }, dueAt: { lte: now }, escalations: { lt: 2 } },
    orderBy: { id: 'asc' },
    take,
    select: {
      id: true,
      department: true,
      sentAt: true,
      dueAt: true,
      escalations: true,
      report: { select: { number: true, subjectName: true, child: { select: { name: true } }, area: { select: { name: true, path: true, parentId: true } } } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    department: row.department,
    caseNumber: row.report.number,
    childName: row.report.child?.name ?? row.report.subjectName ?? '',
    villagePath: row.report.area.path,
    villageName: row.report.area.name,
    townshipId: row.report.area.parentId,
    sentAt: row.sentAt,
    dueAt: row.dueAt,
    escalations: row.escalations,
  }));
}

/** Records an escalation once: false when another run got there first. */
export async function markReferralEscalated(tx: Tx, overdue: OverdueReferral, level: 1 | 2, now: Date): Promise<boolean> {
  const updated = await tx.referral.updateMany({ where: { id: overdue.id, escalations: overdue.escalations, state: { in: [...OPEN_REFERRAL_STATES] } }, data: { escalations: level } });
  if (updated.count !== 1) return false;
  await recordAudit(tx, { at: now, actor: 'system', action: 'referral.escalate', subjectType: 'Referral', subjectId: overdue.id, before: { escalations: overdue.escalations }, after: { escalations: level } });
  return true;
}

/** Civil-affairs officers of an area (department staff excluded: they hear of their own referrals only). */
export async function officersOfArea(tx: Tx, areaId: number): Promise<number[]> {
  const people = await tx.person.findMany({ where: { areaId, role: 'officer', department: null }, select: { id: true }, orderBy: { id: 'asc' } });
  return people.map((person) => person.id);
}

/** What a new referral's notice says beside the case: the village (name, path) and the referral's deadline. */
export async function referralNoticeFacts(tx: Tx, reportId: number, referralId: number): Promise<{ villageName: string; villagePath: string; dueAt: Date }> {
  const report = await tx.report.findUniqueOrThrow({ where: { id: reportId }, select: { area: { select: { name: true, path: true } } } });
  const referral = await tx.referral.findUniqueOrThrow({ where: { id: referralId }, select: { dueAt: true } });
  return { villageName: report.area.name, villagePath: report.area.path, dueAt: referral.dueAt };
}

/** How many case steps a referral has: a notice's key, so each action is told once. */
export function referralStepCount(tx: Tx, referralId: number): Promise<number> {
  return tx.caseStep.count({ where: { referralId } });
}
