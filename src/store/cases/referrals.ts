import { isWithinArea } from '../../domain/areaScope';
import type { Department } from '../../domain/departments';
import { DomainError } from '../../domain/DomainError';
import { moveReferral, OPEN_REFERRAL_STATES, REFERRAL_EVENT, referralDueAt, type ReferralAction, type ReferralDeadlineHours, type ReferralState } from '../../domain/referrals';
import { REPORT_TYPE_INFO } from '../../domain/reportType';
import { returnIntentionOf, returnNeedsOf, type ReturnIntention, type ReturnNeed } from '../../domain/returnHome';
import { recordAudit } from '../audit/auditLog';
import type { AreaScope } from '../registry/areaScopeFilter';
import type { Db, ReportType, Tx } from '../db/database';

/** Department staff reading their referrals: a department and the area they serve. */
export interface DepartmentViewer {
  department: Department;
  scope: AreaScope;
  /** The audit-log and step label: token:<id> or user:<id>. */
  actor: string;
}

/** What a referral hands over: a child-protection case, or an away parent's return-home wish (人社 only). */
export type ReferralSubject = 'case' | 'return_home';

export interface ReferralView {
  id: number;
  subject: ReferralSubject;
  /** The case's number; null for a return-home wish. */
  caseNumber: string | null;
  department: Department;
  state: ReferralState;
  /** What the director asks of the department (a wish: the help the parent asked for). */
  request: string | null;
  sentAt: Date;
  dueAt: Date;
  acceptedAt: Date | null;
  answeredAt: Date | null;
  feedback: string | null;
  returnedAt: Date | null;
  returnReason: string | null;
  /** The department's latest 处理情况. */
  progress: string | null;
  case: { type: ReportType; severity: string; description: string; reportedAt: Date } | null;
  /** The child the referral is about: what the department needs to find and help them, nothing more. */
  child: { name: string; gender: string | null; birthDate: string | null; schoolName: string | null; village: string } | null;
  /** Whom to contact about the case: the village's child-welfare directors (none for a wish). */
  directors: { name: string; phone: string | null }[];
  /** The parent a return-home wish is about, who consented to be contacted; never a child's details. */
  parent: { name: string; phone: string | null; village: string; work: { place: string; trade: string | null } | null; period: string; intention: ReturnIntention | null; needs: ReturnNeed[] } | null;
}

const AREA = { select: { id: true, name: true, path: true, parentId: true } } as const;

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
  progress: true,
  report: {
    select: {
      number: true,
      type: true,
      severity: true,
      description: true,
      reportedAt: true,
      subjectName: true,
      child: { select: { name: true, gender: true, birthDate: true, schoolName: true } },
      area: AREA,
    },
  },
  returnHomeWish: {
    select: {
      period: true,
      intention: true,
      needs: true,
      person: { select: { id: true, name: true, phone: true, area: AREA, work: { select: { place: true, trade: true } } } },
    },
  },
} as const;

type Row = Awaited<ReturnType<typeof readRows>>[number];

function readRows(db: Db | Tx, where: object, take?: number) {
  return db.referral.findMany({ where, select: VIEW, orderBy: { id: 'asc' }, ...(take ? { take } : {}) });
}

/** The village a referral comes from: the case's, or the parent's. */
type Village = { id: number; name: string; path: string; parentId: number | null };
const villageOf = (row: { report: { area: Village } | null; returnHomeWish: { person: { area: Village } } | null }): Village => (row.report?.area ?? row.returnHomeWish?.person.area)!;

async function toViews(db: Db | Tx, rows: Row[]): Promise<ReferralView[]> {
  const villageIds = [...new Set(rows.filter((row) => row.report).map((row) => row.report!.area.id))];
  const directors = villageIds.length ? await db.person.findMany({ where: { role: 'director', areaId: { in: villageIds } }, select: { areaId: true, name: true, phone: true }, orderBy: { id: 'asc' } }) : [];
  return rows.map((row) => {
    const { report, returnHomeWish: wish } = row;
    return {
      id: row.id,
      subject: report ? 'case' : 'return_home',
      caseNumber: report?.number ?? null,
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
      progress: row.progress,
      case: report ? { type: report.type, severity: report.severity, description: report.description, reportedAt: report.reportedAt } : null,
      child: report
        ? {
            name: report.child?.name ?? report.subjectName ?? '',
            gender: report.child?.gender ?? null,
            birthDate: report.child?.birthDate ?? null,
            schoolName: report.child?.schoolName ?? null,
            village: report.area.name,
          }
        : null,
      directors: report ? directors.filter((d) => d.areaId === report.area.id).map(({ name, phone }) => ({ name, phone })) : [],
      parent: wish
        ? {
            name: wish.person.name,
            phone: wish.person.phone,
            village: wish.person.area.name,
            work: wish.person.work,
            period: wish.period,
            intention: returnIntentionOf(wish.intention),
            needs: returnNeedsOf(wish.needs),
          }
        : null,
    };
  });
}

