import type { ReferralAction, ReferralDeadlineHours } from '../domain/referrals';
import { caseActorLabel, peopleOfArea } from '../store/cases/cases';
import type { Tx } from '../store/db/database';
import { queueToPerson, type Outgoing } from '../store/messaging/outbox';
import { actOnReferral, checkNoOpenReferral, createReferral, departmentStaffFor, referralStepCount, type ActedReferral, type DepartmentViewer } from '../store/cases/referrals';
import { moveCase, type MoveCaseInput, type MovedCase } from './moveCase';
import { keyed } from '../texts/keyedMessages';

export interface MovedCaseWithReferral extends MovedCase {
  /** The referral a `refer` step created, else null. */
  referralId: number | null;
  /** Department staff told at once (those with a chat identity, e.g. a WeCom userid). */
  staffTold: number;
}

/**
 * Moves a case one step (chat's 案件 … and the API's case steps both come here); a referral also
 * becomes a Referral record for the department, whose staff hear of it at once.
 */
export async function moveCaseStep(tx: Tx, input: MoveCaseInput & { referralDeadlines?: ReferralDeadlineHours; timeZone: string }): Promise<MovedCaseWithReferral> {
  // Checked before the step is written: a refused referral leaves no trace on the case.
  if (input.action === 'refer' && input.department) await checkNoOpenReferral(tx, input.reportId, input.department);
  const moved = await moveCase(tx, input);
  if (input.action !== 'refer' || moved.department === null) return { ...moved, referralId: null, staffTold: 0 };
  const request = input.note?.trim() || null;
  const { id: referralId, dueAt, village } = await createReferral(tx, {
    subject: { reportId: moved.id },
    department: moved.department,
    request,
    now: input.now,
    deadlines: input.referralDeadlines,
    actor: caseActorLabel(input.actor),
  });
  const text = keyed.referralSent(moved.department, moved.number, village!.name, request, dueAt, input.timeZone);
  let staffTold = 0;
  for (const personId of await departmentStaffFor(tx, moved.department, village!.path)) {
    if (await queueToPerson(tx, personId, text, { now: input.now, dedupeKey: `referral:${referralId}:sent:${personId}` })) staffTold += 1;
  }
  return { ...moved, referralId, staffTold };
}

/** What the people waiting for the department hear of its action: the case's directors, or the wish's parent. */
function textOf(referral: ActedReferral['referral'], action: ReferralAction, note: string): Outgoing {
  const { department, caseNumber } = referral;
  if (caseNumber === null) {
    return keyed.returnHomeReferralReply(action, note);
  }
  return {
    accept: keyed.referralAccepted(department, caseNumber),
    progress: keyed.referralProgress(department, caseNumber, note),
    answer: keyed.referralAnswered(department, caseNumber, note),
    return: keyed.referralReturned(department, caseNumber, note),
  }[action];
}

/**
 * A department's action on its referral: the village's directors hear every one on a case; the
 * parent hears every one on their return-home wish (that is their answer from 人社).
 */
export async function actOnReferralStep(tx: Tx, viewer: DepartmentViewer, input: { id: number; action: ReferralAction; note?: string | null; now: Date }): Promise<ActedReferral & { told: number }> {
  const acted = await actOnReferral(tx, viewer, input);
  const text = textOf(acted.referral, input.action, input.note?.trim() ?? '');
  const step = await referralStepCount(tx, input.id);
  const people = acted.parentId !== null ? [acted.parentId] : await peopleOfArea(tx, acted.villageId, 'director');
  let told = 0;
  for (const personId of people) {
    if (await queueToPerson(tx, personId, text, { now: input.now, dedupeKey: `referral:${input.id}:${input.action}:${step}:${personId}` })) told += 1;
  }
  return { ...acted, told };
}
