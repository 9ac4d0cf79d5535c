import { SendFailure } from '../../src/channel';

/** What WeChat's APIs answer: HTTP 200 with an errcode (0 or absent is success). */
export interface PlatformReply {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

/** errcodes shared by the 服务号 and WeCom APIs. */
export const ERRCODE = {
  invalidCredential: 40001,
  invalidAccessToken: 40014,
  tokenExpired: 42001,
  dailyQuota: 45009,
  outsideWindow: 45015,
  windowCountUsed: 45047,
  subscriptionRefused: 43101,
  notFollowing: 43004,
  invalidOpenId: 40003,
} as const;

/** The errcodes that mean the access token must be refreshed. */
export function tokenRefused(reply: PlatformReply): boolean {
  return reply.errcode === ERRCODE.invalidCredential || reply.errcode === ERRCODE.invalidAccessToken || reply.errcode === ERRCODE.tokenExpired;
}

/**
 * POSTs JSON to a platform API. A transport failure or a non-200 status is a SendFailure that is
 * retried; the errcode inside an HTTP 200 is the caller's to read. The URL (it carries the access
 * token) is never part of an error.
 */
export function postJson(url: string, body: unknown, fetchImpl: typeof fetch = fetch): Promise<PlatformReply> {
  return request(() => fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) }));
}

/** GETs a platform API, read as postJson reads its answer. */
export function getJson(url: string, fetchImpl: typeof fetch = fetch): Promise<PlatformReply> {
  return request(() => fetchImpl(url, { signal: AbortSignal.timeout(10_000) }));
}

async function request(send: () => Promise<Response>): Promise<PlatformReply> {
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    throw new SendFailure(`platform unreachable (${(error as Error).name})`);
  }
  if (!response.ok) throw new SendFailure(`platform answered HTTP ${response.status}`);
  try {
    return (await response.json()) as PlatformReply;
  } catch {
    throw new SendFailure('platform answered something that is not JSON');
  }
}
