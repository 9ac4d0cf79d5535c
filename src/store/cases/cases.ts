import { isWithinArea } from '../../domain/areaScope';
import { caseActorWords, type CaseStepActor } from '../../domain/caseActors';
import { mayMoveCase, maySeeReporter, OPEN_CASE_STATES, type CaseActorScope, type CaseState, type Department } from '../../domain/caseWorkflow';
import { DomainError } from '../../domain/DomainError';
import type { ReferralEvent } from '../../domain/referrals';
import { recordAudit } from '../audit/auditLog';
import { inArea, type AreaScope } from '../registry/areaScopeFilter';
import type { ApiRole, PersonRole, Prisma, ReportType, Severity, Tx } from '../db/database';

const OPEN_STATES: CaseState[] = [...OPEN_CASE_STATES];

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
 * staff read only their referrals (src/store/cases/referrals.ts).
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

export interface CaseFilter {
  within: AreaScope;
  state?: CaseState;
  severity?: Severity;
  type?: ReportType;
  /** The current step's deadline has passed. */
  overdue?: boolean;
  childId?: number;
  /** Archived cases (closed a retention period ago) instead of the others; by default they are not listed. */
  archived?: boolean;
  now: Date;
  after?: number;
  limit: number;
}

export interface CaseSummary {
  id: number;
  number: string;
  child: { id: number; name: string } | null;
  subjectName: string | null;
  area: { code: string; name: string };
  type: ReportType;
  severity: Severity;
  state: CaseState;
  suspected: boolean;
  source: string;
  department: Department | null;
  dueAt: Date | null;
  overdue: boolean;
  stateSince: Date;
  reportedAt: Date;
  closedAt: Date | null;
  archivedAt: Date | null;
  /** Confidential: null unless the viewer may see who reported (domain/caseWorkflow.ts maySeeReporter). */
  reporter: { id: number; name: string } | null;
}

const CASE_SELECT = {
  id: true,
  number: true,
  subjectName: true,
  type: true,
  severity: true,
  state: true,
  suspected: true,
  source: true,
  department: true,
  dueAt: true,
  stateSince: true,
  reportedAt: true,
  closedAt: true,
  archivedAt: true,
  child: { select: { id: true, name: true } },
  area: { select: { code: true, name: true, path: true } },
  reporter: { select: { id: true, name: true } },
} as const;

type SelectedCase = Prisma.ReportGetPayload<{ select: typeof CASE_SELECT }>;

function summary({ area: { path, ...area }, ...row }: SelectedCase, now: Date, viewer: CaseActorScope): CaseSummary {
  const overdue = row.dueAt !== null && row.dueAt < now && OPEN_STATES.includes(row.state);
  return { ...row, area, overdue, reporter: maySeeReporter(viewer, path) ? row.reporter : null };
}

/** Cases of the subtree matching the filter, by id, one page (limit + 1 rows). */
export async function listCases(tx: Tx, filter: CaseFilter, viewer: CaseActorScope): Promise<CaseSummary[]> {
  const where: Prisma.ReportWhereInput = {
    ...inArea(filter.within),
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.severity ? { severity: filter.severity } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.childId ? { childId: filter.childId } : {}),
    archivedAt: filter.archived ? { not: null } : null,
    ...(filter.after !== undefined ? { id: { gt: filter.after } } : {}),
  };
  const overdue: Prisma.ReportWhereInput = { state: { in: OPEN_STATES }, dueAt: { lt: filter.now } };
  const rows = await tx.report.findMany({
    where: filter.overdue === undefined ? where : { AND: [where, filter.overdue ? overdue : { NOT: overdue }] },
    select: CASE_SELECT,
    orderBy: { id: 'asc' },
    take: filter.limit + 1,
  });
  return rows.map((row) => summary(row, filter.now, viewer));
}

export interface CaseStepRecord {
  fromState: CaseState | null;
  toState: CaseState;
  /** Who acted, as the viewer may know it, with `words` saying it in Chinese (名字（角色）, 系统). */
  actor: CaseStepActor & { words: string };
  note: string | null;
  department: Department | null;
  /** A department's action on its referral, or null for a step of the case's own workflow. */
  referralEvent: ReferralEvent | null;
  at: Date;
  dueAt: Date | null;
}

export interface CaseDetail extends CaseSummary {
  description: string;
  actionsTaken: string | null;
  /** Whether this viewer may see who filed it (reporter null with true means the system filed it). */
  reporterVisible: boolean;
  steps: CaseStepRecord[];
}

/** A case by database id or by its number (e.g. EZ-2026-000123). */
export type CaseRef = { id: number } | { number: string };

