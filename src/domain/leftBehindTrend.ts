import { LEFT_BEHIND_AGE_LIMIT } from './leftBehind';

/**
 * Why a child became left-behind (registered, a parent left) or stopped being so (a parent came
 * home, the child moved to the parents, came of age): the plan promises their number falls, and
 * the joint meeting asks why it moved.
 */
export const LEFT_BEHIND_REASONS = ['registered', 'parent_left', 'parent_returned', 'moved_to_parents', 'came_of_age', 'other'] as const;
export type LeftBehindReason = (typeof LEFT_BEHIND_REASONS)[number];

export const BECAME_REASONS = ['registered', 'parent_left', 'other'] as const satisfies readonly LeftBehindReason[];
export const STOPPED_REASONS = ['parent_returned', 'moved_to_parents', 'came_of_age', 'other'] as const satisfies readonly LeftBehindReason[];

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
