import { z } from 'zod';
import { API_ROLES } from '../../domain/apiAccess';
import { SEVERITIES } from '../../domain/caseDeadlines';
import { allowedActions, CASE_ACTIONS, CASE_STATES, DEPARTMENTS } from '../../domain/caseWorkflow';
import { REFERRAL_EVENTS } from '../../domain/referrals';
import { REPORT_TYPES } from '../../domain/reportType';
import { moveCaseStep } from '../../usecases/referrals';
import { caseIdInScope, findCase, listCases, openCaseCounts, type CaseActor } from '../../store/cases/cases';
import type { ApiAuth } from '../auth';
import { PERSON_ROLES } from './people';
import { areaFilter, requestedSubtree } from '../areaQuery';
import { found, notFound } from '../errors';
import { recordRead } from '../../store/audit/auditLog';
import { MAX_RECORD_ID, defineRoute, page, paginationQuery, queryBoolean, timestamp, toPage, type ApiDependencies, type Resource } from '../route';
import { inTransaction } from '../../store/db/database';

/** The token or console account as a case actor and viewer: who reported is shown by the domain's rule (maySeeReporter), never to auditors. */
function viewer(auth: ApiAuth): CaseActor {
  return auth.tokenId !== null
    ? { kind: 'token', tokenId: auth.tokenId, role: auth.role, areaPath: auth.area.path }
    : { kind: 'user', userId: auth.userId!, role: auth.role, areaPath: auth.area.path };
}

const caseSummary = z
  .object({
    id: z.number().int(),
    number: z.string().meta({ example: 'EZ-2026-000123' }),
    child: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    subjectName: z.string().nullable(),
    area: z.object({ code: z.string(), name: z.string() }),
    type: z.enum(REPORT_TYPES),
    severity: z.enum(SEVERITIES),
    state: z.enum(CASE_STATES),
    suspected: z.boolean(),
    source: z.string(),
    department: z.enum(DEPARTMENTS).nullable(),
    dueAt: timestamp.nullable().meta({ description: 'deadline of the next step' }),
    overdue: z.boolean(),
    stateSince: timestamp,
    reportedAt: timestamp,
    closedAt: timestamp.nullable(),
    archivedAt: timestamp.nullable().meta({ description: 'archived by retention a period after closing: listed only with archived=true' }),
    reporter: z.object({ id: z.number().int(), name: z.string() }).nullable().meta({ description: 'confidential: null for auditors' }),
  })
  .meta({ id: 'Case' });

const words = z.string().meta({ description: 'who acted in Chinese: 名字（角色）, 系统, （身份保密）', example: '王主任（乡镇工作人员）' });

/** Who took a step, as the caller may know it: never the reporter to a role that may not see who reported. */
const stepActor = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('person').meta({ description: 'a person in chat' }), personId: z.number().int(), name: z.string(), role: z.enum(PERSON_ROLES), words }),
    z.object({ kind: z.literal('account').meta({ description: 'a console account' }), label: z.string().meta({ example: 'user:3' }), name: z.string(), role: z.enum(API_ROLES), words }),
    z.object({ kind: z.literal('token').meta({ description: 'an API token' }), label: z.string().meta({ example: 'token:1' }), name: z.string().nullable(), role: z.enum(API_ROLES), words }),
    z.object({ kind: z.literal('system').meta({ description: 'the service’s own jobs' }), words }),
    z.object({ kind: z.literal('withheld').meta({ description: 'the reporter, to a caller who may not see who reported' }), words }),
    z.object({ kind: z.literal('removed').meta({ description: 'an account or token since deleted' }), label: z.string(), words }),
  ])
  .meta({ id: 'CaseStepActor' });

const caseDetail = caseSummary
  .extend({
    description: z.string(),
    actionsTaken: z.string().nullable(),
    steps: z.array(
      z.object({
        fromState: z.enum(CASE_STATES).nullable(),
        toState: z.enum(CASE_STATES),
        actor: stepActor,
        note: z.string().nullable(),
        department: z.enum(DEPARTMENTS).nullable(),
        referralEvent: z.enum(REFERRAL_EVENTS).nullable().meta({ description: 'a department’s action on its referral (the case’s state does not change)' }),
        at: timestamp,
        dueAt: timestamp.nullable(),
      }),
    ),
    nextActions: z.array(z.enum(CASE_ACTIONS)).meta({ description: 'the steps the caller may take now (the workflow’s rules; none for auditors)' }),
  })
  .meta({ id: 'CaseDetail' });

/** A case with what the caller may do next: the workflow's moves from its state, for those who may move it. */
async function detailFor(deps: ApiDependencies, auth: ApiAuth, number: string, now: Date) {
  const detail = await findCase(deps.db, { number }, viewer(auth), now);
  if (!detail) return null;
  // The API documents whether the reporter shows by the reporter field alone.
  const { reporterVisible: _shownInChat, ...shown } = detail;
  // Within the caller's scope, every role but the auditor may move the case (a director's scope is its village).
  return { ...shown, nextActions: auth.role === 'auditor' ? [] : allowedActions(detail.state) };
}

