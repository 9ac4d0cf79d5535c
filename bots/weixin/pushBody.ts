import { parseWechatXml } from './xml';

/**
 * The fields of a pushed message, in the XML WeChat sends by default or the JSON an account may
 * choose (数据格式 JSON); numbers read as strings, as they are in the XML. Null for anything else.
 */
export function parsePushBody(body: string): Record<string, unknown> | null {
  if (!body.trimStart().startsWith('{')) return parseWechatXml(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.fromEntries(Object.entries(parsed).map(([name, value]) => [name, typeof value === 'number' ? String(value) : value]));
}
