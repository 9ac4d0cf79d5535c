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
