import { DomainError } from './DomainError';

/** The registry's levels, top down; every area's parent is one level up. */
export const AREA_LEVELS = ['city', 'district', 'township', 'village'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

const AREA_CODE = /^\d{6,12}$/;

/** Administrative division codes: 6 digits (city, district), 9 (township), 12 (village). */
export function validateAreaCode(code: string): void {
  if (!AREA_CODE.test(code)) throw new DomainError('bad_area_code', `not an area code: ${code}`);
}

/** Path segments, or null when the path is not of the form '/code/code/…/'. */
function segments(path: string): string[] | null {
  if (!path.startsWith('/') || !path.endsWith('/')) return null;
  const codes = path.slice(1, -1).split('/');
  return codes.every((c) => AREA_CODE.test(c)) ? codes : null;
}

/** The materialized path of an area: its ancestors' codes and its own, e.g. '/420100/420102/'. */
export function areaPath(parentPath: string | null, code: string): string {
  validateAreaCode(code);
  if (parentPath === null) return `/${code}/`;
  if (!segments(parentPath)) throw new DomainError('bad_area_path', `not an area path: ${parentPath}`);
  return `${parentPath}${code}/`;
}

/**
 * Whether `inner` lies in `outer`'s subtree (an area is within itself). Compared by whole
 * codes so '/4201/' never contains '/42010/'. Malformed paths contain nothing and lie in
 * nothing, so a bad scope grants no access.
 */
export function isWithinArea(inner: { path: string }, outer: { path: string }): boolean {
  const innerCodes = segments(inner.path);
  const outerCodes = segments(outer.path);
  if (!innerCodes || !outerCodes || outerCodes.length > innerCodes.length) return false;
  return outerCodes.every((code, i) => innerCodes[i] === code);
}

const CHILD_LEVEL: Readonly<Record<AreaLevel, AreaLevel | null>> = {
  city: 'district',
  district: 'township',
  township: 'village',
  village: null,
};

export function childLevel(level: AreaLevel): AreaLevel | null {
  return CHILD_LEVEL[level];
}
