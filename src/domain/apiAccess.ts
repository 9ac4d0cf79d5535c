import type { AreaLevel } from './areaScope';
import { DomainError } from './DomainError';

/** Roles of admin API tokens. */
export const API_ROLES = ['officer_city', 'officer_district', 'officer_township', 'director', 'auditor'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** The level of area each role is scoped to; an auditor may read at any level. */
const ROLE_LEVEL: Record<ApiRole, AreaLevel | null> = {
  officer_city: 'city',
  officer_district: 'district',
  officer_township: 'township',
  director: 'village',
  auditor: null,
};

/** A township officer's token scoped to a whole city would grant far more than the role holds. */
export function checkTokenScope(role: ApiRole, areaLevel: AreaLevel): void {
  const expected = ROLE_LEVEL[role];
  if (expected !== null && expected !== areaLevel) {
    throw new DomainError('role_area_mismatch', `a ${role} token must be scoped to a ${expected}, not a ${areaLevel}`);
  }
}

/** Higher ranks may do more; an auditor only reads, so any officer may hand one out. */
const ROLE_RANK: Record<ApiRole, number> = { officer_city: 3, officer_district: 2, officer_township: 1, director: 0, auditor: 0 };

/** An officer hands out tokens of its own rank or below, never a higher one. */
export function checkTokenGrant(granter: ApiRole, role: ApiRole): void {
  if (ROLE_RANK[role] > ROLE_RANK[granter]) {
    throw new DomainError('role_above_own', `a ${granter} token may not create a ${role} token`);
  }
}
