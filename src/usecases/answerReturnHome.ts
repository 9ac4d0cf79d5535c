import type { ReferralDeadlineHours } from '../domain/referrals';
import { RETURN_INTENTION_LABELS, returnHomePeriod, type ReturnAnswer } from '../domain/returnHome';
import { personActor } from '../store/audit/auditLog';
import type { Tx } from '../store/db/database';
import { queueToPerson } from '../store/messaging/outbox';
import { personWithArea } from '../store/registry/people';
import { createReferral, departmentStaffFor } from '../store/cases/referrals';
import { recordReturnHomeAnswer, type ReturnHomeWishView } from '../store/contact/returnHomeWishes';
import { keyed } from '../texts/keyedMessages';
import { returnHomeTexts } from '../texts/returnHomeTexts';

export interface ReturnHomeOutcome {
  wish: ReturnHomeWishView;
  /** Handed to 人社 by this answer (consent given, help wanted). */
  referred: boolean;
  /** 人社 staff told at once. */
  staffTold: number;
}

/**
 * An away parent's answer to the return-home question (chat keyword or free words). A parent who
 * wants to come home to work or start a business, wants some help and consents becomes a referral
 * to 人社 of their area, once per half-year: the same Referral record as a case's (staff told,
 * accepted, answered or handed back, a deadline and its reminders, timeliness in the ledger), its
 * subject the wish rather than a case, since no child is at risk and no director verifies it.
 * One who does not consent is counted in the migrant-work ledger, never referred.
 */
export async function answerReturnHome(
  tx: Tx,
  input: { personId: number; answer: ReturnAnswer; now: Date; timeZone: string; referralDeadlines?: ReferralDeadlineHours },
): Promise<ReturnHomeOutcome> {
  const period = returnHomePeriod(input.now, input.timeZone);
  const actor = personActor(input.personId);
  const wish = await recordReturnHomeAnswer(tx, { personId: input.personId, period, answer: input.answer, now: input.now, actor });
  const wantsHelp = wish.intention !== null && wish.intention !== 'no' && wish.needs.length > 0;
  if (!wantsHelp || wish.consent !== true || wish.referralId !== null) return { wish, referred: false, staffTold: 0 };
  const request = `${RETURN_INTENTION_LABELS[wish.intention!]}，需要：${returnHomeTexts.needList(wish.needs)}`;
  const referral = await createReferral(tx, { subject: { returnHomeWishId: wish.id }, department: 'human_resources', request, now: input.now, deadlines: input.referralDeadlines, actor });
  const parent = await personWithArea(tx, input.personId);
  const text = keyed.returnHomeReferral(parent.name, parent.area.name, wish.intention!, wish.needs, referral.dueAt, input.timeZone);
  let staffTold = 0;
  for (const staff of await departmentStaffFor(tx, 'human_resources', parent.area.path)) {
    if (await queueToPerson(tx, staff, text, { now: input.now, dedupeKey: `referral:${referral.id}:sent:${staff}` })) staffTold += 1;
  }
  return { wish: { ...wish, referralId: referral.id, referredAt: input.now }, referred: true, staffTold };
}
