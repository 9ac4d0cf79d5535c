import { z } from 'zod';
import { API_ROLES, checkTokenGrant } from '../../domain/apiAccess';
import { DEPARTMENTS } from '../../domain/departments';
import { UnknownAreaError } from '../../store/access/apiTokens';
import { createUserAccount, disableUserAccount, listUserAccounts, unlockUserAccount } from '../../store/access/userAccounts';
import { found, notFound } from '../errors';
import { defineRoute, idParam, timestamp, type Resource } from '../route';

const listedUser = z
  .object({
    id: z.number().int(),
    login: z.string(),
    name: z.string(),
    role: z.enum(API_ROLES),
    department: z.enum(DEPARTMENTS).nullable(),
    area: z.object({ code: z.string(), name: z.string() }),
    createdBy: z.string().nullable(),
    createdAt: timestamp,
    lastLoginAt: timestamp.nullable(),
    lockedAt: timestamp.nullable().meta({ description: 'set after repeated wrong passwords; an officer unlocks it' }),
    failedLogins: z.number().int().meta({ description: 'wrong passwords in a row since the last good one' }),
    disabledAt: timestamp.nullable().meta({ description: 'set when an officer disabled the account: it can no longer log in' }),
  })
  .meta({ id: 'UserAccount' });

const listUsers = defineRoute({
  method: 'get',
  path: '/users',
  summary: 'Console accounts of the officer’s area and the areas below it (never their passwords)',
  access: 'officer',
  response: z.object({ items: z.array(listedUser) }),
  handler: async ({ deps, auth }) => ({ items: await listUserAccounts(deps.db, auth.scope) }),
});

const createUser = defineRoute({
  method: 'post',
  path: '/users',
  summary: 'Create a console account for an area within the officer’s, of a role no higher than its own',
  access: 'officer',
  status: 201,
  body: z.strictObject({
    login: z.string().trim().regex(/^[A-Za-z0-9._@-]{3,50}$/, '3 to 50 letters, digits, . _ @ or -'),
    name: z.string().trim().min(1).max(100),
    role: z.enum(API_ROLES),
    department: z.enum(DEPARTMENTS).optional().meta({ description: 'required for the department role, refused for any other' }),
    areaCode: z.string().regex(/^\d{6,12}$/, 'an area code of 6 to 12 digits'),
    password: z.string().min(1).max(200),
  }),
  response: listedUser,
  handler: async ({ deps, auth, body, now }) => {
    checkTokenGrant(auth.role, body.role);
    try {
      return await createUserAccount(deps.db, { ...body, createdBy: auth.actor, now, within: auth.scope });
    } catch (error) {
      if (error instanceof UnknownAreaError) throw notFound('area');
      throw error;
    }
  },
});

const unlockUser = defineRoute({
  method: 'post',
  path: '/users/:id/unlock',
  summary: 'Unlock an account of the officer’s area locked after repeated wrong passwords',
  access: 'officer',
  params: idParam,
  response: listedUser,
  handler: async ({ deps, auth, params, now }) => found(await unlockUserAccount(deps.db, { id: params.id, actor: auth.actor, now, within: auth.scope }), 'user'),
});

const disableUser = defineRoute({
  method: 'post',
  path: '/users/:id/disable',
  summary: 'Disable an account of the officer’s area (someone who left): it can no longer log in and its sessions end',
  access: 'officer',
  params: idParam,
  response: listedUser,
  handler: async ({ deps, auth, params, now }) => found(await disableUserAccount(deps.db, { id: params.id, actor: auth.actor, now, within: auth.scope }), 'user'),
});

export const users: Resource = {
  name: 'users',
  description: 'Console accounts of people: officers create accounts for areas within their own, list, unlock and disable them.',
  routes: [listUsers, createUser, unlockUser, disableUser],
};
