import { z } from 'zod';
import { CHILD_CATEGORIES, FOCUS_FLAGS } from '../../domain/child';
import { localDate } from '../../domain/schoolCalendar';
import { DomainError } from '../../domain/DomainError';
import { isValidNationalId } from '../../domain/nationalId';
import { areaInScope } from '../../store/registry/areas';
import type { AreaScope } from '../../store/registry/areaScopeFilter';
import { childInScope, createChild, listChildren, revealNationalId, updateChild } from '../../store/registry/childRecords';
import type { Db } from '../../store/db/database';
import { areaCode, areaFilter, requestedSubtree } from '../areaQuery';
import { found, notFound } from '../errors';
import { recordRead } from '../../store/audit/auditLog';
import { calendarDate, defineRoute, idParam, page, paginationQuery, queryBoolean, timestamp, toPage, type Resource } from '../route';

const GENDERS = ['male', 'female'] as const;
const SCHOOL_STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'not_in_school'] as const;
const RISK_LEVELS = ['low', 'medium', 'high'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

const child = z
  .object({
    id: z.number().int(),
    name: z.string(),
    gender: z.enum(GENDERS).nullable(),
    birthDate: calendarDate,
    area: z.object({ code: z.string(), name: z.string() }),
    nationalIdMasked: z.string().nullable().meta({ description: 'e.g. 4201**********1234; the full number only through /children/{id}/national-id' }),
    schoolName: z.string().nullable(),
    schoolStage: z.enum(SCHOOL_STAGES).nullable(),
    grade: z.string().nullable(),
    familySituation: z.string().nullable(),
    guardianshipStatus: z.string().nullable(),
    healthStatus: z.string().nullable(),
    categories: z.array(z.enum(CHILD_CATEGORIES)),
    focusFlags: z.array(z.enum(FOCUS_FLAGS)),
    leftBehind: z.boolean().meta({ description: 'computed from the parents’ links unless overridden' }),
    leftBehindOverride: z.boolean().nullable(),
    leftBehindOverrideReason: z.string().nullable(),
    riskLevel: z.enum(RISK_LEVELS).nullable(),
    recordConfirmedAt: timestamp.nullable(),
    recordStale: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Child' });

export const childDetail = child
  .extend({
    links: z.array(
      z.object({
        id: z.number().int(),
        kind: z.enum(['parent', 'guardian', 'teacher', 'director']),
        relation: z.string().nullable(),
        worksAway: z.boolean().nullable(),
        workPlace: z.string().nullable(),
        hasGuardianshipCapacity: z.boolean().nullable(),
        startedAt: timestamp,
        endedAt: timestamp.nullable(),
        person: z.object({ id: z.number().int(), name: z.string(), role: z.string() }),
      }),
    ),
  })
  .meta({ id: 'ChildDetail' });

const nationalId = z
  .string()
  .trim()
  .toUpperCase()
  .refine((value) => isValidNationalId(value), 'not a valid 18-character resident ID number')
  .meta({ description: 'encrypted at rest; shown masked' });

const childFields = {
  gender: z.enum(GENDERS).nullable().optional(),
  nationalId: nationalId.nullable().optional(),
  schoolName: text(100).nullable().optional(),
  schoolStage: z.enum(SCHOOL_STAGES).nullable().optional(),
  grade: text(20).nullable().optional(),
  familySituation: text(1000).nullable().optional(),
  guardianshipStatus: text(1000).nullable().optional(),
  healthStatus: text(1000).nullable().optional(),
  categories: z.array(z.enum(CHILD_CATEGORIES)).max(CHILD_CATEGORIES.length).optional(),
  focusFlags: z.array(z.enum(FOCUS_FLAGS)).max(FOCUS_FLAGS.length).optional(),
  leftBehindOverride: z
    .strictObject({ leftBehind: z.boolean(), reason: text(500) })
    .nullable()
    .optional()
    .meta({ description: 'replaces the computed left-behind status, with the reason; null clears it' }),
};

/** A village of the scope (children live in villages), or 404. */
async function villageOf(db: Db, scope: AreaScope, code: string) {
  const area = await areaInScope(db, scope, code);
  if (!area) throw notFound('area');
  if (area.level !== 'village') throw new DomainError('not_a_village', `children are registered in villages; ${code} is a ${area.level}`);
  return area;
}

const listChildrenRoute = defineRoute({
  method: 'get',
  path: '/children',
  summary: 'Children of the token’s area, filtered, by id',
  access: 'read',
  query: z.strictObject({
    ...paginationQuery,
    area: areaFilter,
    category: z.enum(CHILD_CATEGORIES).optional(),
    flag: z.enum(FOCUS_FLAGS).optional(),
    riskLevel: z.enum(RISK_LEVELS).optional(),
    recordStale: queryBoolean.optional().meta({ description: 'the quarterly record refresh is overdue' }),
    missingAgreement: queryBoolean.optional().meta({ description: 'every parent works away and no approved guardianship agreement is valid today' }),
    name: z.string().trim().min(1).max(50).optional().meta({ description: 'part of the name' }),
  }),
  response: page(child),
  handler: async ({ deps, auth, query, now }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    const { area: _area, ...filter } = query;
    const rows = await listChildren(deps.db, { ...filter, within, today: localDate(now, deps.timeZone) });
    const shown = toPage(rows, query.limit);
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'child.list', subjectType: 'Child', subjectIds: shown.items.map((row) => row.id) });
    return shown;
  },
});

const readChild = defineRoute({
  method: 'get',
  path: '/children/:id',
  summary: 'One child with its parents, guardians and teachers',
  access: 'read',
  params: idParam,
  response: childDetail,
  handler: async ({ deps, auth, params, now }) => {
    const child = found(await childInScope(deps.db, auth.scope, params.id), 'child');
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'child.read', subjectType: 'Child', subjectIds: [child.id] });
    return child;
  },
});

