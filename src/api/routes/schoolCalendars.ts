import { z } from 'zod';
import { calendarDateSchema, VACATIONS } from '../../domain/schoolCalendar';
import { areaInScope } from '../../store/registry/areas';
import { listSchoolCalendars, setSchoolCalendar } from '../../store/contact/schoolCalendars';
import { areaCode } from '../areaQuery';
import { notFound } from '../errors';
import { defineRoute, type Resource } from '../route';

const calendar = z
  .object({
    id: z.number().int(),
    year: z.number().int(),
    vacation: z.enum(VACATIONS),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    area: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  })
  .meta({ id: 'SchoolCalendar' });

const listCalendars = defineRoute({
  method: 'get',
  path: '/school-calendars',
  summary: 'Vacations set for an area of the token’s (default: its own), for the areas above it (which apply to it) and below it',
  access: 'read',
  query: z.strictObject({ area: areaCode.optional() }),
  response: z.object({ items: z.array(calendar) }),
  handler: async ({ deps, auth, query }) => {
    const area = await areaInScope(deps.db, auth.scope, query.area ?? auth.area.code);
    if (!area) throw notFound('area');
    const rows = await listSchoolCalendars(deps.db, area.code);
    return { items: rows.map(({ id, year, vacation, startsOn, endsOn, area: a }) => ({ id, year, vacation, startsOn, endsOn, area: { code: a.code, name: a.name, level: a.level } })) };
  },
});

const setCalendar = defineRoute({
  method: 'put',
  path: '/school-calendars',
  summary: 'Set (or replace) an area’s winter or summer vacation for a year; areas below without their own follow it',
  access: 'write',
  body: z.strictObject({
    areaCode,
    year: z.number().int().min(2000).max(2100),
    vacation: z.enum(VACATIONS),
    startsOn: calendarDateSchema,
    endsOn: calendarDateSchema,
  }),
  response: z.object({ created: z.boolean(), calendar }),
  handler: async ({ deps, auth, body, now }) => {
    const area = await areaInScope(deps.db, auth.scope, body.areaCode);
    if (!area) throw notFound('area');
    const { calendar: set, created } = await setSchoolCalendar(deps.db, { ...body, actor: auth.actor, now });
    return { created, calendar: { id: set.id, year: set.year, vacation: set.vacation, startsOn: set.startsOn, endsOn: set.endsOn, area: { code: set.area.code, name: set.area.name, level: set.area.level } } };
  },
});

export const schoolCalendars: Resource = {
  name: 'school-calendars',
  description: 'Winter and summer vacations, by area: the holiday prompts to away parents follow them.',
  routes: [listCalendars, setCalendar],
};
