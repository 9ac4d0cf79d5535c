import { createHash, randomBytes } from 'node:crypto';
import { checkRoleDepartment, checkTokenScope, type ApiRole } from '../../domain/apiAccess';
import type { Department } from '../../domain/departments';
import type { AreaLevel } from '../../domain/areaScope';
import { DomainError } from '../../domain/DomainError';
import { UnknownAreaError } from './apiTokens';
import { recordAudit } from '../audit/auditLog';
import { areaWithin, type AreaScope } from '../registry/areaScopeFilter';
import type { Db } from '../db/database';
import { DECOY_HASH, hashPassword, verifyPassword } from '../crypto/passwordHash';

/** Wrong passwords in a row that lock an account until an officer (or `user unlock`) opens it again. */
export const LOCK_AFTER_FAILURES = 5;
export const PASSWORD_MIN_LENGTH = 10;

/** The console's audit actor of a person logged in: user:7. */
export const userActor = (userId: number): string => `user:${userId}`;

export function checkPasswordStrength(password: string): void {
  if ([...password].length < PASSWORD_MIN_LENGTH) throw new DomainError('password_too_short', `a password has at least ${PASSWORD_MIN_LENGTH} characters`);
  if ([...password].length > 200) throw new DomainError('password_too_long', 'a password has at most 200 characters');
}

const LISTED = {
  id: true,
  login: true,
  name: true,
  role: true,
  department: true,
  createdBy: true,
  createdAt: true,
  lastLoginAt: true,
  lockedAt: true,
  failedLogins: true,
  disabledAt: true,
  area: { select: { code: true, name: true } },
} as const;

export interface ListedUserAccount {
  id: number;
  login: string;
  name: string;
  role: ApiRole;
  department: Department | null;
  area: { code: string; name: string };
  createdBy: string | null;
  createdAt: Date;
  lastLoginAt: Date | null;
  lockedAt: Date | null;
  failedLogins: number;
  disabledAt: Date | null;
}

export interface NewUserAccount {
  login: string;
  name: string;
  role: ApiRole;
  /** Required for the department role, refused for any other. */
  department?: Department | null;
  areaCode: string;
  password: string;
  createdBy: string;
  now: Date;
  /** An officer creates accounts only within its own area. */
  within?: AreaScope;
}

export async function createUserAccount(db: Db, input: NewUserAccount): Promise<ListedUserAccount> {
  checkPasswordStrength(input.password);
  const area = await db.area.findFirst({ where: { code: input.areaCode, ...(input.within ? areaWithin(input.within) : {}) } });
  if (!area) throw new UnknownAreaError(`No area has code ${input.areaCode}.`);
  checkTokenScope(input.role, area.level);
  checkRoleDepartment(input.role, input.department, area.level);
  if (await db.userAccount.findUnique({ where: { login: input.login }, select: { id: true } })) {
    throw new DomainError('login_taken', `the login ${input.login} is taken`);
  }
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const created = await tx.userAccount.create({
      data: { login: input.login, name: input.name, role: input.role, department: input.department ?? null, areaId: area.id, passwordHash, createdBy: input.createdBy, createdAt: input.now, passwordSetAt: input.now },
      select: LISTED,
    });
    await recordAudit(tx, { at: input.now, actor: input.createdBy, action: 'user.create', subjectType: 'UserAccount', subjectId: created.id, after: { role: input.role, area: area.code, department: input.department ?? null } });
    return created;
  });
}

export async function listUserAccounts(db: Db, within?: AreaScope): Promise<ListedUserAccount[]> {
  return db.userAccount.findMany({ where: within ? { area: areaWithin(within) } : {}, select: LISTED, orderBy: { id: 'asc' } });
}

/** Opens a locked account (and forgets its failures); null when there is none in the scope. */
export async function unlockUserAccount(db: Db, input: { id: number; actor: string; now: Date; within?: AreaScope }): Promise<ListedUserAccount | null> {
  return db.$transaction(async (tx) => {
    const user = await tx.userAccount.findFirst({ where: { id: input.id, ...(input.within ? { area: areaWithin(input.within) } : {}) }, select: { id: true } });
    if (!user) return null;
    const unlocked = await tx.userAccount.update({ where: { id: user.id }, data: { lockedAt: null, failedLogins: 0 }, select: LISTED });
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'user.unlock', subjectType: 'UserAccount', subjectId: user.id });
    return unlocked;
  });
}