const createChildRoute = defineRoute({
  method: 'post',
  path: '/children',
  summary: 'Register a child in a village of the token’s area',
  access: 'write',
  status: 201,
  body: z.strictObject({ areaCode, name: text(50), birthDate: calendarDate, ...childFields }),
  response: childDetail,
  handler: async ({ deps, auth, body, now }) => {
    const { areaCode: code, ...fields } = body;
    const village = await villageOf(deps.db, auth.scope, code);
    return createChild(deps.db, deps.cipher, { areaId: village.id, fields, actor: auth.actor, now, timeZone: deps.timeZone, scope: auth.scope });
  },
});

const updateChildRoute = defineRoute({
  method: 'patch',
  path: '/children/:id',
  summary: 'Change a child’s record: only the fields given',
  access: 'write',
  params: idParam,
  body: z
    .strictObject({ areaCode: areaCode.optional(), name: text(50).optional(), birthDate: calendarDate.optional(), ...childFields })
    .refine((body) => Object.keys(body).length > 0, 'give at least one field to change'),
  response: childDetail,
  handler: async ({ deps, auth, params, body, now }) => {
    const { areaCode: code, ...fields } = body;
    const areaId = code ? (await villageOf(deps.db, auth.scope, code)).id : undefined;
    const updated = await updateChild(deps.db, deps.cipher, { id: params.id, fields, areaId, actor: auth.actor, now, timeZone: deps.timeZone, scope: auth.scope });
    return found(updated, 'child');
  },
});

const readNationalId = defineRoute({
  method: 'get',
  path: '/children/:id/national-id',
  summary: 'The child’s full ID number (officers only); every reading is written to the audit log',
  access: 'officer',
  params: idParam,
  response: z.object({ nationalId: z.string().nullable() }),
  handler: async ({ deps, auth, params, now, ctx }) => {
    const revealed = await revealNationalId(deps.db, deps.cipher, { id: params.id, scope: auth.scope, actor: auth.actor, now });
    if (!revealed) throw notFound('child');
    ctx.set('Cache-Control', 'no-store');
    return revealed;
  },
});

export const children: Resource = {
  name: 'children',
  description: 'The registry of children: left-behind and in difficulty. ID numbers are encrypted and shown masked.',
  routes: [listChildrenRoute, readChild, createChildRoute, updateChildRoute, readNationalId],
};
