import type { Middleware } from 'koa';
import type { ApiRole } from '../domain/apiAccess';
import { authenticateApiToken, type TokenHolder } from '../store/apiTokens';
import type { AreaScope } from '../store/areaScopeFilter';
import type { Db } from '../store/database';
import type { Actor } from '../usecases/actor';
import { ApiError } from './errors';
import type { FailedLogins } from './failedLogins';

/** Who is calling: set on ctx.state.auth by `authenticate` before any resource handler runs. */
export interface ApiAuth {
  tokenId: number;
  role: ApiRole;
  area: TokenHolder['area'];
  /** Pass to store readers: every query is limited to this subtree. */
  scope: AreaScope;
  /** The audit-log actor of this token's writes. */
  actor: string;
}

/** What a route needs of the caller's role. */
export type Access = 'read' | 'write' | 'officer';

const OFFICERS: readonly ApiRole[] = ['officer_city', 'officer_district', 'officer_township'];

export const isOfficer = (role: ApiRole): boolean => OFFICERS.includes(role);

/**
 * read: every role; write: every role but the read-only auditor; officer: township, district and
 * city officers only (token management, unmasked ID numbers).
 */
export function checkAccess(auth: ApiAuth, access: Access): void {
  if (access === 'write' && auth.role === 'auditor') throw new ApiError(403, 'read_only', 'an auditor token can only read');
  if (access === 'officer' && !isOfficer(auth.role)) throw new ApiError(403, 'officers_only', `a ${auth.role} token may not do this`);
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** `Authorization: Bearer <token>`; 401 without a live token, 429 for an address that failed too often. */
export function authenticate(db: Db, failedLogins: FailedLogins, clock: () => Date): Middleware {
  return async (ctx, next) => {
    const now = clock();
    const retryAfter = failedLogins.retryAfterSeconds(ctx.ip, now.getTime());
    if (retryAfter > 0) {
      throw new ApiError(429, 'too_many_failed_logins', `too many failed logins from this address; try again in ${retryAfter} s`, undefined, {
        'Retry-After': String(retryAfter),
      });
    }
    const secret = BEARER.exec(ctx.get('authorization'))?.[1];
    if (!secret) throw new ApiError(401, 'unauthorized', 'send Authorization: Bearer <token>', undefined, { 'WWW-Authenticate': 'Bearer' });
    const holder = await authenticateApiToken(db, secret, now);
    if (!holder) {
      failedLogins.record(ctx.ip, now.getTime());
      throw new ApiError(401, 'unauthorized', 'unknown or revoked token', undefined, { 'WWW-Authenticate': 'Bearer' });
    }
    const auth: ApiAuth = { tokenId: holder.id, role: holder.role, area: holder.area, scope: { path: holder.area.path }, actor: `token:${holder.id}` };
    ctx.state.auth = auth;
    await next();
  };
}

/** The token as the actor of a use case: its audit label, within its area. */
export function tokenAsActor(auth: ApiAuth): Actor {
  return { audit: auth.actor, scope: auth.scope };
}
