import { ageOn } from '../domain/leftBehind';
import { leftBehindChangeReason, type LeftBehindReason } from '../domain/leftBehindTrend';
import type { Tx } from './database';

/**
 * Records that a child's left-behind status changed, and why: the left-behind trend is counted
 * from these rows. Called wherever the status is written (recompute, roster import).
 */
export async function recordLeftBehindChange(
  tx: Tx,
  input: { childId: number; areaId: number; birthDate: string; leftBehind: boolean; registered: boolean; overrideReason: string | null; parentAtHome: boolean; now: Date; timeZone: string },
): Promise<LeftBehindReason> {
  const reason = leftBehindChangeReason({
    leftBehind: input.leftBehind,
    registered: input.registered,
    age: ageOn(input.birthDate, input.now, input.timeZone),
    overrideReason: input.overrideReason,
    parentAtHome: input.parentAtHome,
  });
  await tx.leftBehindChange.create({ data: { childId: input.childId, areaId: input.areaId, at: input.now, leftBehind: input.leftBehind, reason } });
  return reason;
}
