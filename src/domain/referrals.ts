import { DEPARTMENTS, type Department } from './departments';
import { DomainError } from './DomainError';

export const REFERRAL_STATES = ['sent', 'accepted', 'answered', 'returned'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

/** States in which the department still owes an answer. */
export const OPEN_REFERRAL_STATES = ['sent', 'accepted'] as const satisfies readonly ReferralState[];

export const REFERRAL_ACTIONS = ['accept', 'progress', 'answer', 'return'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

export const REFERRAL_EVENTS = ['accepted', 'progress', 'answered', 'returned'] as const;
export type ReferralEvent = (typeof REFERRAL_EVENTS)[number];

/** What each action records on the case (CaseStep.referralEvent). */
export const REFERRAL_EVENT: Readonly<Record<ReferralAction, ReferralEvent>> = {
  accept: 'accepted',
  progress: 'progress',
  answer: 'answered',
  return: 'returned',
};

/**
 * The department accepts the referral, may report progress (处理情况) while it works, then answers
 * (反馈); before answering it may hand the referral back with a reason (退回).
 */
const RULES: Readonly<Record<ReferralAction, { from: readonly ReferralState[]; to: ReferralState; noteRequired: boolean }>> = {
  accept: { from: ['sent'], to: 'accepted', noteRequired: false },
  progress: { from: ['accepted'], to: 'accepted', noteRequired: true },
  answer: { from: ['accepted'], to: 'answered', noteRequired: true },
  return: { from: ['sent', 'accepted'], to: 'returned', noteRequired: true },
};

/** The referral's next state, or a DomainError saying why the action is not allowed now. */
export function moveReferral(state: ReferralState, action: ReferralAction, note: string | null | undefined): { state: ReferralState; note: string | null } {
  const rule = RULES[action];
  if (!rule.from.includes(state)) {
    const hint = state === 'sent' ? 'accept it first' : `it is ${state}`;
    throw new DomainError('referral_action_refused', `a ${state} referral cannot ${action}: ${hint}`);
  }
  const text = note?.trim() || null;
  if (text === null && rule.noteRequired) throw new DomainError('referral_note_required', `${action} needs a note: what was done, the answer, or why it is handed back`);
  return { state: rule.to, note: text };
}

const HOUR = 3_600_000;

/** Hours each department has to answer a referral; the police's answer on a mandatory report (强制报告) is due sooner. */
export interface ReferralDeadlineHours {
  byDepartment: Record<Department, number>;
  policeMandatory: number;
}

/** Seven days for every department; the police three days on mandatory reports. */
export const DEFAULT_REFERRAL_DEADLINES: ReferralDeadlineHours = {
  byDepartment: Object.fromEntries(DEPARTMENTS.map((department) => [department, 168])) as Record<Department, number>,
  policeMandatory: 72,
};

/** When the department's answer to a referral sent at `sentAt` is due. */
export function referralDueAt(department: Department, mandatoryReport: boolean, sentAt: Date, hours: ReferralDeadlineHours = DEFAULT_REFERRAL_DEADLINES): Date {
  const allowed = department === 'police' && mandatoryReport ? Math.min(hours.policeMandatory, hours.byDepartment.police) : hours.byDepartment[department];
  return new Date(sentAt.getTime() + allowed * HOUR);
}

const ENTRY = /^([a-z_]+)\s*=\s*(\d+(?:\.\d+)?)\s*([hd])$/;

/**
 * Reads `education=5d,police=7d,police_mandatory=3d,default=7d`: hours (h) or days (d) per
 * department, `default` for those left out, `police_mandatory` for the police on mandatory
 * reports. Throws an Error naming the bad entry.
 */
export function parseReferralDeadlines(text: string): ReferralDeadlineHours {
  const entries = new Map<string, number>();
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = ENTRY.exec(entry.toLowerCase());
    const key = match?.[1];
    if (!match || !key || !(key === 'default' || key === 'police_mandatory' || (DEPARTMENTS as string[]).includes(key))) {
      throw new Error(`has "${entry}": write department=duration with a department (${DEPARTMENTS.join(', ')}), default or police_mandatory, e.g. education=5d,police_mandatory=3d`);
    }
    const hours = Number(match[2]) * (match[3] === 'd' ? 24 : 1);
    if (hours <= 0) throw new Error(`has "${entry}": a deadline is more than zero`);
    entries.set(key, hours);
  }
  const fallback = entries.get('default') ?? DEFAULT_REFERRAL_DEADLINES.byDepartment.civil_affairs;
  return {
    byDepartment: Object.fromEntries(DEPARTMENTS.map((department) => [department, entries.get(department) ?? fallback])) as Record<Department, number>,
    policeMandatory: entries.get('police_mandatory') ?? DEFAULT_REFERRAL_DEADLINES.policeMandatory,
  };
}
