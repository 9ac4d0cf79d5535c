/**
 * Pure rules of the weekly contact verdict (每周至少一次与子女电话视频联系): whether a
 * (parent, child, week) was kept or missed, the run of missed weeks, and what that run calls for.
 */

export type ContactVerdict = 'kept' | 'missed' | 'paused';

/** Missed weeks in a row after which the guardian and the village director are told. */
export const NOTIFY_AFTER_MISSED_WEEKS = 2;
/** Missed weeks in a row after which a 亲情联系缺失 report is filed for the director. */
export const REPORT_AFTER_MISSED_WEEKS = 4;

export interface ClosedWeek {
  status: ContactVerdict;
  /** Consecutive missed weeks up to and including this one; 0 when kept. */
  missedStreak: number;
}

/**
 * The verdict on a closed week: kept with at least one logged contact (the parent's own or one a
 * guardian confirmed), else missed, extending the previous week's run. A week before the first one
 * closed for this pair counts as a streak of 0. A parent whose prompts were paused when the week
 * ended (暂停提醒, 退订) is not judged: the week is paused, contact or not, and compliance is counted
 * over the others. The run still counts weeks without contact, so the alerts to the family and the
 * staff about the child never pause with the parent's prompts.
 */
export function closeWeek(contactCount: number, previousMissedStreak: number | null | undefined, paused = false): ClosedWeek {
  const missedStreak = contactCount > 0 ? 0 : Math.max(0, previousMissedStreak ?? 0) + 1;
  return { status: paused ? 'paused' : contactCount > 0 ? 'kept' : 'missed', missedStreak };
}

export type StreakAlert = 'notify_family_and_director' | 'file_report';

/**
 * What a run of missed weeks calls for, once, on the week it reaches the threshold: exactly two in a
 * row tells the guardian and the director; exactly four files a report. A longer run stays with the
 * open case, so weeks 3, 5, 6 … add nothing.
 */
export function streakAlert(missedStreak: number): StreakAlert | null {
  if (missedStreak === NOTIFY_AFTER_MISSED_WEEKS) return 'notify_family_and_director';
  if (missedStreak === REPORT_AFTER_MISSED_WEEKS) return 'file_report';
  return null;
}
