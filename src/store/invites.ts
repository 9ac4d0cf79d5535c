import { randomInt } from 'node:crypto';
import type { Db, PersonRole, Tx } from './database';

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
