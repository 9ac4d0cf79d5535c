import { z } from 'zod';
import { listAssessments } from '../../store/cases/assessments';
import { areaFilter, requestedSubtree } from '../areaQuery';
import { MAX_RECORD_ID, defineRoute, page, paginationQuery, timestamp, toPage, type Resource } from '../route';

const RISK_LEVELS = ['low', 'medium', 'high'] as const;

const assessment = z
  .object({
    id: z.number().int(),
    round: z.string().meta({ example: '2026-09' }),
    level: z.enum(RISK_LEVELS),
    note: z.string().nullable(),
    assessedAt: timestamp,
    child: z.object({ id: z.number().int(), name: z.string(), area: z.object({ code: z.string(), name: z.string() }) }),
    assessor: z.object({ id: z.number().int(), name: z.string() }),
  })
  .meta({ id: 'RiskAssessment' });

const listAssessmentsRoute = defineRoute({
  method: 'get',
  path: '/assessments',
  summary: 'Risk assessments (March and September rounds) of children of the token’s area',
  access: 'read',
  query: z.strictObject({
    ...paginationQuery,
    area: areaFilter,
    childId: z.coerce.number().int().positive().max(MAX_RECORD_ID).optional(),
    round: z.string().regex(/^\d{4}-(03|09)$/, 'a round like 2026-03 or 2026-09').optional(),
    level: z.enum(RISK_LEVELS).optional(),
  }),
  response: page(assessment),
  handler: async ({ deps, auth, query }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    const { area: _area, ...filter } = query;
    return toPage(await listAssessments(deps.db, { ...filter, within }), query.limit);
  },
});

export const assessments: Resource = {
  name: 'assessments',
  description: 'Twice-yearly risk assessments by the village directors.',
  routes: [listAssessmentsRoute],
};
