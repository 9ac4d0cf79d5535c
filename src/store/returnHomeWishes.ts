import { RETURN_INTENTIONS, RETURN_NEEDS, type ReturnAnswer, type ReturnIntention, type ReturnNeed } from '../domain/returnHome';
import { recordAudit } from './auditLog';
import type { AreaScope } from './areaScopeFilter';
import type { Db, Tx } from './database';

export interface ReturnHomeWishView {
  id: number;
  period: string;
  answeredAt: Date | null;
  intention: ReturnIntention | null;
  needs: ReturnNeed[];
  consent: boolean | null;
  referredAt: Date | null;
}

const needsOf = (text: string | null): ReturnNeed[] => (text ? text.split(',').filter((need): need is ReturnNeed => (RETURN_NEEDS as readonly string[]).includes(need)) : []);
const intentionOf = (text: string | null): ReturnIntention | null => ((RETURN_INTENTIONS as readonly string[]).includes(text ?? '') ? (text as ReturnIntention) : null);

function view(row: { id: number; period: string; answeredAt: Date | null; intention: string | null; needs: string | null; consent: boolean | null; referredAt: Date | null }): ReturnHomeWishView {
  return { id: row.id, period: row.period, answeredAt: row.answeredAt, intention: intentionOf(row.intention), needs: needsOf(row.needs), consent: row.consent, referredAt: row.referredAt };
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

/** Marks the wish handed to 人社 once: false when it already was. */
export async function markReturnHomeReferred(tx: Tx, id: number, now: Date, actor: string): Promise<boolean> {
  const updated = await tx.returnHomeWish.updateMany({ where: { id, referredAt: null }, data: { referredAt: now } });
  if (updated.count !== 1) return false;
  await recordAudit(tx, { at: now, actor, action: 'parent.return_home_referral', subjectType: 'ReturnHomeWish', subjectId: id, after: { department: 'human_resources' } });
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
}

/**
 * Parents of the scope who want help to come home and agreed that 人社 contacts them, oldest
 * first: the parent's name, phone and work, never a child's details.
 */
export async function returnHomeRequests(db: Db, scope: AreaScope, page: { after?: number; limit: number }): Promise<ReturnHomeRequest[]> {
  const rows = await db.returnHomeWish.findMany({
    where: { referredAt: { not: null }, person: { area: { path: { startsWith: scope.path } } }, ...(page.after ? { id: { gt: page.after } } : {}) },
    orderBy: { id: 'asc' },
    take: page.limit,
    select: {
      id: true,
      period: true,
      intention: true,
      needs: true,
      answeredAt: true,
      referredAt: true,
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
    referredAt: row.referredAt!,
  }));
}
