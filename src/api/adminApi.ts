import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { z } from 'zod';
import { authenticate, checkAccess, type ApiAuth } from './auth';
import { holdsNul } from '../domain/nulCharacters';
import { ApiError, apiErrors, invalidRequest } from './errors';
import { FailedLogins } from './failedLogins';
import { DEFAULT_CSP } from './securityHeaders';
import { apiDocsPage, openApiDocument } from './openapi';
import { checkRate, perAddress, type RateCounter } from './requestRate';
import { DEFAULT_BODY_BYTES, type AnyRoute, type ApiDependencies, type Resource } from './route';
import { RESOURCES } from './routes';

export const API_PREFIX = '/api/v1';

/** The admin API: every resource of src/api/routes behind bearer tokens, plus its OpenAPI document and docs page. */
export function adminApiRouter(deps: ApiDependencies, resources: readonly Resource[] = RESOURCES, failedLogins = new FailedLogins(), rate?: RateCounter): Router {
  const router = new Router({ prefix: API_PREFIX });
  const signIn = authenticate(deps.db, failedLogins, { clock: deps.clock, sessionIdleMs: deps.sessionIdleMs });
  // Counted per address before the token is even looked up, then per token or account below.
  router.use(apiErrors(), ...(rate ? [perAddress(rate, deps.clock)] : []));

  let document: ReturnType<typeof openApiDocument> | undefined;
  const documentOnce = () => (document ??= openApiDocument(resources));
  // The description of the API holds no data: readable without a token.
  router.get('/openapi.json', (ctx) => {
    ctx.body = documentOnce();
  });
  router.get('/docs', (ctx) => {
    // The page's one inline style sheet; still no scripts.
    ctx.set('Content-Security-Policy', `${DEFAULT_CSP}; style-src 'unsafe-inline'`);
    ctx.type = 'html';
    ctx.body = apiDocsPage(documentOnce());
  });

  for (const resource of resources) {
    for (const route of resource.routes) {
      // The body is read only once the caller is known, and only up to what the route can use.
      const body = bodyParser({ enableTypes: ['json'], jsonLimit: route.maxBodyBytes ?? DEFAULT_BODY_BYTES });
      router[route.method](route.path, signIn, perCaller(rate, deps.clock), body, handle(route, deps));
    }
  }
  return router;
}

function perCaller(rate: RateCounter | undefined, clock: () => Date) {
  return async (ctx: Context, next: Next) => {
    if (rate) await checkRate(rate, (ctx.state.auth as ApiAuth).actor, clock().getTime());
    await next();
  };
}

function parse(schema: z.ZodType | undefined, value: unknown, location: string): unknown {
  if (!schema) return location === 'body' ? undefined : {};
  // No engine stores U+0000 in text, and no field has a use for it.
  if (holdsNul(value)) throw new ApiError(400, 'invalid_request', `${location}: a text holds the character U+0000`, [{ path: location, message: 'holds U+0000' }]);
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(result.error, location);
  return result.data;
}

function handle(route: AnyRoute, deps: ApiDependencies) {
  return async (ctx: Context, _next: Next) => {
    const auth = ctx.state.auth as ApiAuth;
    checkAccess(auth, route.access, route.departments);
    const input = {
      params: parse(route.params, ctx.params, 'params'),
      query: parse(route.query, ctx.query, 'query'),
      // No body schema: a body, if any, is ignored rather than read.
      body: parse(route.body, ctx.request.body ?? {}, 'body'),
      auth,
      deps,
      now: deps.clock(),
      ctx,
    };
    const body = await route.handler(input);
    if (body !== undefined) {
      ctx.status = route.status ?? 200;
      ctx.body = body;
    }
  };
}