/**
 * The one reader of a case with its history, as `viewer` may see it (chat, API and console):
 * null when it does not exist or the viewer may not see it (mayViewCase), so a case elsewhere
 * reads like a number that does not exist. The reporter, and the reporter's own steps, are named
 * only for viewers the domain lets see them (maySeeReporter).
 */
export async function findCase(tx: Tx, ref: CaseRef, viewer: CaseActor, now: Date): Promise<CaseDetail | null> {
  const row = await tx.report.findUnique({
    where: 'id' in ref ? { id: ref.id } : { number: ref.number },
    select: {
      ...CASE_SELECT,
      reporterId: true,
      description: true,
      actionsTaken: true,
      steps: {
        select: { fromState: true, toState: true, actorId: true, actorLabel: true, note: true, department: true, referralEvent: true, at: true, dueAt: true, actor: { select: { id: true, name: true, role: true } } },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      },
    },
  });
  if (!row || !mayViewCase(viewer, row.area.path)) return null;
  const { steps, reporterId, description, actionsTaken, ...rest } = row;
  const reporterVisible = maySeeReporter(viewer, rest.area.path);
  const accounts = await accountsNamed(tx, steps.map((step) => step.actorLabel));
  const stepActor = (actor: { id: number; name: string; role: PersonRole } | null, actorId: number | null, actorLabel: string | null): CaseStepActor => {
    if (actorId !== null && actorId === reporterId && !reporterVisible) return { kind: 'withheld' };
    if (actor) return { kind: 'person', personId: actor.id, name: actor.name, role: actor.role };
    if (actorLabel === null || actorLabel === 'system') return { kind: 'system' };
    return accounts.get(actorLabel) ?? { kind: 'removed', label: actorLabel };
  };
  return {
    ...summary(rest, now, viewer),
    description,
    actionsTaken,
    reporterVisible,
    steps: steps.map(({ actor, actorId, actorLabel, ...step }) => {
      const who = stepActor(actor, actorId, actorLabel);
      return { ...step, actor: { ...who, words: caseActorWords(who) } };
    }),
  };
}

/** The console accounts and API tokens among step labels (user:7, token:2), so staff are named with their role, as chat names people. */
async function accountsNamed(tx: Tx, labels: Array<string | null>): Promise<Map<string, CaseStepActor>> {
  const idsOf = (prefix: string) => [...new Set(labels.flatMap((label) => (label && new RegExp(`^${prefix}:\\d+$`).test(label) ? [Number(label.slice(prefix.length + 1))] : [])))];
  const [userIds, tokenIds] = [idsOf('user'), idsOf('token')];
  const [users, tokens] = await Promise.all([
    userIds.length ? tx.userAccount.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, role: true } }) : [],
    tokenIds.length ? tx.apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true, role: true } }) : [],
  ]);
  return new Map<string, CaseStepActor>([
    ...users.map((user) => [`user:${user.id}`, { kind: 'account', label: `user:${user.id}`, name: user.name, role: user.role }] as const),
    ...tokens.map((token) => [`token:${token.id}`, { kind: 'token', label: `token:${token.id}`, name: token.name, role: token.role }] as const),
  ]);
}

/** The id of a case of the scope, for a transition. */
export async function caseIdInScope(tx: Tx, scope: AreaScope, number: string): Promise<number | null> {
  return (await tx.report.findFirst({ where: { number, ...inArea(scope) }, select: { id: true } }))?.id ?? null;
}

export interface OpenCaseCounts {
  open: number;
  overdue: number;
  byState: Record<'reported' | 'verified' | 'referred' | 'assisting', number>;
  bySeverity: Record<Severity, number>;
}

/** Open cases of the scope counted by step and by severity, and how many are overdue: the overview's numbers. */
export async function openCaseCounts(tx: Tx, scope: AreaScope, now: Date): Promise<OpenCaseCounts> {
  const where: Prisma.ReportWhereInput = { ...inArea(scope), state: { in: OPEN_STATES } };
  const [groups, overdue] = await Promise.all([
    tx.report.groupBy({ by: ['state', 'severity'], where, _count: { _all: true } }),
    tx.report.count({ where: { ...where, dueAt: { lt: now } } }),
  ]);
  const counts: OpenCaseCounts = {
    open: 0,
    overdue,
    byState: { reported: 0, verified: 0, referred: 0, assisting: 0 },
    bySeverity: { urgent: 0, high: 0, normal: 0 },
  };
  for (const group of groups) {
    counts.open += group._count._all;
    counts.byState[group.state as keyof OpenCaseCounts['byState']] += group._count._all;
    counts.bySeverity[group.severity] += group._count._all;
  }
  return counts;
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
