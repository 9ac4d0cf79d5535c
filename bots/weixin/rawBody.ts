import type { Context } from 'koa';

/** A callback body larger than this is refused unread (WeChat's own messages are a few kilobytes). */
export const CALLBACK_BODY_LIMIT = 1024 * 1024;

/** The request body as text; null when it is over `limit` bytes (the rest is not read). */
export async function readBody(ctx: Context, limit = CALLBACK_BODY_LIMIT): Promise<string | null> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
