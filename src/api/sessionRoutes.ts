import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { changeOwnPassword, logIn, logOut, type ActiveSession } from '../store/access/userAccounts';
import { checkCsrf, refuseWhileBlocked, SESSION_COOKIE, sessionOf } from './auth';
import { apiErrors, ApiError, invalidRequest } from './errors';
import type { FailedLogins } from './failedLogins';
import { perAddress, type RateCounter } from './requestRate';
import type { ApiDependencies } from './route';

const loginBody = z.strictObject({ login: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) });
const passwordBody = z.strictObject({ current: z.string().min(1).max(200), next: z.string().min(1).max(200) });

function parseBody<T>(schema: z.ZodType<T>, ctx: Context): T {
  const parsed = schema.safeParse(ctx.request.body ?? {});
  if (!parsed.success) throw invalidRequest(parsed.error, 'body');
  return parsed.data;
}

/** What the console learns of its own login: who, where, and the token its writes must echo. */
function sessionBody(session: ActiveSession) {
  const { user } = session;
  return { user: { id: user.id, login: user.login, name: user.name, role: user.role, department: user.department, area: { code: user.area.code, name: user.area.name, level: user.area.level } }, csrfToken: session.csrfToken };
}

/**
 * Console logins under /api/v1/session: POST logs in (sets the cookie), GET says who is logged
 * in, DELETE logs out, POST /session/password changes one's own password. The cookie is
 * HTTP-only and SameSite=Strict; writes need the CSRF token as everywhere else.
 */
export function sessionRouter(prefix: string, deps: ApiDependencies, failedLogins: FailedLogins, rate?: RateCounter): Router {
  const router = new Router({ prefix });
  router.use(apiErrors(), ...(rate ? [perAddress(rate, deps.clock)] : []), bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }));
  const current = async (ctx: Context): Promise<ActiveSession> => {
    const session = await sessionOf(ctx, deps.db, deps.clock(), deps.sessionIdleMs);
    if (!session) throw new ApiError(401, 'unauthorized', 'not logged in');
    return session;
  };

  router.post('/session', async (ctx) => {
    const now = deps.clock();
    refuseWhileBlocked(ctx, failedLogins, now);
    const { login, password } = parseBody(loginBody, ctx);
    const result = await logIn(deps.db, { login, password, now });
    if (!result.ok) {
      failedLogins.record(ctx.ip, now.getTime());
      if (result.reason === 'locked') throw new ApiError(423, 'account_locked', 'the account is locked after repeated wrong passwords; an officer can unlock it');
      throw new ApiError(401, 'bad_credentials', 'wrong login or password');
    }
    ctx.cookies.set(SESSION_COOKIE, result.secret, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: '/', overwrite: true });
    ctx.body = sessionBody(result.session);
  });

  router.get('/session', async (ctx) => {
    ctx.body = sessionBody(await current(ctx));
  });

  router.delete('/session', async (ctx) => {
    const session = await current(ctx);
    checkCsrf(ctx, session);
    await logOut(deps.db, { session, now: deps.clock() });
    ctx.cookies.set(SESSION_COOKIE, null, { httpOnly: true, sameSite: 'strict', path: '/' });
    ctx.status = 204;
  });

  router.post('/session/password', async (ctx) => {
    const session = await current(ctx);
    checkCsrf(ctx, session);
    const { current: currentPassword, next } = parseBody(passwordBody, ctx);
    await changeOwnPassword(deps.db, { session, current: currentPassword, next, now: deps.clock() });
    ctx.status = 204;
  });
  return router;
}
