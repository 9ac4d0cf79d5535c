import { returnIntentionOf as intentionOf, returnNeedsOf as needsOf, type ReturnAnswer, type ReturnIntention, type ReturnNeed } from '../../domain/returnHome';
import type { ReferralState } from '../../domain/referrals';
import { recordAudit } from '../audit/auditLog';
import type { AreaScope } from '../registry/areaScopeFilter';
import type { Db, Tx } from '../db/database';

export interface ReturnHomeWishView {
  id: number;
  period: string;
  answeredAt: Date | null;
  intention: ReturnIntention | null;
  needs: ReturnNeed[];
  consent: boolean | null;
  /** The referral to 人社 (src/store/cases/referrals.ts), made with the parent's consent. */
  referralId: number | null;
  referredAt: Date | null;
}

function view(row: { id: number; period: string; answeredAt: Date | null; intention: string | null; needs: string | null; consent: boolean | null; referral: { id: number; sentAt: Date } | null }): ReturnHomeWishView {
  return {
    id: row.id,
    period: row.period,
    answeredAt: row.answeredAt,
    intention: intentionOf(row.intention),
    needs: needsOf(row.needs),
    consent: row.consent,
    referralId: row.referral?.id ?? null,
    referredAt: row.referral?.sentAt ?? null,
  };
}

/** Records that the question of `period` was put to the parent; false when it already was (nobody is asked twice). */
export async function markReturnHomeAsked(tx: Tx, personId: number, period: string, now: Date): Promise<boolean> {
  const existing = await tx.returnHomeWish.findUnique({ where: { personId_period: { personId, period } }, select: { id: true } });
  if (existing) return false;
  await tx.returnHomeWish.create({ data: { personId, period, askedAt: now } });
  return true;
}

/** The parents of a list who were asked about `period` already. */
export async function askedAbout(db: Db, personIds: number[], period: string): Promise<Set<number>> {
  const rows = await db.returnHomeWish.findMany({ where: { period, personId: { in: personIds } }, select: { personId: true } });
  return new Set(rows.map((row) => row.personId));
}

/**
 * Records a parent's answer for `period` (asked or not: a parent may say it unprompted). What the
 * answer leaves out stays as it was, so `返乡 同意` after `返乡 创业 贷款` only adds the consent.
 * Audited as the parent's own write.
 */
export async function recordReturnHomeAnswer(tx: Tx, input: { personId: number; period: string; answer: ReturnAnswer; now: Date; actor: string }): Promise<ReturnHomeWishView> {
  const before = await tx.returnHomeWish.findUnique({ where: { personId_period: { personId: input.personId, period: input.period } } });
  const { intention, needs, consent } = input.answer;
  const changes = {
    answeredAt: input.now,
    ...(intention ? { intention } : {}),
    ...(intention || needs.length > 0 ? { needs: intention === 'no' ? '' : needs.join(',') } : {}),
    ...(consent !== null ? { consent } : {}),
  };
  const saved = await tx.returnHomeWish.upsert({
    where: { personId_period: { personId: input.personId, period: input.period } },
    create: { personId: input.personId, period: input.period, askedAt: input.now, ...changes },
    update: changes,
    include: { referral: { select: { id: true, sentAt: true } } },
  });
  await recordAudit(tx, {
    at: input.now,
    actor: input.actor,
    action: 'parent.return_home',
    subjectType: 'Person',
    subjectId: input.personId,
    ...(before ? { before: { intention: before.intention, needs: before.needs, consent: before.consent } } : {}),
    after: { period: saved.period, intention: saved.intention, needs: saved.needs, consent: saved.consent },
  });
  return view(saved);
}

/** A wish's answer before a write, to undo it (撤销); null: the parent had no wish row that half-year. */
export type ReturnHomeBefore = { answeredAt: Date | null; intention: string | null; needs: string | null; consent: boolean | null } | null;

export async function returnHomeWishOf(tx: Tx, personId: number, period: string): Promise<ReturnHomeBefore> {
  return tx.returnHomeWish.findUnique({ where: { personId_period: { personId, period } }, select: { answeredAt: true, intention: true, needs: true, consent: true } });
}

/** The id of the referral to 人社 made from a parent's return-home wish of a period, if any. */
export async function returnHomeReferralId(tx: Tx, personId: number, period: string): Promise<number | null> {
  return (await tx.referral.findFirst({ where: { returnHomeWish: { personId, period } }, select: { id: true } }))?.id ?? null;
}

/**
 * Puts a parent's answer back as it was before their last write (撤销). A referral that write made
 * goes with it while 人社 has not accepted it (false: it has, and nothing is changed). Audited as
 * the parent's own write.
 */
export async function restoreReturnHomeWish(
  tx: Tx,
  input: { personId: number; period: string; before: ReturnHomeBefore; referralId: number | null; now: Date; actor: string },
): Promise<boolean> {
  if (input.referralId !== null) {
    const withdrawn = await tx.referral.deleteMany({ where: { id: input.referralId, state: 'sent' } });
    if (withdrawn.count !== 1) return false;
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'referral.withdraw', subjectType: 'Referral', subjectId: input.referralId });
  }
  const where = { personId_period: { personId: input.personId, period: input.period } };
  if (input.before) await tx.returnHomeWish.update({ where, data: input.before });
  else await tx.returnHomeWish.deleteMany({ where: { personId: input.personId, period: input.period } });
  await recordAudit(tx, {
    at: input.now,
    actor: input.actor,
    action: 'parent.return_home.undo',
    subjectType: 'Person',
    subjectId: input.personId,
    ...(input.before ? { after: { intention: input.before.intention, needs: input.before.needs, consent: input.before.consent } } : {}),
  });
  return true;
}

export interface ReturnHomeRequest {
  id: number;
  period: string;
  parent: { name: string; phone: string | null; village: string };
  work: { place: string; trade: string | null } | null;
  intention: ReturnIntention | null;
  needs: ReturnNeed[];
  answeredAt: Date | null;
  referredAt: Date;
  /** The referral to 人社 and where it stands (人社 acts on it under /referrals). */
  referral: { id: number; state: ReferralState; dueAt: Date; feedback: string | null };
}

/**
 * Parents of the scope who want help to come home and agreed that 人社 contacts them, oldest
 * first: the parent's name, phone and work, never a child's details.
 */
export async function returnHomeRequests(db: Db, scope: AreaScope, page: { after?: number; limit: number }): Promise<ReturnHomeRequest[]> {
  const rows = await db.returnHomeWish.findMany({
    where: { referral: { isNot: null }, person: { area: { path: { startsWith: scope.path } } }, ...(page.after ? { id: { gt: page.after } } : {}) },
    orderBy: { id: 'asc' },
    take: page.limit,
    select: {
      id: true,
      period: true,
      intention: true,
      needs: true,
      answeredAt: true,
      referral: { select: { id: true, state: true, sentAt: true, dueAt: true, feedback: true } },
      person: { select: { name: true, phone: true, area: { select: { name: true } }, work: { select: { place: true, trade: true } } } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    period: row.period,
    parent: { name: row.person.name, phone: row.person.phone, village: row.person.area.name },
    work: row.person.work,
    intention: intentionOf(row.intention),
    needs: needsOf(row.needs),
    answeredAt: row.answeredAt,
    referredAt: row.referral!.sentAt,
    referral: { id: row.referral!.id, state: row.referral!.state, dueAt: row.referral!.dueAt, feedback: row.referral!.feedback },
  }));
}
