import type { AreaRecord } from '../store/registry/areas';
import { areaInScope } from '../store/registry/areas';
import type { Db } from '../store/db/database';
import type { ApiAuth } from './auth';
import { notFound } from './errors';

/** The area a ledger, export or import is for: the token's own, or one inside it named by `?area=` (404 outside). */
export async function requestedArea(db: Db, auth: ApiAuth, code: string | undefined): Promise<Pick<AreaRecord, 'id' | 'code' | 'name' | 'path' | 'level'>> {
  if (code === undefined) return auth.area;
  const area = await areaInScope(db, auth.scope, code);
  if (!area) throw notFound('area');
  return area;
}
