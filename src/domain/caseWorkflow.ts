import { isWithinArea } from './areaScope';
import { DEFAULT_DEADLINE_HOURS, referDueAt, type CaseDeadlineHours, type Severity } from './caseDeadlines';
import { DEPARTMENTS, type Department } from './departments';
import { DomainError } from './DomainError';

export const CASE_STATES = ['reported', 'verified', 'referred', 'assisting', 'closed', 'dismissed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States of a case someone still has to act on. */
export const OPEN_CASE_STATES = ['reported', 'verified', 'referred', 'assisting'] as const satisfies readonly CaseState[];

export const CASE_ACTIONS = ['verify', 'refer', 'assist', 'close', 'dismiss', 'reopen'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export { DEPARTMENTS, DEPARTMENT_WORDS, departmentOfWord, type Department } from './departments';

/**
 * The chain discover → report → refer → assist with no gaps: each action from the states it may
 * follow. A case is closed only once assistance has begun; a report that turns out unfounded is
 * dismissed before referral. Reopening sends a closed case back to `verified`, so it is referred again.
 * A case referred or being assisted may be referred to a further department: it stays where it is.
 */
const TRANSITIONS: Readonly<Record<CaseAction, { from: readonly CaseState[]; to: CaseState }>> = {
  verify: { from: ['reported'], to: 'verified' },
  refer: { from: ['verified', 'referred', 'assisting'], to: 'referred' },
  assist: { from: ['referred'], to: 'assisting' },
  close: { from: ['assisting'], to: 'closed' },
  dismiss: { from: ['reported', 'verified'], to: 'dismissed' },
  reopen: { from: ['closed'], to: 'verified' },
};

/** Actions whose step must say why: what help, why closed, why dismissed, why reopened. */
const NOTE_REQUIRED: ReadonlySet<CaseAction> = new Set(['assist', 'close', 'dismiss', 'reopen']);

/** What may be done next with a case in `state`, in workflow order. */
export function allowedActions(state: CaseState): CaseAction[] {
  return CASE_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(state));
}

export interface CaseMove {
  state: CaseState;
  severity: Severity;
  action: CaseAction;
  note?: string | null;
  /** Required to refer, refused with any other action. */
  department?: Department | null;
  now: Date;
  deadlines?: CaseDeadlineHours;
}

export interface CaseStepRecord {
  from: CaseState;
  to: CaseState;
  note: string | null;
  department: Department | null;
}

export interface CaseTransition {
  state: CaseState;
  step: CaseStepRecord;
  /** Deadline of the next step: refer after verify or reopen; none once referred (the department acts). */
  dueAt: Date | null;
}

/** Applies one action to a case, or throws a DomainError saying why it may not be taken. */
export function transitionCase(move: CaseMove): CaseTransition {
  const rule = TRANSITIONS[move.action];
  if (!rule) throw new DomainError('case_unknown_action', `unknown case action: ${String(move.action)}`);
  if (!rule.from.includes(move.state)) {
    const allowed = allowedActions(move.state);
    throw new DomainError(
      'case_transition_refused',
      `a case in state ${move.state} cannot ${move.action}; ${allowed.length ? `allowed: ${allowed.join(', ')}` : 'it takes no further action'}`,
    );
  }
  const note = move.note?.trim() || null;
  if (note === null && NOTE_REQUIRED.has(move.action)) throw new DomainError('case_note_required', `${move.action} needs a note saying why`);
  const department = move.department ?? null;
  if (move.action === 'refer') {
    if (department === null) throw new DomainError('case_department_required', 'a referral names the department it goes to');
    if (!(DEPARTMENTS as readonly string[]).includes(department)) throw new DomainError('case_unknown_department', `not a department: ${department}`);
  } else if (department !== null) {
    throw new DomainError('case_department_unexpected', `only a referral names a department, not ${move.action}`);
  }
  const to = move.action === 'refer' && move.state !== 'verified' ? move.state : rule.to;
  const dueAt = to === 'verified' ? referDueAt(move.severity, move.now, move.deadlines ?? DEFAULT_DEADLINE_HOURS) : null;
  return { state: to, step: { from: move.state, to, note, department }, dueAt };
}

/** Chat roles and admin-API roles, as far as moving cases goes. */
const OFFICER_ROLES: ReadonlySet<string> = new Set(['officer', 'officer_city', 'officer_district', 'officer_township']);

export interface CaseActorScope {
  /** A chat role (director, officer, …) or an API token role (officer_township, auditor, …). */
  role: string;
  /** The materialized path of the actor's area (village of a director, area served by an officer). */
  areaPath: string;
}

/**
 * Only the director of the case's village, or an officer whose area contains the village, may move
 * a case. Auditors read; parents, guardians, teachers and hotline people never act on cases.
 */
export function mayMoveCase(actor: CaseActorScope, caseVillagePath: string): boolean {
  if (actor.role === 'director') return actor.areaPath === caseVillagePath && isWithinArea({ path: caseVillagePath }, { path: actor.areaPath });
  if (OFFICER_ROLES.has(actor.role)) return isWithinArea({ path: caseVillagePath }, { path: actor.areaPath });
  return false;
}

/** Who filed a report is confidential: only those who may act on the case see it (never the family). */
export const maySeeReporter = mayMoveCase;

/** Whether the case's step is overdue, and how far: 1 past its deadline, 2 past twice its deadline. */
export function overdueLevel(c: { stateSince: Date; dueAt: Date | null }, now: Date): 0 | 1 | 2 {
  if (c.dueAt === null || now.getTime() < c.dueAt.getTime()) return 0;
  const allowed = c.dueAt.getTime() - c.stateSince.getTime();
  return now.getTime() >= c.stateSince.getTime() + 2 * allowed ? 2 : 1;
}
