import { createHash, randomBytes } from 'node:crypto';
import { checkTokenScope, type ApiRole } from '../domain/apiAccess';
import type { Db } from './database';

export class UnknownAreaError extends Error {
  override name = 'UnknownAreaError';
}

export interface CreatedApiToken {
  id: number;
  /** The secret, shown once: only its hash is stored. */
  token: string;
  role: ApiRole;
  areaCode: string;
}

const TOKEN_PREFIX = 'sw_';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(
  db: Db,
  input: { role: ApiRole; areaCode: string; name?: string; createdBy: string },
): Promise<CreatedApiToken> {
  const area = await db.area.findUnique({ where: { code: input.areaCode } });
  if (!area) throw new UnknownAreaError(`No area has code ${input.areaCode}.`);
  checkTokenScope(input.role, area.level);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        tokenHash: hashApiToken(token),
        hint: token.slice(0, TOKEN_PREFIX.length + 6),
        role: input.role,
        areaId: area.id,
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
        detail: { role: input.role, area: area.code },
      },
    });
    return created;
  });
  return { id: record.id, token, role: input.role, areaCode: area.code };
}
