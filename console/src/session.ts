import { reactive } from 'vue';
import { api, ApiFailure, useCsrfToken } from './api';

export type Role = 'officer_city' | 'officer_district' | 'officer_township' | 'director' | 'auditor' | 'department';

export interface SessionUser {
  id: number;
  login: string;
  name: string;
  role: Role;
  /** The department of department staff, else null. */
  department: string | null;
  area: { code: string; name: string; level: string };
}

interface SessionBody {
  user: SessionUser;
  csrfToken: string;
}

export const session = reactive<{ user: SessionUser | null; checked: boolean }>({ user: null, checked: false });

export const isOfficer = (): boolean => session.user?.role.startsWith('officer_') ?? false;

/** Department staff see only the referrals to their department (the API answers them nothing else). */
export const isDepartment = (): boolean => session.user?.role === 'department';

/** Where a user lands after logging in. */
export const homePath = (): string => (isDepartment() ? '/referrals' : '/overview');

function take(body: SessionBody): void {
  session.user = body.user;
  useCsrfToken(body.csrfToken);
}

/** Whether a session is live: asked once when the console opens. */
export async function restoreSession(): Promise<boolean> {
  if (!session.checked) {
    try {
      take(await api<SessionBody>('GET', '/session'));
    } catch (error) {
      if (!(error instanceof ApiFailure && error.status === 401)) throw error;
    }
    session.checked = true;
  }
  return session.user !== null;
}

export async function logIn(login: string, password: string): Promise<void> {
  take(await api<SessionBody>('POST', '/session', { login, password }));
  session.checked = true;
}

export async function logOut(): Promise<void> {
  try {
    await api('DELETE', '/session');
  } finally {
    forget();
  }
}

export function forget(): void {
  session.user = null;
  useCsrfToken('');
}
