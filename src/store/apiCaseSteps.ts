import { DEFAULT_DEADLINE_HOURS, type Severity } from '../domain/caseDeadlines';
import { DomainError } from '../domain/DomainError';
import { recordAudit } from './auditLog';
import type { CaseState, Db, Department, Tx } from './database';

export const CASE_ACTIONS = ['verify', 'refer', 'assist', 'close', 'dismiss', 'reopen'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** From which states each action moves a case, and to which. */
const MOVES: Record<CaseAction, { from: CaseState[]; to: CaseState }> = {
  verify: { from: ['reported'], to: 'verified' },
  refer: { from: ['verified'], to: 'referred' },
  assist: { from: ['referred'], to: 'assisting' },
  close: { from: ['verified', 'referred', 'assisting'], to: 'closed' },
  dismiss: { from: ['reported', 'verified'], to: 'dismissed' },
  reopen: { from: ['closed', 'dismissed'], to: 'reported' },
};

const HOUR = 3_600_000;

export interface CaseMove {
  reportId: number;
  action: CaseAction;
  note?: string;
  department?: Department;
  actor: { kind: 'token'; tokenId: number; role: string; areaPath: string };
  now: Date;
  deadlines?: Record<Severity, { verify: number; refer: number }>;
}

/**
 * An admin-API token moves a case one step, with the same states and deadlines as chat: the step,
 * the new deadline and the audit entry in one transaction. Throws DomainError: case_not_found
 * (also outside the token's area), transition_not_allowed, department_required.
 */
export async function moveCase(tx: Tx, move: CaseMove): Promise<void> {
  const deadlines = move.deadlines ?? DEFAULT_DEADLINE_HOURS;
  const report = await tx.report.findFirst({
    where: { id: move.reportId, area: { path: { startsWith: move.actor.areaPath } } },
    select: { id: true, number: true, state: true, severity: true },
  });
  if (!report) throw new DomainError('case_not_found', 'no such case in your area');
  const { from, to } = MOVES[move.action];
  if (!from.includes(report.state)) throw new DomainError('transition_not_allowed', `a ${report.state} case cannot be moved by ${move.action}`);
  if (move.action === 'refer' && !move.department) throw new DomainError('department_required', 'a referral names the department');
  const hours = deadlines[report.severity];
  const dueAt =
    to === 'reported' ? new Date(move.now.getTime() + hours.verify * HOUR) : to === 'verified' || to === 'referred' ? new Date(move.now.getTime() + hours.refer * HOUR) : null;
  const actorLabel = `token:${move.actor.tokenId}`;
  const finished = to === 'closed' || to === 'dismissed';
  await tx.report.update({
    where: { id: report.id },
    data: {
      state: to,
      dueAt,
      stateSince: move.now,
      escalations: 0,
      closedAt: finished ? move.now : null,
      ...(move.department ? { department: move.department } : {}),
    },
  });
  await tx.caseStep.create({
    data: { reportId: report.id, fromState: report.state, toState: to, actorLabel, note: move.note ?? null, department: move.department ?? null, at: move.now, dueAt },
  });
  await recordAudit(tx, {
    at: move.now,
    actor: actorLabel,
    action: `case.${move.action}`,
    subjectType: 'Report',
    subjectId: report.id,
    before: { state: report.state },
    after: { state: to, ...(move.department ? { department: move.department } : {}) },
  });
}

/** One case move in its own transaction. */
export function applyCaseStep(db: Db, move: CaseMove): Promise<void> {
  return db.$transaction((tx) => moveCase(tx, move));
}
