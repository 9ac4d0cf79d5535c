import { z } from 'zod';
import { AREA_LEVELS } from '../../domain/areaScope';
import { areaInScope, areasWithin, createArea } from '../../store/registry/areas';
import { found, notFound } from '../errors';
import { defineRoute, type Resource } from '../route';

const areaCode = z.string().regex(/^\d{6,12}$/, 'an area code of 6 to 12 digits').meta({ example: '420102001' });

const area = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    level: z.enum(AREA_LEVELS),
    path: z.string().meta({ description: 'codes of the ancestors and the area itself, e.g. /420100/420102/' }),
    parentCode: z.string().nullable(),
    casePrefix: z.string().nullable(),
  })
  .meta({ id: 'Area' });

const listAreas = defineRoute({
  method: 'get',
  path: '/areas',
  summary: 'The token’s area and all areas below it, in tree order',
  access: 'read',
  response: z.object({ items: z.array(area) }),
  handler: async ({ deps, auth }) => ({ items: await areasWithin(deps.db, auth.scope) }),
});

const readArea = defineRoute({
  method: 'get',
  path: '/areas/:code',
  summary: 'One area',
  access: 'read',
  params: z.strictObject({ code: areaCode }),
  response: area,
  handler: async ({ deps, auth, params }) => found(await areaInScope(deps.db, auth.scope, params.code), 'area'),
});

const createChildArea = defineRoute({
  method: 'post',
  path: '/areas',
  summary: 'Add an area one level below an area of the token’s (a township, a village)',
  access: 'officer',
  status: 201,
  body: z.strictObject({
    parentCode: areaCode,
    code: areaCode,
    name: z.string().trim().min(1).max(100),
    casePrefix: z.string().regex(/^[A-Z]{2,4}$/, '2 to 4 capital letters').optional().meta({ description: 'prefix of case numbers filed below this area' }),
  }),
  response: area,
  handler: async ({ deps, auth, body, now }) => {
    const parent = await areaInScope(deps.db, auth.scope, body.parentCode);
    if (!parent) throw notFound('area');
    return createArea(deps.db, { parent, code: body.code, name: body.name, casePrefix: body.casePrefix, actor: auth.actor, now });
  },
});

export const areas: Resource = {
  name: 'areas',
  description: 'The registry’s tree: city → district → township → village.',
  routes: [listAreas, readArea, createChildArea],
};