/** Stops an account for good (someone who left the job): its sessions end at once; null when there is none in the scope. */
export async function disableUserAccount(db: Db, input: { id: number; actor: string; now: Date; within?: AreaScope }): Promise<ListedUserAccount | null> {
  return db.$transaction(async (tx) => {
    const user = await tx.userAccount.findFirst({ where: { id: input.id, ...(input.within ? { area: areaWithin(input.within) } : {}) }, select: { id: true, disabledAt: true } });
    if (!user) return null;
    if (!user.disabledAt) {
      await tx.userAccount.update({ where: { id: user.id }, data: { disabledAt: input.now } });
      await tx.userSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { endedAt: input.now } });
      await recordAudit(tx, { at: input.now, actor: input.actor, action: 'user.disable', subjectType: 'UserAccount', subjectId: user.id });
    }
    return tx.userAccount.findUniqueOrThrow({ where: { id: user.id }, select: LISTED });
  });
}

/** Sets a new password (an operator's reset): unlocks the account and ends its sessions. */
export async function resetUserPassword(db: Db, input: { login: string; password: string; actor: string; now: Date }): Promise<boolean> {
  checkPasswordStrength(input.password);
  const user = await db.userAccount.findUnique({ where: { login: input.login }, select: { id: true } });
  if (!user) return false;
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    await tx.userAccount.update({ where: { id: user.id }, data: { passwordHash, passwordSetAt: input.now, lockedAt: null, failedLogins: 0 } });
    await tx.userSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { endedAt: input.now } });
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'user.password_reset', subjectType: 'UserAccount', subjectId: user.id });
  });
  return true;
}

// ─── Sessions ───────────────────────────────────────────────────────────────

export interface SessionUser {
  id: number;
  login: string;
  name: string;
  role: ApiRole;
  department: Department | null;
  area: { id: number; code: string; name: string; level: AreaLevel; path: string };
}

export interface ActiveSession {
  id: number;
  csrfToken: string;
  user: SessionUser;
}

export type LoginResult =
  | { ok: true; secret: string; session: ActiveSession }
  | { ok: false; reason: 'bad_credentials' | 'locked' };

const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const SESSION_USER = { id: true, login: true, name: true, role: true, department: true, area: { select: { id: true, code: true, name: true, level: true, path: true } } } as const;

/**
 * Checks a login and password and opens a session. Every outcome is audited: `user.login`,
 * `user.login_failed` (an unknown login too, with the name typed) and `user.locked` at the
 * fifth wrong password in a row; a locked account is refused even the right password.
 */
export async function logIn(db: Db, input: { login: string; password: string; now: Date }): Promise<LoginResult> {
  const user = await db.userAccount.findUnique({ where: { login: input.login }, select: { ...SESSION_USER, passwordHash: true, failedLogins: true, lockedAt: true, disabledAt: true } });
  const matches = await verifyPassword(input.password, user?.passwordHash ?? DECOY_HASH);
  if (!user || user.disabledAt) {
    await db.auditLog.create({ data: { at: input.now, actor: 'anonymous', action: 'user.login_failed', subjectType: 'UserAccount', subjectId: null, detail: { login: input.login.slice(0, 100) } } });
    return { ok: false, reason: 'bad_credentials' };
  }
  if (user.lockedAt) {
    await recordAudit(db, { at: input.now, actor: userActor(user.id), action: 'user.login_refused_locked', subjectType: 'UserAccount', subjectId: user.id });
    return { ok: false, reason: 'locked' };
  }
  if (!matches) {
    return db.$transaction(async (tx) => {
      const failed = await tx.userAccount.update({ where: { id: user.id }, data: { failedLogins: { increment: 1 } }, select: { failedLogins: true } });
      const locks = failed.failedLogins >= LOCK_AFTER_FAILURES;
      if (locks) await tx.userAccount.update({ where: { id: user.id }, data: { lockedAt: input.now } });
      await recordAudit(tx, { at: input.now, actor: userActor(user.id), action: 'user.login_failed', subjectType: 'UserAccount', subjectId: user.id, after: { failedInARow: failed.failedLogins } });
      if (locks) await recordAudit(tx, { at: input.now, actor: 'system', action: 'user.locked', subjectType: 'UserAccount', subjectId: user.id });
      return { ok: false, reason: locks ? 'locked' : 'bad_credentials' } as const;
    });
  }
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const session = await db.$transaction(async (tx) => {
    await tx.userAccount.update({ where: { id: user.id }, data: { failedLogins: 0, lastLoginAt: input.now } });
    const created = await tx.userSession.create({ data: { tokenHash: hashSecret(secret), csrfToken, userId: user.id, createdAt: input.now, lastSeenAt: input.now }, select: { id: true } });
    await recordAudit(tx, { at: input.now, actor: userActor(user.id), action: 'user.login', subjectType: 'UserAccount', subjectId: user.id, after: { session: created.id } });
    return created;
  });
  const { id, login, name, role, department, area } = user;
  return { ok: true, secret, session: { id: session.id, csrfToken, user: { id, login, name, role, department, area } } };
}

