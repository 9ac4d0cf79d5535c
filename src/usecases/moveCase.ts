import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import { mayMoveCase, transitionCase, type CaseAction, type CaseState, type Department } from '../domain/caseWorkflow';
import { DomainError } from '../domain/DomainError';
import { recordAudit } from '../store/audit/auditLog';
import { caseActorLabel, caseNotFound, caseToMove, mayViewCase, saveCaseMove, type CaseActor } from '../store/cases/cases';
import type { Tx } from '../store/db/database';

export interface MoveCaseInput {
  reportId: number;
  action: CaseAction;
  note?: string | null;
  /** Required to refer; refused with any other action. */
  department?: Department | null;
  actor: CaseActor;
  now: Date;
  /** The configured deadlines; the plan's defaults when unset. */
  deadlines?: CaseDeadlineHours;
}

export interface MovedCase {
  id: number;
  number: string;
  from: CaseState;
  state: CaseState;
  /** Deadline of the next step, or null when none is due (referred, assisting, closed, dismissed). */
  dueAt: Date | null;
  department: Department | null;
  stepId: number;
}

/**
 * Moves a case one step (案件 <编号> 核实/转介/… in chat, POST /cases/:number/steps in the API), with
 * its step record and audit entry, in the caller's transaction. Throws DomainError: `case_not_found`
 * when the case does not exist or lies outside the actor's area (the two look the same),
 * `case_move_forbidden` for a reader such as an auditor, and the workflow's codes
 * (`case_transition_refused`, `case_note_required`, `case_department_required`, …).
 */
export async function moveCase(tx: Tx, input: MoveCaseInput): Promise<MovedCase> {
  const report = await caseToMove(tx, input.reportId);
  if (!report || !mayViewCase(input.actor, report.area.path)) throw caseNotFound();
  if (!mayMoveCase(input.actor, report.area.path)) throw new DomainError('case_move_forbidden', 'this role may read cases but not move them');

  const moved = transitionCase({
    state: report.state,
    severity: report.severity,
    action: input.action,
    note: input.note,
    department: input.department,
    now: input.now,
    deadlines: input.deadlines,
  });
  const department = moved.step.department ?? report.department;
  const stepId = await saveCaseMove(tx, {
    reportId: report.id,
    fromState: report.state,
    state: moved.state,
    dueAt: moved.dueAt,
    department,
    step: moved.step,
    actor: input.actor,
    now: input.now,
  });
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  await recordAudit(tx, {
    at: input.now,
    actor: caseActorLabel(input.actor),
    action: `case.${input.action}`,
    subjectType: 'Report',
    subjectId: report.id,
    before: { number: report.number, state: report.state, dueAt: iso(report.dueAt), department: report.department },
    after: { number: report.number, state: moved.state, dueAt: iso(moved.dueAt), department },
  });
  return { id: report.id, number: report.number, from: report.state, state: moved.state, dueAt: moved.dueAt, department, stepId };
}
