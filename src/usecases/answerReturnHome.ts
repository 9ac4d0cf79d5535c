import { returnHomePeriod, type ReturnAnswer } from '../domain/returnHome';
import { personActor } from '../store/auditLog';
import type { Tx } from '../store/database';
import { queueToPerson } from '../store/outbox';
import { personWithArea } from '../store/people';
import { departmentStaffFor } from '../store/referrals';
import { markReturnHomeReferred, recordReturnHomeAnswer, type ReturnHomeWishView } from '../store/returnHomeWishes';
import { keyed } from '../texts/keyedMessages';

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
 * to 人社 of their area, once per half-year; one who does not consent is counted, never referred.
 */
export async function answerReturnHome(tx: Tx, input: { personId: number; answer: ReturnAnswer; now: Date; timeZone: string }): Promise<ReturnHomeOutcome> {
  const period = returnHomePeriod(input.now, input.timeZone);
  const actor = personActor(input.personId);
  const wish = await recordReturnHomeAnswer(tx, { personId: input.personId, period, answer: input.answer, now: input.now, actor });
  const wantsHelp = wish.intention !== null && wish.intention !== 'no' && wish.needs.length > 0;
  if (!wantsHelp || wish.consent !== true || wish.referredAt !== null) return { wish, referred: false, staffTold: 0 };
  if (!(await markReturnHomeReferred(tx, wish.id, input.now, actor))) return { wish, referred: false, staffTold: 0 };
  const parent = await personWithArea(tx, input.personId);
  const text = keyed.returnHomeReferral(parent.name, parent.area.name, wish.intention!, wish.needs);
  let staffTold = 0;
  for (const staff of await departmentStaffFor(tx, 'human_resources', parent.area.path)) {
    if (await queueToPerson(tx, staff, text, { now: input.now, dedupeKey: `return-home-referral:${wish.id}:${staff}` })) staffTold += 1;
  }
  return { wish: { ...wish, referredAt: input.now }, referred: true, staffTold };
}
