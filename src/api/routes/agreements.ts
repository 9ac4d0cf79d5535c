import { z } from 'zod';
import { agreementInScope, listAgreements } from '../../store/agreements/guardianshipAgreements';
import { areaFilter, requestedSubtree } from '../areaQuery';
import { found } from '../errors';
import { MAX_RECORD_ID, calendarDate, defineRoute, idParam, page, paginationQuery, timestamp, toPage, type Resource } from '../route';

const AGREEMENT_STATUSES = ['pending', 'approved', 'rejected', 'ended'] as const;
const named = z.object({ id: z.number().int(), name: z.string() });

const agreement = z
  .object({
    id: z.number().int(),
    status: z.enum(AGREEMENT_STATUSES),
    child: named.extend({ area: z.object({ code: z.string(), name: z.string() }) }),
    parent: named,
    guardian: named,
    relation: z.string().nullable(),
    guardianAge: z.number().int().nullable(),
    guardianHealth: z.string().nullable(),
    guardianWilling: z.boolean().nullable(),
    capacityLevel: z.enum(['normal', 'insufficient', 'improper', 'absent']).nullable(),
    capacityNote: z.string().nullable(),
    weeklyContactDuty: z.boolean(),
    approvedBy: named.nullable(),
    approvedAt: timestamp.nullable(),
    validFrom: calendarDate.nullable(),
    validUntil: calendarDate.nullable(),
    note: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'GuardianshipAgreement' });

const listAgreementsRoute = defineRoute({
  method: 'get',
  path: '/agreements',
  summary: 'Entrusted-guardianship agreements (委托监护责任确认书) of children of the token’s area',
  access: 'read',
  query: z.strictObject({
    ...paginationQuery,
    area: areaFilter,
    status: z.enum(AGREEMENT_STATUSES).optional(),
    childId: z.coerce.number().int().positive().max(MAX_RECORD_ID).optional(),
  }),
  response: page(agreement),
  handler: async ({ deps, auth, query }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    return toPage(await listAgreements(deps.db, { within, status: query.status, childId: query.childId, after: query.after, limit: query.limit }), query.limit);
  },
});

const readAgreement = defineRoute({
  method: 'get',
  path: '/agreements/:id',
  summary: 'One guardianship agreement with the village’s capacity assessment',
  access: 'read',
  params: idParam,
  response: agreement,
  handler: async ({ deps, auth, params }) => found(await agreementInScope(deps.db, auth.scope, params.id), 'agreement'),
});

export const agreements: Resource = {
  name: 'agreements',
  description: 'Entrusted guardianship: a parent entrusts an adult, the village assesses capacity and approves.',
  routes: [listAgreementsRoute, readAgreement],
};
