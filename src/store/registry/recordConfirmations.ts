import type { Db, Prisma, Tx } from '../db/database';
import { byChineseName, groupBy } from './villageDirectors';

/** The fields of a child's record a director may change by chat (更新 <孩子> <字段> <新值>). */
export const CHAT_RECORD_FIELDS = ['schoolName', 'grade', 'healthStatus', 'familySituation', 'guardianshipStatus'] as const;
export type ChatRecordField = (typeof CHAT_RECORD_FIELDS)[number];

export interface RecordChange {
  field: ChatRecordField;
  before: string | null;
  after: string;
}

export interface ChildToConfirm {
  id: number;
  name: string;
  areaId: number;
  schoolName: string | null;
  grade: string | null;
}

/** Children of these villages (not archived) whose record is not confirmed in the quarter, by village. */
export async function unconfirmedChildrenByVillage(db: Db | Tx, villageIds: number[], quarter: string): Promise<Map<number, ChildToConfirm[]>> {
  if (villageIds.length === 0) return new Map();
  const children = await db.child.findMany({
    where: { areaId: { in: [...new Set(villageIds)] }, archivedAt: null, recordConfirmations: { none: { quarter } } },
    orderBy: [{ areaId: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, areaId: true, schoolName: true, grade: true },
  });
  return groupBy(byChineseName(children), (child) => child.areaId);
}

export async function countUnconfirmed(db: Db | Tx, villageId: number, quarter: string): Promise<number> {
  return db.child.count({ where: { areaId: villageId, archivedAt: null, recordConfirmations: { none: { quarter } } } });
}

/**
 * Confirms a child's record for the quarter, with at most one field change: writes the
 * RecordConfirmation (a later 无变化 in the same quarter keeps an earlier change; the audit log
 * keeps every one), the field, recordConfirmedAt, clears recordStale, and writes the audit row.
 */
export async function confirmRecord(
  tx: Tx,
  input: { childId: number; quarter: string; confirmedById: number; change: { field: ChatRecordField; value: string } | null; now: Date },
): Promise<{ change: RecordChange | null }> {
  const child: Record<ChatRecordField, string | null> = await tx.child.findUniqueOrThrow({
    where: { id: input.childId },
    select: { schoolName: true, grade: true, healthStatus: true, familySituation: true, guardianshipStatus: true },
  });
  const change: RecordChange | null = input.change ? { field: input.change.field, before: child[input.change.field], after: input.change.value } : null;
  const changes: Prisma.InputJsonValue | undefined = change ? { ...change } : undefined;
  await tx.recordConfirmation.upsert({
    where: { childId_quarter: { childId: input.childId, quarter: input.quarter } },
    create: { childId: input.childId, quarter: input.quarter, confirmedById: input.confirmedById, confirmedAt: input.now, ...(changes ? { changes } : {}) },
    update: { confirmedById: input.confirmedById, confirmedAt: input.now, ...(changes ? { changes } : {}) },
    select: { id: true },
  });
  await tx.child.update({
    where: { id: input.childId },
    data: { ...(change ? { [change.field]: change.after } : {}), recordConfirmedAt: input.now, recordStale: false },
  });
  await tx.auditLog.create({
    data: {
      at: input.now,
      actor: `person:${input.confirmedById}`,
      action: change ? 'record.update' : 'record.confirm',
      subjectType: 'Child',
      subjectId: String(input.childId),
      detail: change ? { quarter: input.quarter, ...change } : { quarter: input.quarter, unchanged: true },
    },
  });
  return { change };
}

/**
 * Marks every child (not archived) with no confirmation for the quarter as stale, in one statement,
 * and returns how many such children each village has (the same numbers on a re-run).
 */
export async function markUnconfirmedStale(db: Db, quarter: string): Promise<{ marked: number; byVillage: Map<number, number> }> {
  const where: Prisma.ChildWhereInput = { archivedAt: null, recordConfirmations: { none: { quarter } } };
  const groups = await db.child.groupBy({ by: ['areaId'], where, _count: { _all: true } });
  const result = await db.child.updateMany({ where: { ...where, recordStale: false }, data: { recordStale: true } });
  return { marked: result.count, byVillage: new Map(groups.map((group) => [group.areaId, group._count._all])) };
}