/** Only the viewer's department, only cases of villages within the viewer's area. */
const visibleTo = (viewer: Pick<DepartmentViewer, 'department' | 'scope'>) => ({
  department: viewer.department,
  OR: [{ report: { area: { path: { startsWith: viewer.scope.path } } } }, { returnHomeWish: { person: { area: { path: { startsWith: viewer.scope.path } } } } }],
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
  if (!row || !isWithinArea({ path: villageOf(row).path }, viewer.scope)) return null;
  return (await toViews(db, [row]))[0]!;
}

/** Refuses a second referral to a department that still owes the case its answer: DomainError `referral_already_open`. */
export async function checkNoOpenReferral(tx: Tx, reportId: number, department: Department): Promise<void> {
  const open = await tx.referral.count({ where: { reportId, department, state: { in: [...OPEN_REFERRAL_STATES] } } });
  if (open > 0) throw new DomainError('referral_already_open', `the case is already with ${department}, awaiting its answer`);
}

/**
 * Creates a referral in the caller's transaction: a `refer` step's (a case), or a consenting
 * parent's return-home wish handed to 人社 (never a mandatory report: the default deadline).
 * A case's referral comes back with the case's village, which the department's notice names.
 */
export async function createReferral(
  tx: Tx,
  input: { subject: { reportId: number } | { returnHomeWishId: number }; department: Department; request: string | null; now: Date; deadlines?: ReferralDeadlineHours; actor: string },
): Promise<{ id: number; dueAt: Date; village: { name: string; path: string } | null }> {
  const report =
    'reportId' in input.subject
      ? await tx.report.findUniqueOrThrow({ where: { id: input.subject.reportId }, select: { type: true, number: true, area: { select: { name: true, path: true } } } })
      : null;
  const dueAt = referralDueAt(input.department, report ? REPORT_TYPE_INFO[report.type].mandatory : false, input.now, input.deadlines);
  const referral = await tx.referral.create({
    data: { ...input.subject, department: input.department, request: input.request, sentAt: input.now, dueAt },
    select: { id: true },
  });
  await recordAudit(tx, {
    at: input.now,
    actor: input.actor,
    action: 'referral.create',
    subjectType: 'Referral',
    subjectId: referral.id,
    after: { ...(report ? { number: report.number } : input.subject), department: input.department, dueAt: dueAt.toISOString() },
  });
  return { id: referral.id, dueAt, village: report?.area ?? null };
}

export interface ActedReferral {
  referral: ReferralView;
  /** The case's village, whose directors hear the department's answer; a wish's parent's village. */
  villageId: number;
  /** The parent of a return-home wish, who hears the department's answer; null for a case. */
  parentId: number | null;
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
  const progress = input.action === 'progress' ? { progress: moved.note } : {};
  // Conditional on the state read: of two staff acting at once, the second is refused.
  const updated = await tx.referral.updateMany({ where: { id: current.id, state: current.state }, data: { state: moved.state, ...stamps, ...progress } });
  if (updated.count !== 1) throw new DomainError('referral_action_refused', 'the referral was changed by someone else just now');
  const subject = await tx.referral.findUniqueOrThrow({
    where: { id: current.id },
    select: { report: { select: { id: true, state: true, areaId: true } }, returnHomeWish: { select: { person: { select: { id: true, areaId: true } } } } },
  });
  const { report } = subject;
  // A case records the action as its step; a wish has no steps: the referral and the audit are its record.
  if (report) {
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
  }
  await recordAudit(tx, {
    at: input.now,
    actor: viewer.actor,
    action: `referral.${input.action}`,
    subjectType: 'Referral',
    subjectId: current.id,
    before: { state: current.state },
    after: { state: moved.state },
  });
  const parent = subject.returnHomeWish?.person ?? null;
  return { referral: (await referralFor(tx, viewer, current.id))!, villageId: report?.areaId ?? parent!.areaId, parentId: parent?.id ?? null };
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
  /** The case's number; null for a return-home wish. */
  caseNumber: string | null;
  childName: string;
  /** The parent of a return-home wish; null for a case. */
  parentName: string | null;
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
      report: { select: { number: true, subjectName: true, child: { select: { name: true } }, area: AREA } },
      returnHomeWish: { select: { person: { select: { name: true, area: AREA } } } },
    },
  });
  return rows.map((row) => {
    const village = villageOf(row);
    return {
      id: row.id,
      department: row.department,
      caseNumber: row.report?.number ?? null,
      childName: row.report ? (row.report.child?.name ?? row.report.subjectName ?? '') : '',
      parentName: row.returnHomeWish?.person.name ?? null,
      villagePath: village.path,
      villageName: village.name,
      townshipId: village.parentId,
      sentAt: row.sentAt,
      dueAt: row.dueAt,
      escalations: row.escalations,
    };
  });
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

/**
 * How many actions a referral has had: a notice's key, so each is told once. Each action is audited
 * once on the referral (a return-home wish's referral has no case steps to count), so the count
 * tells a repeated 处理情况 from the one before.
 */
export function referralStepCount(tx: Tx, referralId: number): Promise<number> {
  return tx.auditLog.count({ where: { subjectType: 'Referral', subjectId: String(referralId) } });
}
