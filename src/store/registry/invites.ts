import { randomInt } from 'node:crypto';
import { DomainError } from '../../domain/DomainError';
import { recordAudit } from '../audit/auditLog';
import { inArea, type AreaScope } from './areaScopeFilter';
import type { Db, PersonRole, Tx } from '../db/database';

export type RedeemResult =
  | { ok: true; person: { id: number; name: string; role: PersonRole } }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/** Six digits: easy to read out over the phone and type on a feature-phone keypad. */
async function unusedCode(tx: Tx): Promise<string> {
  for (;;) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    if (!(await tx.invite.findUnique({ where: { code }, select: { id: true } }))) return code;
  }
}

export async function createInvite(
  tx: Tx,
  input: { personId: number; role: PersonRole; areaId: number; childId?: number; issuedById?: number; now: Date; ttlDays: number },
): Promise<{ code: string; expiresAt: Date }> {
  const code = await unusedCode(tx);
  const expiresAt = new Date(input.now.getTime() + input.ttlDays * 86_400_000);
  await tx.invite.create({
    data: {
      code,
      personId: input.personId,
      role: input.role,
      areaId: input.areaId,
      childId: input.childId ?? null,
      issuedById: input.issuedById ?? null,
      expiresAt,
      createdAt: input.now,
    },
  });
  return { code, expiresAt };
}

/** Binds a chat identity to the person the invite was issued for; each code works once. */
export async function redeemInvite(
  tx: Tx,
  code: string,
  identity: { channel: string; botAccount: string; externalId: string; displayName?: string | null },
  now: Date,
): Promise<RedeemResult> {
  const invite = await tx.invite.findUnique({ where: { code }, include: { person: { select: { id: true, name: true, role: true } } } });
  if (!invite || invite.revokedAt) return { ok: false, reason: 'unknown' };
  if (invite.usedAt) return { ok: false, reason: 'used' };
  if (invite.expiresAt <= now) return { ok: false, reason: 'expired' };
  const claimed = await tx.invite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now } });
  if (claimed.count === 0) return { ok: false, reason: 'used' };
  await tx.chatIdentity.create({
    data: { ...identity, displayName: identity.displayName ?? null, personId: invite.personId, boundAt: now, lastSeenAt: now },
  });
  return { ok: true, person: invite.person };
}

/** Whether text (e.g. a friend request's greeting) carries a code that could still be redeemed. */
export async function hasRedeemableCode(db: Db, text: string, now: Date): Promise<boolean> {
  const codes = text.match(/\d{6}/g) ?? [];
  if (codes.length === 0) return false;
  const found = await db.invite.count({ where: { code: { in: codes }, usedAt: null, revokedAt: null, expiresAt: { gt: now } } });
  return found > 0;
}

export interface InviteRecord {
  id: number;
  person: { id: number; name: string; role: PersonRole };
  child: { id: number; name: string } | null;
  area: { code: string; name: string };
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

/** Codes are secrets once issued: lists never show them. */
const INVITE_SELECT = {
  id: true,
  expiresAt: true,
  usedAt: true,
  revokedAt: true,
  createdAt: true,
  person: { select: { id: true, name: true, role: true } },
  child: { select: { id: true, name: true } },
  area: { select: { code: true, name: true } },
} as const;

/** Invites of the subtree, by id, one page (limit + 1 rows). */
export async function listInvites(
  db: Db,
  filter: { within: AreaScope; open?: boolean; personId?: number; now: Date; after?: number; limit: number },
): Promise<InviteRecord[]> {
  const open = { usedAt: null, revokedAt: null, expiresAt: { gt: filter.now } };
  return db.invite.findMany({
    where: {
      ...inArea(filter.within),
      ...(filter.open === undefined ? {} : filter.open ? open : { NOT: open }),
      ...(filter.personId ? { personId: filter.personId } : {}),
      ...(filter.after !== undefined ? { id: { gt: filter.after } } : {}),
    },
    select: INVITE_SELECT,
    orderBy: { id: 'asc' },
    take: filter.limit + 1,
  });
}

/** Revokes a person's open codes, so only the newest one works; src/usecases/issueInvite.ts is its door. */
export async function revokeOpenInvites(tx: Tx, personId: number, now: Date): Promise<void> {
  await tx.invite.updateMany({ where: { personId, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
}

/** An invite as the API lists it, found by its code. */
export function inviteByCode(tx: Tx, code: string): Promise<InviteRecord & { id: number }> {
  return tx.invite.findUniqueOrThrow({ where: { code }, select: INVITE_SELECT });
}

/** Revokes an unused invite of the scope (again is a no-op); null when there is none. */
export async function revokeInvite(db: Db, input: { id: number; scope: AreaScope; actor: string; now: Date }): Promise<InviteRecord | null> {
  return db.$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: { id: input.id, ...inArea(input.scope) }, select: { id: true, usedAt: true, revokedAt: true } });
    if (!invite) return null;
    if (invite.usedAt) throw new DomainError('invite_used', 'this invite has been used; the person is bound already');
    if (!invite.revokedAt) {
      await tx.invite.update({ where: { id: invite.id }, data: { revokedAt: input.now } });
      await recordAudit(tx, { at: input.now, actor: input.actor, action: 'invite.revoke', subjectType: 'Invite', subjectId: invite.id });
    }
    return tx.invite.findUniqueOrThrow({ where: { id: invite.id }, select: INVITE_SELECT });
  });
}

/** Whether an invite has this code, used or not (the terminal chat binds as its holder). */
export async function inviteExists(db: Db, code: string): Promise<boolean> {
  return (await db.invite.count({ where: { code } })) > 0;
}
