import { z } from 'zod';
import { listInvites, revokeInvite } from '../../store/registry/invites';
import { issueInvite } from '../../usecases/issueInvite';
import { tokenAsActor } from '../auth';
import { areaFilter, requestedSubtree } from '../areaQuery';
import { SendDeferred, SendFailure } from '../../channel';
import { ApiError, found } from '../errors';
import { MAX_RECORD_ID, defineRoute, idParam, page, paginationQuery, queryBoolean, timestamp, toPage, type Resource } from '../route';
import { inTransaction } from '../../store/db/database';

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
    personId: z.coerce.number().int().positive().max(MAX_RECORD_ID).optional(),
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
  description: 'With `"qr": true`, also the 服务号’s parametric QR code: scanning it follows the account and binds the person at once (valid as long as the code). 422 when no 服务号 is configured, 502 when WeChat cannot make one now.',
  body: z.strictObject({
    personId: z.number().int().positive().max(MAX_RECORD_ID),
    childId: z.number().int().positive().max(MAX_RECORD_ID).optional(),
    qr: z.boolean().optional().meta({ description: 'also make the 服务号 QR code' }),
  }),
  response: invite.extend({
    code: z.string().meta({ example: '123456' }),
    wechatQr: z
      .object({ url: z.string().meta({ description: 'what the QR code encodes' }), png: z.string().meta({ description: 'the QR code, a data:image/png;base64 URL' }) })
      .optional(),
  }),
  handler: async ({ deps, auth, body, now }) => {
    const { qr, ...request } = body;
    if (qr && !deps.inviteQr) throw new ApiError(422, 'wechat_mp_not_configured', 'no 服务号 is configured to make the QR code');
    const created = found(await inTransaction(deps.db, (tx) => issueInvite(tx, tokenAsActor(auth), request, { now, ttlDays: deps.inviteTtlDays })), 'person_or_child');
    if (!qr || !deps.inviteQr) return created;
    try {
      return { ...created, wechatQr: await deps.inviteQr(created, now) };
    } catch (error) {
      if (error instanceof SendFailure || error instanceof SendDeferred) throw new ApiError(502, 'wechat_unavailable', `the invite was created, but WeChat made no QR code: ${error.message}`);
      throw error;
    }
  },
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
