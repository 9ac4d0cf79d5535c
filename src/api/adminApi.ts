import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { z } from 'zod';
import { authenticate, checkAccess, type ApiAuth } from './auth';
import { apiErrors, invalidRequest } from './errors';
import { FailedLogins } from './failedLogins';
import { apiDocsPage, openApiDocument } from './openapi';
import type { AnyRoute, ApiDependencies, Resource } from './route';
import { RESOURCES } from './routes';

export const API_PREFIX = '/api/v1';

/** The admin API: every resource of src/api/routes behind bearer tokens, plus its OpenAPI document and docs page. */
export function adminApiRouter(deps: ApiDependencies, resources: readonly Resource[] = RESOURCES, failedLogins = new FailedLogins()): Router {
  const router = new Router({ prefix: API_PREFIX });
  const signIn = authenticate(deps.db, failedLogins, { clock: deps.clock, sessionIdleMs: deps.sessionIdleMs });
  router.use(apiErrors(), bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));

  let document: ReturnType<typeof openApiDocument> | undefined;
  const documentOnce = () => (document ??= openApiDocument(resources));
  // The description of the API holds no data: readable without a token.
  router.get('/openapi.json', (ctx) => {
    ctx.body = documentOnce();
  });
  router.get('/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = apiDocsPage(documentOnce());
  });

  for (const resource of resources) {
    for (const route of resource.routes) router[route.method](route.path, signIn, handle(route, deps));
  }
  return router;
}

function parse(schema: z.ZodType | undefined, value: unknown, location: string): unknown {
  if (!schema) return location === 'body' ? undefined : {};
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
