import { z } from 'zod';
import { SEVERITIES } from '../../domain/caseDeadlines';
import { DEPARTMENTS } from '../../domain/departments';
import { REFERRAL_STATES, type ReferralAction } from '../../domain/referrals';
import { REPORT_TYPES } from '../../domain/reportType';
import { RETURN_INTENTIONS, RETURN_NEEDS } from '../../domain/returnHome';
import { recordRead } from '../../store/audit/auditLog';
import { listReferrals, referralFor, type DepartmentViewer } from '../../store/cases/referrals';
import { actOnReferralStep } from '../../usecases/referrals';
import type { ApiAuth } from '../auth';
import { found } from '../errors';
import { defineRoute, idParam, page, paginationQuery, timestamp, toPage, type Resource } from '../route';
import { inTransaction } from '../../store/db/database';

const referral = z
  .object({
    id: z.number().int(),
    subject: z.enum(['case', 'return_home']).meta({ description: 'case: a child-protection case; return_home: an away parent’s wish for help to come home to work or start a business (人社 only)' }),
    caseNumber: z.string().nullable().meta({ example: 'EZ-2026-000123', description: 'null for a return-home wish' }),
    department: z.enum(DEPARTMENTS),
    state: z.enum(REFERRAL_STATES).meta({ description: 'sent → accepted → answered, or returned with a reason' }),
    request: z.string().nullable().meta({ description: 'what the director asks of the department; for a wish, the help the parent asked for' }),
    sentAt: timestamp,
    dueAt: timestamp.meta({ description: 'the department’s answer is due by then' }),
    acceptedAt: timestamp.nullable(),
    answeredAt: timestamp.nullable(),
    feedback: z.string().nullable(),
    returnedAt: timestamp.nullable(),
    returnReason: z.string().nullable(),
    progress: z.string().nullable().meta({ description: 'the department’s latest 处理情况' }),
    case: z.object({ type: z.enum(REPORT_TYPES), severity: z.enum(SEVERITIES), description: z.string(), reportedAt: timestamp }).nullable(),
    child: z.object({ name: z.string(), gender: z.string().nullable(), birthDate: z.string().nullable(), schoolName: z.string().nullable(), village: z.string() }).nullable(),
    directors: z.array(z.object({ name: z.string(), phone: z.string().nullable() })).meta({ description: 'the village’s child-welfare directors, to contact about the case (none for a wish)' }),
    parent: z
      .object({
        name: z.string(),
        phone: z.string().nullable(),
        village: z.string(),
        work: z.object({ place: z.string(), trade: z.string().nullable() }).nullable(),
        period: z.string(),
        intention: z.enum(RETURN_INTENTIONS).nullable(),
        needs: z.array(z.enum(RETURN_NEEDS)),
      })
      .nullable()
      .meta({ description: 'the consenting parent of a return-home wish, to contact; never a child’s details' }),
  })
  .meta({ id: 'Referral', description: 'never the reporter: who reported stays with the village and the civil-affairs officers' });

/** The caller as department staff (checkAccess lets only the department role reach these routes). */
function viewerOf(auth: ApiAuth): DepartmentViewer {
  return { department: auth.department!, scope: auth.scope, actor: auth.actor };
}

const listRoute = defineRoute({
  method: 'get',
  path: '/referrals',
  summary: 'Cases (and, for 人社, parents’ return-home wishes) referred to the caller’s department within its area, oldest first',
  access: 'department',
  query: z.strictObject({ ...paginationQuery, state: z.enum(REFERRAL_STATES).optional() }),
  response: page(referral),
  // A referral names the child: department staff reading it are audited as a case read is.
  handler: async ({ deps, auth, query, now }) => {
    const shown = toPage(await listReferrals(deps.db, viewerOf(auth), { after: query.after, limit: query.limit + 1, state: query.state }), query.limit);
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'referral.list', subjectType: 'Referral', subjectIds: shown.items.map((row) => row.id) });
    return shown;
  },
});

const readRoute = defineRoute({
  method: 'get',
  path: '/referrals/:id',
  summary: 'One referral to the caller’s department; another department’s or another area’s is 404',
  access: 'department',
  params: idParam,
  response: referral,
  handler: async ({ deps, auth, params, now }) => {
    const shown = found(await referralFor(deps.db, viewerOf(auth), params.id), 'referral');
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'referral.read', subjectType: 'Referral', subjectIds: [shown.id] });
    return shown;
  },
});

function actionRoute(action: ReferralAction, path: string, summary: string, body: z.ZodObject) {
  return defineRoute({
    method: 'post',
    path: `/referrals/:id/${path}`,
    summary,
    access: 'department',
    params: idParam,
    body,
    response: referral,
    handler: async ({ deps, auth, params, body: given, now }) => {
      const note = (given as { note?: string }).note ?? null;
      const acted = await inTransaction(deps.db, (tx) => actOnReferralStep(tx, viewerOf(auth), { id: params.id, action, note, now }));
      return acted.referral;
    },
  });
}

const note = z.string().trim().min(1).max(1000);

export const referrals: Resource = {
  name: 'referrals',
  description: 'Cases handed to a department (转介), and consenting parents’ return-home wishes handed to 人社: the department accepts, reports progress, answers or hands back; the case’s director, or the parent, hears each.',
  routes: [
    listRoute,
    readRoute,
    actionRoute('accept', 'accept', 'Accept the referral (接收): the director is told', z.strictObject({ note: note.optional() })),
    actionRoute('progress', 'progress', 'Record what the department is doing (处理情况)', z.strictObject({ note })),
    actionRoute('answer', 'feedback', 'Answer the referral (反馈): the director hears the answer', z.strictObject({ note })),
    actionRoute('return', 'return', 'Hand the referral back with a reason (退回)', z.strictObject({ note })),
  ],
};
