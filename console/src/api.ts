/** The console speaks only to the admin API, with the session cookie and, on writes, the session's CSRF token. */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthorized: () => void = () => {};

export function useCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the session has ended (idle, logged out elsewhere): the console goes back to the login page. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/session')) onUnauthorized();
    throw new ApiFailure(response.status, data.error ?? 'error', data.message ?? `HTTP ${response.status}`);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);

/** A query string of the set values only. */
export function query(values: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}

export interface LedgerTable {
  ledger: string;
  title: string;
  area: { code: string; name: string };
  columns: Array<{ key: string; header: string }>;
  rows: Array<Record<string, string | number | boolean | null>>;
}

/** The area's total rows of a ledger: those that name no district and no township. */
export const totalRows = (table: LedgerTable) => table.rows.filter((row) => row.district === null && row.township === null);