/** Marking a session seen at most this often keeps a busy console from writing on every request. */
const SEEN_RESOLUTION_MS = 60_000;

/** The live session with this secret, or null: ended, idle longer than `idleMs`, or its account locked. */
export async function findSession(db: Db, input: { secret: string; now: Date; idleMs: number }): Promise<ActiveSession | null> {
  const session = await db.userSession.findUnique({
    where: { tokenHash: hashSecret(input.secret) },
    select: { id: true, csrfToken: true, endedAt: true, lastSeenAt: true, user: { select: { ...SESSION_USER, lockedAt: true, disabledAt: true } } },
  });
  if (!session || session.endedAt || session.user.lockedAt || session.user.disabledAt) return null;
  const idle = input.now.getTime() - session.lastSeenAt.getTime();
  if (idle > input.idleMs) {
    await db.userSession.update({ where: { id: session.id }, data: { endedAt: input.now } });
    return null;
  }
  if (idle >= SEEN_RESOLUTION_MS) await db.userSession.update({ where: { id: session.id }, data: { lastSeenAt: input.now } });
  const { id, login, name, role, department, area } = session.user;
  return { id: session.id, csrfToken: session.csrfToken, user: { id, login, name, role, department, area } };
}

export async function logOut(db: Db, input: { session: ActiveSession; now: Date }): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.userSession.updateMany({ where: { id: input.session.id, endedAt: null }, data: { endedAt: input.now } });
    await recordAudit(tx, { at: input.now, actor: userActor(input.session.user.id), action: 'user.logout', subjectType: 'UserAccount', subjectId: input.session.user.id });
  });
}

/** The person's own change: the current password must be right; every other session of the account ends. */
export async function changeOwnPassword(db: Db, input: { session: ActiveSession; current: string; next: string; now: Date }): Promise<void> {
  const user = await db.userAccount.findUniqueOrThrow({ where: { id: input.session.user.id }, select: { id: true, passwordHash: true } });
  if (!(await verifyPassword(input.current, user.passwordHash))) throw new DomainError('password_wrong', 'the current password is wrong');
  checkPasswordStrength(input.next);
  const passwordHash = await hashPassword(input.next);
  await db.$transaction(async (tx) => {
    await tx.userAccount.update({ where: { id: user.id }, data: { passwordHash, passwordSetAt: input.now } });
    await tx.userSession.updateMany({ where: { userId: user.id, endedAt: null, id: { not: input.session.id } }, data: { endedAt: input.now } });
    await recordAudit(tx, { at: input.now, actor: userActor(user.id), action: 'user.password_change', subjectType: 'UserAccount', subjectId: user.id });
  });
}

/** The id of the account with this login (the CLI names accounts by login), or null. */
export async function userAccountIdByLogin(db: Db, login: string): Promise<number | null> {
  return (await db.userAccount.findUnique({ where: { login }, select: { id: true } }))?.id ?? null;
}
