import { z } from 'zod';
import { listInvites, revokeInvite } from '../../store/invites';
import { issueInvite } from '../../usecases/issueInvite';
import { tokenAsActor } from '../auth';
import { areaFilter, requestedSubtree } from '../areaQuery';
import { found } from '../errors';
import { defineRoute, idParam, page, paginationQuery, queryBoolean, timestamp, toPage, type Resource } from '../route';

const invite = z
  .object({
    id: z.number().int(),
    person: z.object({ id: z.number().int(), name: z.string(), role: z.string() }),
    child: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    area: z.object({ code: z.string(), name: z.string() }),
    expiresAt: timestamp,
    usedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Invite' });

const listInvitesRoute = defineRoute({
  method: 'get',
  path: '/invites',
  summary: 'Invites of the token’s area (without their codes)',
  access: 'read',
  query: z.strictObject({
    ...paginationQuery,
    area: areaFilter,
    open: queryBoolean.optional().meta({ description: 'true: unused, unrevoked and unexpired; false: the others' }),
    personId: z.coerce.number().int().positive().optional(),
  }),
  response: page(invite),
  handler: async ({ deps, auth, query, now }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    return toPage(await listInvites(deps.db, { within, open: query.open, personId: query.personId, now, after: query.after, limit: query.limit }), query.limit);
  },
});

const createInviteRoute = defineRoute({
  method: 'post',
  path: '/invites',
  summary: 'A six-digit code the person sends as `绑定 <code>`; returned once. Their earlier open codes are revoked',
  access: 'write',
  status: 201,
  body: z.strictObject({ personId: z.number().int().positive(), childId: z.number().int().positive().optional() }),
  response: invite.extend({ code: z.string().meta({ example: '123456' }) }),
  handler: async ({ deps, auth, body, now }) =>
    found(await deps.db.$transaction((tx) => issueInvite(tx, tokenAsActor(auth), body, { now, ttlDays: deps.inviteTtlDays })), 'person_or_child'),
});

const revokeInviteRoute = defineRoute({
  method: 'post',
  path: '/invites/:id/revoke',
  summary: 'Revoke an unused invite: its code stops working',
  access: 'write',
  params: idParam,
  response: invite,
  handler: async ({ deps, auth, params, now }) => found(await revokeInvite(deps.db, { id: params.id, scope: auth.scope, actor: auth.actor, now }), 'invite'),
});

export const invites: Resource = {
  name: 'invites',
  description: 'Invite codes with which registered people bind their WeChat (绑定 <code>).',
  routes: [listInvitesRoute, createInviteRoute, revokeInviteRoute],
};