const numberParam = z.strictObject({ number: z.string().regex(/^[A-Z]{2,4}-\d{4}-\d{6}$/, 'a case number like EZ-2026-000123') });

const listCasesRoute = defineRoute({
  method: 'get',
  path: '/cases',
  summary: 'Cases of the token’s area, filtered, by id',
  access: 'read',
  query: z.strictObject({
    ...paginationQuery,
    area: areaFilter,
    state: z.enum(CASE_STATES).optional(),
    severity: z.enum(SEVERITIES).optional(),
    type: z.enum(REPORT_TYPES).optional(),
    overdue: queryBoolean.optional().meta({ description: 'the current step’s deadline has passed' }),
    childId: z.coerce.number().int().positive().max(MAX_RECORD_ID).optional(),
    archived: queryBoolean.optional().meta({ description: 'list the archived cases (closed or dismissed a retention period ago) instead of the others' }),
  }),
  response: page(caseSummary),
  handler: async ({ deps, auth, query, now }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    const { area: _area, ...filter } = query;
    const shown = toPage(await listCases(deps.db, { ...filter, within, now }, viewer(auth)), query.limit);
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'case.list', subjectType: 'Report', subjectIds: shown.items.map((row) => row.id) });
    return shown;
  },
});

const readCase = defineRoute({
  method: 'get',
  path: '/cases/:number',
  summary: 'One case with every step: who, when, from which state to which, why',
  access: 'read',
  params: numberParam,
  response: caseDetail,
  handler: async ({ deps, auth, params, now }) => {
    const detail = found(await detailFor(deps, auth, params.number, now), 'case');
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'case.read', subjectType: 'Report', subjectIds: [detail.id] });
    return detail;
  },
});

const countsRoute = defineRoute({
  method: 'get',
  path: '/case-counts',
  summary: 'Open cases of the area (or `?area=` inside it) by step and by severity, and how many are overdue',
  access: 'read',
  query: z.strictObject({ area: areaFilter }),
  response: z.object({
    open: z.number().int(),
    overdue: z.number().int().meta({ description: 'open cases past the deadline of their next step' }),
    byState: z.object({ reported: z.number().int(), verified: z.number().int(), referred: z.number().int(), assisting: z.number().int() }),
    bySeverity: z.object({ urgent: z.number().int(), high: z.number().int(), normal: z.number().int() }),
  }),
  handler: async ({ deps, auth, query, now }) => openCaseCounts(deps.db, await requestedSubtree(deps.db, auth, query.area), now),
});

const NOTE_REQUIRED: readonly string[] = ['assist', 'close', 'dismiss', 'reopen'];

const moveCaseRoute = defineRoute({
  method: 'post',
  path: '/cases/:number/steps',
  summary: 'Move a case one step: verify, refer (to a department), assist, close, dismiss or reopen',
  description:
    'reported → verified → referred → assisting → closed, or dismissed from reported or verified; a closed case can be reopened (back to verified). Verifying or reopening sets the referral deadline by severity. A move the state does not allow is 422 case_transition_refused.',
  access: 'write',
  status: 201,
  params: numberParam,
  body: z
    .strictObject({
      action: z.enum(CASE_ACTIONS),
      note: z.string().trim().min(1).max(2000).optional(),
      department: z.enum(DEPARTMENTS).optional(),
    })
    .superRefine((body, ctx) => {
      if (body.action === 'refer' && !body.department) ctx.addIssue({ code: 'custom', path: ['department'], message: 'a referral names the department' });
      if (NOTE_REQUIRED.includes(body.action) && !body.note) ctx.addIssue({ code: 'custom', path: ['note'], message: `${body.action} needs a note saying why` });
    }),
  response: caseDetail,
  handler: async ({ deps, auth, params, body, now }) => {
    const reportId = await caseIdInScope(deps.db, auth.scope, params.number);
    if (reportId === null) throw notFound('case');
    const actor = viewer(auth);
    await inTransaction(deps.db, (tx) =>
      moveCaseStep(tx, {
        reportId,
        action: body.action,
        note: body.note,
        department: body.department,
        actor,
        now,
        deadlines: deps.caseDeadlines,
        referralDeadlines: deps.referralDeadlines,
        timeZone: deps.timeZone,
      }),
    );
    return found(await detailFor(deps, auth, params.number, now), 'case');
  },
});

export const cases: Resource = {
  name: 'cases',
  description: 'Reports on children and the cases they become (discover → report → refer → assist).',
  routes: [listCasesRoute, countsRoute, readCase, moveCaseRoute],
};
