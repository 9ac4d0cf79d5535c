import { z } from 'zod';
import { areaInScope } from '../store/registry/areas';
import type { AreaScope } from '../store/registry/areaScopeFilter';
import type { Db } from '../store/db/database';
import type { ApiAuth } from './auth';
import { notFound } from './errors';

export const areaCode = z.string().regex(/^\d{6,12}$/, 'an area code of 6 to 12 digits').meta({ example: '420102001' });

/** `?area=CODE`: narrows a list to an area's subtree. */
export const areaFilter = areaCode.optional().meta({ description: 'only this area and the areas below it (default: the token’s area)' });

/** The subtree a list covers: the token's area, or an area inside it named by `?area=` (404 outside). */
export async function requestedSubtree(db: Db, auth: ApiAuth, code: string | undefined): Promise<AreaScope> {
  if (code === undefined) return auth.scope;
  const area = await areaInScope(db, auth.scope, code);
  if (!area) throw notFound('area');
  return area;
}
