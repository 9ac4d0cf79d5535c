import { z } from 'zod';
import { checkInsOfChild } from '../../store/contact/teacherCheckIns';
import { found } from '../errors';
import { defineRoute, idParam, timestamp, type Resource } from '../route';

const checkIn = z
  .object({
    round: z.string().meta({ example: '2026-11-25' }),
    status: z.enum(['pending', 'normal', 'concern', 'urgent']).meta({ description: 'pending until the teacher answers' }),
    note: z.string().nullable(),
    promptedAt: timestamp,
    answeredAt: timestamp.nullable(),
    teacher: z.object({ id: z.number().int(), name: z.string() }),
  })
  .meta({ id: 'TeacherCheckIn' });

const listChildCheckIns = defineRoute({
  method: 'get',
  path: '/children/:id/check-ins',
  summary: 'A child’s helping-teacher check-ins, newest first (at most 200)',
  access: 'read',
  params: idParam,
  response: z.object({ items: z.array(checkIn) }),
  handler: async ({ deps, auth, params }) => ({ items: found(await checkInsOfChild(deps.db, auth.scope, params.id), 'child') }),
});

export const checkIns: Resource = {
  name: 'check-ins',
  description: 'Helping teachers’ regular check-ins on the children assigned to them.',
  routes: [listChildCheckIns],
};
