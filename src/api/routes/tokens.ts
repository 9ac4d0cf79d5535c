import { z } from 'zod';
import { API_ROLES, checkTokenGrant } from '../../domain/apiAccess';
import { DEPARTMENTS } from '../../domain/departments';
import { createApiToken, listApiTokens, revokeApiToken, UnknownAreaError } from '../../store/access/apiTokens';
import { found, notFound } from '../errors';
import { defineRoute, idParam, timestamp, type Resource } from '../route';

const listedToken = z
  .object({
    id: z.number().int(),
    name: z.string().nullable(),
    hint: z.string().meta({ description: 'the first characters of the secret, to recognise it' }),
    role: z.enum(API_ROLES),
    department: z.enum(DEPARTMENTS).nullable(),
    area: z.object({ code: z.string(), name: z.string() }),
    createdBy: z.string().nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });

const listTokens = defineRoute({
  method: 'get',
  path: '/tokens',
  summary: 'Tokens of the officer’s area and the areas below it (never their secrets or hashes)',
  access: 'officer',
  response: z.object({ items: z.array(listedToken) }),
  handler: async ({ deps, auth }) => ({ items: await listApiTokens(deps.db, auth.scope) }),
});

const createToken = defineRoute({
  method: 'post',
  path: '/tokens',
  summary: 'Create a token for an area within the officer’s, of a role no higher than its own; the secret is returned once',
  access: 'officer',
  status: 201,
  body: z.strictObject({
    role: z.enum(API_ROLES),
    department: z.enum(DEPARTMENTS).optional().meta({ description: 'required for the department role, refused for any other' }),
    areaCode: z.string().regex(/^\d{6,12}$/, 'an area code of 6 to 12 digits'),
    name: z.string().trim().min(1).max(100).optional(),
  }),
  response: z.object({ id: z.number().int(), token: z.string(), role: z.enum(API_ROLES), areaCode: z.string(), department: z.enum(DEPARTMENTS).nullable() }),
  handler: async ({ deps, auth, body }) => {
    checkTokenGrant(auth.role, body.role);
    try {
      return await createApiToken(deps.db, { ...body, createdBy: auth.actor, within: auth.scope });
    } catch (error) {
      if (error instanceof UnknownAreaError) throw notFound('area');
      throw error;
    }
  },
});

const revokeToken = defineRoute({
  method: 'post',
  path: '/tokens/:id/revoke',
  summary: 'Revoke a token of the officer’s area: it stops working at once',
  access: 'officer',
  params: idParam,
  response: listedToken,
  handler: async ({ deps, auth, params, now }) =>
    found(await revokeApiToken(deps.db, { id: params.id, actor: auth.actor, now, within: auth.scope }), 'token'),
});

export const tokens: Resource = {
  name: 'tokens',
  description: 'API tokens: officers create, list and revoke those of their area.',
  routes: [listTokens, createToken, revokeToken],
};
