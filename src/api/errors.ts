import type { Context, Middleware } from 'koa';
import { z, ZodError } from 'zod';
import { DomainError } from '../domain/DomainError';

export interface ApiIssue {
  /** Where the bad value is: body.name, query.limit, params.id. */
  path: string;
  message: string;
}

/** An answer other than success, sent as `{ error, message, issues? }`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string = code,
    readonly issues?: ApiIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** 404 for a thing that does not exist or lies outside the token's area: the two look the same, so nothing leaks. */
export function notFound(what: string): ApiError {
  return new ApiError(404, `${what}_not_found`, `no such ${what.replace(/_/g, ' ')} in your area`);
}

/** The value, or 404 for `what` when there is none in the caller's area. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw notFound(what);
  return value;
}

/** Zod issues as `{ path, message }`, an unknown field named by its own path. */
export function zodIssues(error: ZodError, location: string): ApiIssue[] {
  return error.issues.flatMap((issue) => {
    const base = [location, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: `${base}.${key}`, message: 'unknown field' }));
    return [{ path: base, message: issue.message }];
  });
}

export function invalidRequest(error: ZodError, location: string): ApiError {
  const issues = zodIssues(error, location);
  return new ApiError(400, 'invalid_request', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
}

/**
 * Maps what handlers throw to the error shape. A DomainError is a refused rule (422), except
 * `*_not_found` (404, like anything outside the caller's area) and `*_taken` (409).
 */
export function apiErrors(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (caught) {
      if (!answerClientError(ctx, caught)) throw caught;
    }
  };
}

/**
 * Answers `caught` in the error shape when it is the client's doing (bad JSON, a refused rule,
 * a body too large …); false for anything else, which is the service's fault.
 */
export function answerClientError(ctx: Context, caught: unknown): boolean {
  const error = toApiError(caught);
  if (!error) return false;
  ctx.status = error.status;
  ctx.set(error.headers);
  ctx.body = { error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) };
  return true;
}

function domainStatus(code: string): number {
  if (code.endsWith('_not_found')) return 404;
  return code.endsWith('_taken') ? 409 : 422;
}

function toApiError(caught: unknown): ApiError | null {
  if (caught instanceof ApiError) return caught;
  if (caught instanceof ZodError) return invalidRequest(caught, 'body');
  if (caught instanceof DomainError) return new ApiError(domainStatus(caught.code), caught.code, caught.message);
  // @koa/bodyparser and koa's own http errors (unparsable JSON, body too large, wrong content type)
  const status = (caught as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 400) return new ApiError(400, 'invalid_json', 'the body is not valid JSON', [{ path: 'body', message: 'not valid JSON' }]);
    return new ApiError(status, status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request', (caught as Error).message);
  }
  return null;
}

/** The error body, for the OpenAPI document. */
export const errorBody = z
  .object({
    error: z.string().meta({ description: 'stable machine-readable code, e.g. invalid_request, child_not_found' }),
    message: z.string(),
    issues: z.array(z.object({ path: z.string().meta({ example: 'body.name' }), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });
