import { ageOn } from '../../domain/leftBehind';
import { leftBehindChangeReason, type LeftBehindReason } from '../../domain/leftBehindTrend';
import type { Db, Tx } from '../db/database';

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

/**
 * A left-behind child moved from one village of the register to another: it leaves the one
 * (moved_out) and enters the other (moved_in) at that moment, so each village's trend counts it
 * where it lived in each quarter. Nothing to record for a child not counted.
 */
export async function recordVillageMove(tx: Tx, input: { childId: number; fromAreaId: number; toAreaId: number; now: Date }): Promise<void> {
  await tx.leftBehindChange.createMany({
    data: [
      { childId: input.childId, areaId: input.fromAreaId, at: input.now, leftBehind: false, reason: 'moved_out' },
      { childId: input.childId, areaId: input.toAreaId, at: input.now, leftBehind: true, reason: 'moved_in' },
    ],
  });
}

/**
 * Left-behind children archived (left the area) in [from, to) (to: null, until now), per village: they left the count
 * then, for the reason `archived`. Read from the child's own archivedAt rather than a change row,
 * so a child archived by any path (roster, database, restore) leaves the trend the same way;
 * anonymisation comes after archiving or after the 16th birthday, so it removes nobody still counted.
 */
export async function archivedLeftBehind(db: Db, scopePath: string | null, from: Date, to: Date | null): Promise<Map<number, number>> {
  const rows = await db.child.groupBy({
    by: ['areaId'],
    where: { leftBehind: true, archivedAt: { gte: from, ...(to ? { lt: to } : {}) }, ...(scopePath ? { area: { path: { startsWith: scopePath } } } : {}) },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.areaId, row._count._all]));
}
