import { createHash, randomBytes } from 'node:crypto';
import { checkRoleDepartment, checkTokenScope, type ApiRole } from '../../domain/apiAccess';
import type { Department } from '../../domain/departments';
import type { AreaLevel } from '../../domain/areaScope';
import { recordAudit } from '../audit/auditLog';
import type { Db } from '../db/database';
import { areaWithin, type AreaScope } from '../registry/areaScopeFilter';

export class UnknownAreaError extends Error {
  override name = 'UnknownAreaError';
}

export interface CreatedApiToken {
  id: number;
  /** The secret, shown once: only its hash is stored. */
  token: string;
  role: ApiRole;
  areaCode: string;
  department: Department | null;
}

const TOKEN_PREFIX = 'sw_';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(
  db: Db,
  input: { role: ApiRole; areaCode: string; department?: Department | null; name?: string; createdBy: string; within?: AreaScope },
): Promise<CreatedApiToken> {
  const area = await db.area.findFirst({ where: { code: input.areaCode, ...(input.within ? areaWithin(input.within) : {}) } });
  if (!area) throw new UnknownAreaError(`No area has code ${input.areaCode}.`);
  checkTokenScope(input.role, area.level);
  checkRoleDepartment(input.role, input.department, area.level);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        tokenHash: hashApiToken(token),
        hint: token.slice(0, TOKEN_PREFIX.length + 6),
        role: input.role,
        areaId: area.id,
        department: input.department ?? null,
        name: input.name ?? null,
        createdBy: input.createdBy,
      },
    });
    await tx.auditLog.create({
      data: {
        actor: input.createdBy,
        action: 'token.create',
        subjectType: 'ApiToken',
        subjectId: String(created.id),
        detail: { role: input.role, area: area.code, department: input.department ?? null },
      },
    });
    return created;
  });
  return { id: record.id, token, role: input.role, areaCode: area.code, department: input.department ?? null };
}

/** What a request authenticated with a token may touch. */
export interface TokenHolder {
  id: number;
  role: ApiRole;
  area: { id: number; code: string; name: string; level: AreaLevel; path: string };
  /** The department of a department token, else null. */
  department: Department | null;
}

/** Marking use at most this often keeps a busy token from writing on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The live (not revoked) token with this secret, or null. */
export async function authenticateApiToken(db: Db, secret: string, now: Date): Promise<TokenHolder | null> {
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(secret) },
    select: { id: true, role: true, department: true, revokedAt: true, lastUsedAt: true, area: { select: { id: true, code: true, name: true, level: true, path: true } } },
  });
  if (!token || token.revokedAt) return null;
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  return { id: token.id, role: token.role, department: token.department, area: token.area };
}

export interface ListedApiToken {
  id: number;
  name: string | null;
  hint: string;
  role: ApiRole;
  department: Department | null;
  area: { code: string; name: string };
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Tokens without their hashes, newest first; within an area's subtree when a scope is given. */
export async function listApiTokens(db: Db, within?: AreaScope): Promise<ListedApiToken[]> {
  return db.apiToken.findMany({
    where: within ? { area: areaWithin(within) } : {},
    select: { id: true, name: true, hint: true, role: true, department: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true, area: { select: { code: true, name: true } } },
    orderBy: { id: 'desc' },
  });
}

/** Revokes a token (again is a no-op); null when there is no such token (in the scope). */
export async function revokeApiToken(
  db: Db,
  input: { id: number; actor: string; now: Date; within?: AreaScope },
): Promise<ListedApiToken | null> {
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: input.id, ...(input.within ? { area: areaWithin(input.within) } : {}) }, select: { id: true, revokedAt: true } });
    if (!token) return null;
    if (!token.revokedAt) {
      await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: input.now } });
      await recordAudit(tx, { at: input.now, actor: input.actor, action: 'token.revoke', subjectType: 'ApiToken', subjectId: token.id });
    }
    return tx.apiToken.findUniqueOrThrow({
      where: { id: token.id },
      select: { id: true, name: true, hint: true, role: true, department: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true, area: { select: { code: true, name: true } } },
    });
  });
}
