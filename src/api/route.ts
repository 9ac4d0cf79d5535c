import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import type { Department } from '../domain/departments';
import type { ReferralDeadlineHours } from '../domain/referrals';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Logger } from '../log';
import type { Database, Db } from '../store/db/database';
import type { NationalIdCipher } from '../store/crypto/nationalIdCipher';
import type { Access, ApiAuth } from './auth';

/** What every handler may use besides its validated input. */
export interface ApiDependencies {
  database: Database;
  db: Db;
  cipher: NationalIdCipher;
  logger: Logger;
  clock: () => Date;
  timeZone: string;
  inviteTtlDays: number;
  /** Deadlines of case steps by severity (SHOUWANG_CASE_DEADLINES). */
  caseDeadlines?: CaseDeadlineHours;
  referralDeadlines?: ReferralDeadlineHours;
  /** A console session idle this long ends (SHOUWANG_SESSION_IDLE_MINUTES). */
  sessionIdleMs: number;
  /** The folder of report attachments (SHOUWANG_ATTACHMENT_DIR); without it no attachment file is served. */
  attachmentDir?: string;
  /** The 服务号's parametric QR code of an invite (follow and bind in one scan), when a 服务号 is configured. */
  inviteQr?: InviteQr;
}

/** What the invite QR code is: its content and a PNG of it as a data URL. */
export type InviteQr = (invite: { code: string; expiresAt: Date }, now: Date) => Promise<{ url: string; png: string }>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type AnyObject = z.ZodType<Record<string, unknown>>;
type Empty = z.ZodObject<{}>;

export interface RouteInput<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  auth: ApiAuth;
  deps: ApiDependencies;
  /** The request's clock reading: one `now` per request. */
  now: Date;
  /** For headers and streamed bodies; JSON handlers just return their body. */
  ctx: Context;
}

export interface RouteDefinition<P extends AnyObject = Empty, Q extends AnyObject = Empty, B extends z.ZodType = z.ZodUndefined> {
  method: HttpMethod;
  /** Below /api/v1, Koa style: '/children/:id'. */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  /** Department staff who may also read this route (access 'read' only), within their area. */
  departments?: readonly Department[];
  /** z.strictObject schemas: unknown fields are a 400. Path parameters need one. */
  params?: P;
  query?: Q;
  body?: B;
  /** The largest JSON body accepted, in bytes (413 beyond it): DEFAULT_BODY_BYTES unless given. */
  maxBodyBytes?: number;
  /** Success status: 200 unless given (201 for creations). */
  status?: 200 | 201 | 202;
  /** The JSON success body (documents the response; not checked at run time). */
  response?: z.ZodType;
  /** Media types of a file response the handler streams into ctx.body itself (exports). */
  files?: string[];
  /** Media types of a file the client uploads as the raw request body (imports): read it from ctx.req; only JSON is parsed. */
  uploads?: string[];
  /** The JSON body; undefined when the handler set ctx.body itself. */
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

/** The largest JSON body of a route that does not say: every body of the API is a few fields. */
export const DEFAULT_BODY_BYTES = 64 * 1024;

/** Any route: a resource holds routes of many input types, and the router treats them alike. */
export type AnyRoute = RouteDefinition<any, any, any>;

/** One resource: a tag in the document and its routes (src/api/routes/<resource>.ts). */
export interface Resource {
  name: string;
  description: string;
  routes: AnyRoute[];
}

/** Typed identity: infers the handler's input from the schemas. */
export function defineRoute<P extends AnyObject = Empty, Q extends AnyObject = Empty, B extends z.ZodType = z.ZodUndefined>(
  route: RouteDefinition<P, Q, B>,
): RouteDefinition<P, Q, B> {
  const named = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
  if (named.length > 0 && !route.params) throw new Error(`${route.method} ${route.path} needs a params schema`);
  return route;
}

/** '/children/:id' → '/children/{id}' */
export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

// Reusable pieces of schemas.

/** The largest id a table holds (INTEGER on PostgreSQL): a larger one is a 400, not a failed query. */
export const MAX_RECORD_ID = 2_147_483_647;

export const idParam = z.strictObject({ id: z.coerce.number().int().positive().max(MAX_RECORD_ID).meta({ description: 'id', example: 1 }) });

/** Query booleans come as text. */
export const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).meta({ description: 'items per page' }),
  after: z.coerce.number().int().min(0).max(MAX_RECORD_ID).optional().meta({ description: 'the nextCursor of the previous page' }),
};

/** A keyset page: pass nextCursor as `after` for the next one; null at the end. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.number().int().nullable() });
}

/** Rows fetched with one extra: whether another page follows, and its cursor. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): { items: T[]; nextCursor: number | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

export const timestamp = z.iso.datetime();
export const calendarDate = z.iso.date();
