/**
 * PostgreSQL's text cannot hold U+0000 (a query with it fails), and in a message it means nothing:
 * text from outside loses it before anything stores or looks it up.
 */
export const withoutNul = (text: string): string => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text);

/** Whether any string in a parsed JSON value (or query, or path parameters) holds U+0000. */
export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || holdsNul(inner));
  return false;
}
