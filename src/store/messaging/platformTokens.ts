import type { Db } from '../db/database';

/** An official account's shared access token and daily-quota stop, as every instance sees it. */
export interface PlatformTokenState {
  accessToken: string | null;
  expiresAt: Date | null;
  blockedUntil: Date | null;
}

export async function readPlatformToken(db: Db, account: string): Promise<PlatformTokenState> {
  const row = await db.platformToken.findUnique({ where: { account }, select: { accessToken: true, expiresAt: true, blockedUntil: true } });
  return row ?? { accessToken: null, expiresAt: null, blockedUntil: null };
}

/** Takes the right to refresh the token, one instance at a time; false while another holds an unexpired lease. */
export async function takeTokenRefreshLease(db: Db, account: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
  await db.$executeRaw`INSERT INTO "PlatformToken" ("account") VALUES (${account}) ON CONFLICT ("account") DO NOTHING`;
  const taken = await db.platformToken.updateMany({
    where: { account, OR: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { lt: now } }] },
    data: { refreshOwner: owner, refreshLeaseUntil: new Date(now.getTime() + leaseMs) },
  });
  return taken.count === 1;
}

/** Stores a fresh token and ends the refresh lease. */
export async function saveRefreshedToken(db: Db, account: string, owner: string, token: { accessToken: string; expiresAt: Date }, now: Date): Promise<void> {
  await db.platformToken.updateMany({
    where: { account, refreshOwner: owner },
    data: { accessToken: token.accessToken, expiresAt: token.expiresAt, refreshedAt: now, refreshOwner: null, refreshLeaseUntil: null },
  });
}

export async function releaseTokenRefreshLease(db: Db, account: string, owner: string): Promise<void> {
  await db.platformToken.updateMany({ where: { account, refreshOwner: owner }, data: { refreshOwner: null, refreshLeaseUntil: null } });
}

/**
 * The platform refused this token (40001/42001): it is marked expired, only if it is still the
 * stored one, so instances that notice together refresh it once.
 */
export async function markTokenExpired(db: Db, account: string, accessToken: string): Promise<void> {
  await db.platformToken.updateMany({ where: { account, accessToken }, data: { expiresAt: new Date(0) } });
}

/** The account's daily quota is used up (45009): no instance sends before `until`. */
export async function blockAccountUntil(db: Db, account: string, until: Date): Promise<void> {
  await db.$executeRaw`INSERT INTO "PlatformToken" ("account") VALUES (${account}) ON CONFLICT ("account") DO NOTHING`;
  await db.platformToken.update({ where: { account }, data: { blockedUntil: until } });
}
