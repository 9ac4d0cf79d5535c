import type { Context, Middleware } from 'koa';
import type { ApiRole } from '../domain/apiAccess';
import type { Department } from '../domain/departments';
import { secretsMatch } from '../domain/secretsMatch';
import { authenticateApiToken, type TokenHolder } from '../store/access/apiTokens';
import { recordRefusedSecret } from '../store/audit/auditLog';
import type { AreaScope } from '../store/registry/areaScopeFilter';
import type { Db } from '../store/db/database';
import { findSession, userActor, type ActiveSession } from '../store/access/userAccounts';
import type { Actor } from '../usecases/actor';
import { ApiError } from './errors';
import type { FailedLogins } from './failedLogins';

/** The console's session cookie: HTTP-only, SameSite=Strict, set by POST /api/v1/session. */
export const SESSION_COOKIE = 'sw_session';
/** The header a console write carries the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Who is calling: set on ctx.state.auth by `authenticate` before any resource handler runs. */
export interface ApiAuth {
  /** The API token of a machine, or null for a person logged in to the console. */
  tokenId: number | null;
  /** The account of a person logged in to the console, or null for a token. */
  userId: number | null;
  role: ApiRole;
  /** The department of a department token or account, else null. */
  department: Department | null;
  area: TokenHolder['area'];
  /** Pass to store readers: every query is limited to this subtree. */
  scope: AreaScope;
  /** The audit-log actor of the caller's writes: token:<id> or user:<id>. */
  actor: string;
}

/** What a route needs of the caller's role. */
export type Access = 'read' | 'write' | 'officer' | 'department';

const OFFICERS: readonly ApiRole[] = ['officer_city', 'officer_district', 'officer_township'];

export const isOfficer = (role: ApiRole): boolean => OFFICERS.includes(role);

/**
 * read: every role; write: every role but the read-only auditor; officer: township, district and
 * city officers only (token management, unmasked ID numbers); department: department staff only
 * (their referrals). Department staff see nothing else: every other route is, to them, not there.
 */
export function checkAccess(auth: ApiAuth, access: Access, departments: readonly Department[] = []): void {
  // A read some departments' staff need for their work (人社 reads the migrant-work ledger).
  if (auth.role === 'department' && access === 'read' && auth.department && departments.includes(auth.department)) return;
  if ((auth.role === 'department') !== (access === 'department')) {
    if (auth.role === 'department') throw new ApiError(404, 'not_found', 'no such resource');
    throw new ApiError(403, 'departments_only', `only department staff act on referrals here; a ${auth.role} token reads the case under /cases`);
  }
  if (access === 'write' && auth.role === 'auditor') throw new ApiError(403, 'read_only', 'an auditor token can only read');
  if (access === 'officer' && !isOfficer(auth.role)) throw new ApiError(403, 'officers_only', `a ${auth.role} token may not do this`);
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthSettings {
  clock: () => Date;
  /** A console session idle this long ends. */
  sessionIdleMs: number;
}

/**
 * A machine's `Authorization: Bearer <token>`, or a person's session cookie (then every write
 * also carries the session's CSRF token in X-CSRF-Token). 401 without either, 403 `csrf_failed`
 * for a write without the right CSRF token, 429 for an address that failed too often.
 */
export function authenticate(db: Db, failedLogins: FailedLogins, settings: AuthSettings): Middleware {
  return async (ctx, next) => {
    const now = settings.clock();
    refuseWhileBlocked(ctx, failedLogins, now);
    const authorization = ctx.get('authorization');
    if (authorization) {
      ctx.state.auth = await tokenAuth(db, failedLogins, authorization, ctx, now);
    } else {
      const session = await sessionOf(ctx, db, now, settings.sessionIdleMs);
      if (!session) throw new ApiError(401, 'unauthorized', 'send Authorization: Bearer <token>, or log in', undefined, { 'WWW-Authenticate': 'Bearer' });
      if (!SAFE_METHODS.has(ctx.method)) checkCsrf(ctx, session);
      ctx.state.session = session;
      ctx.state.auth = sessionAuth(session);
    }
    await next();
  };
}

export function refuseWhileBlocked(ctx: Context, failedLogins: FailedLogins, now: Date): void {
  const retryAfter = failedLogins.retryAfterSeconds(ctx.ip, now.getTime());
  if (retryAfter > 0) {
    throw new ApiError(429, 'too_many_failed_logins', `too many failed logins from this address; try again in ${retryAfter} s`, undefined, {
      'Retry-After': String(retryAfter),
    });
  }
}

async function tokenAuth(db: Db, failedLogins: FailedLogins, authorization: string, ctx: Context, now: Date): Promise<ApiAuth> {
  const secret = BEARER.exec(authorization)?.[1];
  if (!secret) throw new ApiError(401, 'unauthorized', 'send Authorization: Bearer <token>', undefined, { 'WWW-Authenticate': 'Bearer' });
  const holder = await authenticateApiToken(db, secret, now);
  if (!holder) {
    failedLogins.record(ctx.ip, now.getTime());
    await recordRefusedSecret(db, { at: now, kind: 'api_token', address: ctx.ip });
    throw new ApiError(401, 'unauthorized', 'unknown or revoked token', undefined, { 'WWW-Authenticate': 'Bearer' });
  }
  return { tokenId: holder.id, userId: null, role: holder.role, department: holder.department, area: holder.area, scope: { path: holder.area.path }, actor: `token:${holder.id}` };
}

/** The live session the request's cookie names, or null. */
export async function sessionOf(ctx: Context, db: Db, now: Date, idleMs: number): Promise<ActiveSession | null> {
  const secret = ctx.cookies.get(SESSION_COOKIE);
  if (!secret) return null;
  return findSession(db, { secret, now, idleMs });
}

export function sessionAuth(session: ActiveSession): ApiAuth {
  const { user } = session;
  return { tokenId: null, userId: user.id, role: user.role, department: user.department, area: user.area, scope: { path: user.area.path }, actor: userActor(user.id) };
}

/** The cookie alone is no proof of intent (a form on another site could send it): a write must echo the session's token. */
export function checkCsrf(ctx: Context, session: ActiveSession): void {
  if (!secretsMatch(ctx.get(CSRF_HEADER), session.csrfToken)) {
    throw new ApiError(403, 'csrf_failed', 'a change from the console must carry the X-CSRF-Token of its session');
  }
}

/** The token as the actor of a use case: its audit label, within its area. */
export function tokenAsActor(auth: ApiAuth): Actor {
  return { audit: auth.actor, scope: auth.scope };
}
