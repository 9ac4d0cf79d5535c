import { recordAudit } from '../audit/auditLog';
import type { Tx } from '../db/database';

export interface ParentWorkRecord {
  place: string;
  trade: string | null;
  since: Date;
}

/**
 * Records where a parent works now. The same place again keeps its `since` (only the trade may
 * change); a new place starts afresh. Audited as the parent's own write.
 */
export async function recordParentWork(tx: Tx, input: { personId: number; place: string; trade: string | null; now: Date; actor: string }): Promise<ParentWorkRecord> {
  const before = await tx.parentWork.findUnique({ where: { personId: input.personId } });
  const since = before && before.place === input.place ? before.since : input.now;
  const trade = input.trade ?? (before && before.place === input.place ? before.trade : null);
  const saved = await tx.parentWork.upsert({
    where: { personId: input.personId },
    create: { personId: input.personId, place: input.place, trade, since, updatedAt: input.now },
    update: { place: input.place, trade, since, updatedAt: input.now },
  });
  await recordAudit(tx, {
    at: input.now,
    actor: input.actor,
    action: 'parent.work',
    subjectType: 'Person',
    subjectId: input.personId,
    ...(before ? { before: { place: before.place, trade: before.trade } } : {}),
    after: { place: saved.place, trade: saved.trade },
  });
  return { place: saved.place, trade: saved.trade, since: saved.since };
}

/** What a parent's work was before a write, to undo it (撤销); null: there was none. */
export type ParentWorkBefore = { place: string; trade: string | null; since: Date; updatedAt: Date } | null;

export async function parentWorkOf(tx: Tx, personId: number): Promise<ParentWorkBefore> {
  return tx.parentWork.findUnique({ where: { personId }, select: { place: true, trade: true, since: true, updatedAt: true } });
}

/** Puts a parent's work back as it was before their last write (撤销), audited as their own write. */
export async function restoreParentWork(tx: Tx, input: { personId: number; before: ParentWorkBefore; now: Date; actor: string }): Promise<void> {
  if (input.before) await tx.parentWork.upsert({ where: { personId: input.personId }, create: { personId: input.personId, ...input.before }, update: input.before });
  else await tx.parentWork.deleteMany({ where: { personId: input.personId } });
  const after = input.before ? { after: { place: input.before.place, trade: input.before.trade } } : {};
  await recordAudit(tx, { at: input.now, actor: input.actor, action: 'parent.work.undo', subjectType: 'Person', subjectId: input.personId, ...after });
}
