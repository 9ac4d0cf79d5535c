import type { Prisma } from '../db/database';

/** The subtree a caller may see: an API token's area path, e.g. '/420100/420102/'. */
export interface AreaScope {
  path: string;
}

/**
 * Areas in the scope's subtree (the area itself included). Paths end in '/', so a prefix match
 * never takes '/42010/' for part of '/4201/'.
 */
export function areaWithin(scope: AreaScope): Prisma.AreaWhereInput {
  return { path: { startsWith: scope.path } };
}

/** Records whose `area` relation lies in the scope (children, people, reports, invites, tokens). */
export function inArea(scope: AreaScope): { area: Prisma.AreaWhereInput } {
  return { area: areaWithin(scope) };
}
