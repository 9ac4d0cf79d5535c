import type { AreaLevel } from './areaScope';
import type { Department } from './departments';
import { DomainError } from './DomainError';

/** Roles of admin API tokens. */
export const API_ROLES = ['officer_city', 'officer_district', 'officer_township', 'director', 'auditor', 'department'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** The level of area each role is scoped to; an auditor may read at any level. */
const ROLE_LEVEL: Record<ApiRole, AreaLevel | null> = {
  officer_city: 'city',
  officer_district: 'district',
  officer_township: 'township',
  director: 'village',
  auditor: null,
  department: null,
};

/** A township officer's token scoped to a whole city would grant far more than the role holds. */
export function checkTokenScope(role: ApiRole, areaLevel: AreaLevel): void {
  const expected = ROLE_LEVEL[role];
  if (expected !== null && expected !== areaLevel) {
    throw new DomainError('role_area_mismatch', `a ${role} token must be scoped to a ${expected}, not a ${areaLevel}`);
  }
}

/** Higher ranks may do more; an auditor only reads, so any officer may hand one out. */
const ROLE_RANK: Record<ApiRole, number> = { officer_city: 3, officer_district: 2, officer_township: 1, director: 0, auditor: 0, department: 0 };

/** An officer hands out tokens of its own rank or below, never a higher one. */
export function checkTokenGrant(granter: ApiRole, role: ApiRole): void {
  if (ROLE_RANK[role] > ROLE_RANK[granter]) {
    throw new DomainError('role_above_own', `a ${granter} token may not create a ${role} token`);
  }
}

/** A department token or account names its department; no other role has one. */
export function checkRoleDepartment(role: ApiRole, department: Department | null | undefined, areaLevel: AreaLevel): void {
  if (role !== 'department') {
    if (department) throw new DomainError('department_unexpected', `only a department token names a department, not a ${role} token`);
    return;
  }
  if (!department) throw new DomainError('department_required', 'a department token names its department (e.g. education or 教育)');
  // Departments serve a county or a township; a village has no department staff.
  if (areaLevel === 'village') throw new DomainError('role_area_mismatch', 'a department token is scoped to a city, district or township, not a village');
}
