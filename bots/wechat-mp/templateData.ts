/**
 * A template message's `data` from a message's fields. WeChat limits each keyword by its type,
 * named in the keyword (thing1, name2 …); a longer value is refused, so it is cut to fit.
 */
const LIMITS: Array<[RegExp, number]> = [
  [/^thing/, 20],
  [/^name/, 10],
  [/^phrase/, 5],
  [/^character_string/, 32],
  [/^car_number/, 8],
];

export function templateData(mapping: Record<string, string>, params: Record<string, string>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(mapping).map(([keyword, field]) => [keyword, { value: fit(keyword, params[field] ?? '') }]));
}

function fit(keyword: string, value: string): string {
  const limit = LIMITS.find(([pattern]) => pattern.test(keyword))?.[1];
  const characters = [...value];
  if (limit === undefined || characters.length <= limit) return value;
  return `${characters.slice(0, limit - 1).join('')}…`;
}
