import { caseActorWords, type CaseStepActor } from '../domain/caseActors';
import { maySeeReporter, OPEN_CASE_STATES, type CaseActorScope } from '../domain/caseWorkflow';
import { inArea, type AreaScope } from './areaScopeFilter';
import type { CaseState, Db, Department, PersonRole, Prisma, ReportType, Severity } from './database';

const OPEN_STATES: CaseState[] = [...OPEN_CASE_STATES];

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
export async function listCases(db: Db, filter: CaseFilter, viewer: CaseActorScope): Promise<CaseSummary[]> {
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
  const rows = await db.report.findMany({
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
  at: Date;
  dueAt: Date | null;
}

export interface CaseDetail extends CaseSummary {
  description: string;
  actionsTaken: string | null;
  steps: CaseStepRecord[];
}

/** A case of the scope by number with its history, or null. Who reported stays hidden from a viewer who may not see it, in the steps too. */
export async function caseInScope(db: Db, scope: AreaScope, number: string, now: Date, viewer: CaseActorScope): Promise<CaseDetail | null> {
  const row = await db.report.findFirst({
    where: { number, ...inArea(scope) },
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
  if (!row) return null;
  const { steps, reporterId, description, actionsTaken, ...rest } = row;
  const showReporter = maySeeReporter(viewer, rest.area.path);
  const accounts = await accountsNamed(db, steps.map((step) => step.actorLabel));
  const stepActor = (actor: { id: number; name: string; role: PersonRole } | null, actorId: number | null, actorLabel: string | null): CaseStepActor => {
    if (actorId !== null && actorId === reporterId && !showReporter) return { kind: 'withheld' };
    if (actor) return { kind: 'person', personId: actor.id, name: actor.name, role: actor.role };
    if (actorLabel === null || actorLabel === 'system') return { kind: 'system' };
    return accounts.get(actorLabel) ?? { kind: 'removed', label: actorLabel };
  };
  return {
    ...summary(rest, now, viewer),
    description,
    actionsTaken,
    steps: steps.map(({ actor, actorId, actorLabel, ...step }) => {
      const who = stepActor(actor, actorId, actorLabel);
      return { ...step, actor: { ...who, words: caseActorWords(who) } };
    }),
  };
}

/** The id of a case of the scope, for a transition. */
export async function caseIdInScope(db: Db, scope: AreaScope, number: string): Promise<number | null> {
  return (await db.report.findFirst({ where: { number, ...inArea(scope) }, select: { id: true } }))?.id ?? null;
}

/** The console accounts and API tokens among step labels (user:7, token:2), so staff are named with their role, as chat names people. */
async function accountsNamed(db: Db, labels: Array<string | null>): Promise<Map<string, CaseStepActor>> {
  const idsOf = (prefix: string) => [...new Set(labels.flatMap((label) => (label && new RegExp(`^${prefix}:\\d+$`).test(label) ? [Number(label.slice(prefix.length + 1))] : [])))];
  const [userIds, tokenIds] = [idsOf('user'), idsOf('token')];
  const [users, tokens] = await Promise.all([
    userIds.length ? db.userAccount.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, role: true } }) : [],
    tokenIds.length ? db.apiToken.findMany({ where: { id: { in: tokenIds } }, select: { id: true, name: true, role: true } }) : [],
  ]);
  return new Map<string, CaseStepActor>([
    ...users.map((user) => [`user:${user.id}`, { kind: 'account', label: `user:${user.id}`, name: user.name, role: user.role }] as const),
    ...tokens.map((token) => [`token:${token.id}`, { kind: 'token', label: `token:${token.id}`, name: token.name, role: token.role }] as const),
  ]);
}

export interface OpenCaseCounts {
  open: number;
  overdue: number;
  byState: Record<'reported' | 'verified' | 'referred' | 'assisting', number>;
  bySeverity: Record<Severity, number>;
}

/** Open cases of the scope counted by step and by severity, and how many are overdue: the overview's numbers. */
export async function openCaseCounts(db: Db, scope: AreaScope, now: Date): Promise<OpenCaseCounts> {
  const where: Prisma.ReportWhereInput = { ...inArea(scope), state: { in: OPEN_STATES } };
  const [groups, overdue] = await Promise.all([
    db.report.groupBy({ by: ['state', 'severity'], where, _count: { _all: true } }),
    db.report.count({ where: { ...where, dueAt: { lt: now } } }),
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
