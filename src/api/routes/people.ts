import { z } from 'zod';
import { DEPARTMENTS } from '../../domain/departments';
import { areaInScope } from '../../store/registry/areas';
import { listPeople, personInScope, setWecomUserId } from '../../store/registry/people';
import { registerPerson } from '../../usecases/registerPerson';
import { tokenAsActor } from '../auth';
import { areaCode, areaFilter, requestedSubtree } from '../areaQuery';
import { found, notFound } from '../errors';
import { defineRoute, idParam, page, paginationQuery, timestamp, toPage, type Resource } from '../route';
import { inTransaction } from '../../store/db/database';

/** WeCom userids: letters, digits and _ - . @, up to 64 (企业微信 账号). */
const wecomUserId = z.string().trim().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a WeCom userid: letters, digits, _ - . @');

export const PERSON_ROLES = ['parent', 'guardian', 'teacher', 'director', 'officer', 'hotline'] as const;

const person = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.enum(PERSON_ROLES),
    area: z.object({ code: z.string(), name: z.string() }),
    phone: z.string().nullable(),
    schoolName: z.string().nullable(),
    hasGuardianshipCapacity: z.boolean().nullable(),
    wecomUserId: z.string().nullable().meta({ description: 'WeCom / 政务微信 userid: the WeCom application reaches this staff member without an invite' }),
    department: z.enum(DEPARTMENTS).nullable().meta({ description: 'department staff: referrals to this department in their area reach them' }),
    bound: z.boolean().meta({ description: 'has bound a chat identity with an invite code' }),
    createdAt: timestamp,
  })
  .meta({ id: 'Person' });

const listPeopleRoute = defineRoute({
  method: 'get',
  path: '/people',
  summary: 'Parents, guardians, teachers, directors and officers of the token’s area',
  access: 'read',
  query: z.strictObject({
    ...paginationQuery,
    area: areaFilter,
    role: z.enum(PERSON_ROLES).optional(),
    name: z.string().trim().min(1).max(50).optional().meta({ description: 'part of the name' }),
  }),
  response: page(person),
  handler: async ({ deps, auth, query }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    return toPage(await listPeople(deps.db, { within, role: query.role, name: query.name, after: query.after, limit: query.limit }), query.limit);
  },
});

const readPerson = defineRoute({
  method: 'get',
  path: '/people/:id',
  summary: 'One person',
  access: 'read',
  params: idParam,
  response: person,
  handler: async ({ deps, auth, params }) => found(await personInScope(deps.db, auth.scope, params.id), 'person'),
});

const createPersonRoute = defineRoute({
  method: 'post',
  path: '/people',
  summary: 'Register a person (then link them to a child, and invite them to bind their WeChat)',
  access: 'write',
  status: 201,
  body: z.strictObject({
    name: z.string().trim().min(1).max(50),
    role: z.enum(PERSON_ROLES),
    areaCode: areaCode.meta({ description: 'the village for parents, guardians and directors; the area served for officers; the school’s area for teachers' }),
    phone: z.string().trim().regex(/^\+?\d{5,20}$/, 'digits, optionally with a leading +').optional(),
    schoolName: z.string().trim().min(1).max(100).optional(),
    hasGuardianshipCapacity: z.boolean().optional(),
    wecomUserId: wecomUserId.optional(),
    department: z.enum(DEPARTMENTS).optional().meta({ description: 'for an officer of a department (教育, 公安, …): referrals to it in the area reach this person' }),
  }),
  response: person,
  handler: async ({ deps, auth, body, now }) => {
    const { areaCode: code, ...fields } = body;
    const area = await areaInScope(deps.db, auth.scope, code);
    if (!area) throw notFound('area');
    return inTransaction(deps.db, (tx) => registerPerson(tx, tokenAsActor(auth), { ...fields, areaId: area.id }, now));
  },
});

const updatePersonRoute = defineRoute({
  method: 'patch',
  path: '/people/:id',
  summary: 'Set or clear a staff member’s WeCom userid (null clears it)',
  description: 'The WeCom application gives the person a chat identity for that userid at its next start or their first message; 409 when another person has it.',
  access: 'write',
  params: idParam,
  body: z.strictObject({ wecomUserId: wecomUserId.nullable() }),
  response: person,
  handler: async ({ deps, auth, params, body, now }) =>
    found(await setWecomUserId(deps.db, { id: params.id, wecomUserId: body.wecomUserId, scope: auth.scope, actor: auth.actor, now }), 'person'),
});

export const people: Resource = {
  name: 'people',
  description: 'Parents, guardians, teachers, directors, officers and hotline staff.',
  routes: [listPeopleRoute, readPerson, createPersonRoute, updatePersonRoute],
};
