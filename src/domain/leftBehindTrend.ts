import { LEFT_BEHIND_AGE_LIMIT } from './leftBehind';

/**
 * Why a child became left-behind (registered, a parent left) or stopped being so (a parent came
 * home, the child moved to the parents, came of age): the plan promises their number falls, and
 * the joint meeting asks why it moved.
 */
export const LEFT_BEHIND_REASONS = ['registered', 'parent_left', 'parent_returned', 'moved_to_parents', 'came_of_age', 'moved_in', 'moved_out', 'archived', 'other'] as const;
export type LeftBehindReason = (typeof LEFT_BEHIND_REASONS)[number];

/**
 * A child moved from one village of the register to another leaves the one (moved_out) and enters
 * the other (moved_in) at the same moment; a child archived (left the area) or anonymised while
 * still counted leaves the register (archived). Without these a past quarter's count, walked back
 * from today's register, would lose such children.
 */
export const BECAME_REASONS = ['registered', 'parent_left', 'moved_in', 'other'] as const satisfies readonly LeftBehindReason[];
export const STOPPED_REASONS = ['parent_returned', 'moved_to_parents', 'came_of_age', 'moved_out', 'archived', 'other'] as const satisfies readonly LeftBehindReason[];

export interface LeftBehindChangeFacts {
  /** The status from now on. */
  leftBehind: boolean;
  /** The child was just put on the register. */
  registered: boolean;
  /** Full years of age today. */
  age: number;
  /** A director's override decides the status; its reason as written, else null. */
  overrideReason: string | null;
  /** One of the child's current parents lives at home. */
  parentAtHome: boolean;
}

/** Words of an override saying the child now lives with the parents where they work (随迁). */
const MOVED_TO_PARENTS = /随迁|随父母|跟随父母|跟父母|接到父母|到父母身边|父母身边|接走|随母|随父/;

/** The reason of a change of status. */
export function leftBehindChangeReason(facts: LeftBehindChangeFacts): LeftBehindReason {
  if (facts.leftBehind) {
    if (facts.registered) return 'registered';
    return facts.overrideReason === null ? 'parent_left' : 'other';
  }
  if (facts.age >= LEFT_BEHIND_AGE_LIMIT) return 'came_of_age';
  if (facts.overrideReason !== null) return MOVED_TO_PARENTS.test(facts.overrideReason) ? 'moved_to_parents' : 'other';
  return facts.parentAtHome ? 'parent_returned' : 'other';
}
