import type { CheckInStatus, Db, Prisma, Tx } from '../db/database';
import { inArea, type AreaScope } from '../registry/areaScopeFilter';
import { peopleWithChildrenBatches, type PersonWithChildren } from '../registry/linkedPeople';

/** Teachers are read this many at a time: no job holds all of a large district in memory. */
export const TEACHER_BATCH_SIZE = 500;

/** A teacher and the children assigned to them, in the order of their numbered list. */
export type AssignedTeacher = PersonWithChildren;

const TEACHER_LINK: Prisma.ChildLinkWhereInput = { kind: 'teacher', endedAt: null, child: { archivedAt: null } };

/**
 * Streams teachers with a bound chat identity and at least one assigned child still in the
 * registry, keyset-paginated by person id, each with all those children (eldest first, the order
 * of the numbered list). Per batch: one query.
 */
export function assignedTeacherBatches(db: Db | Tx, batchSize = TEACHER_BATCH_SIZE): AsyncGenerator<AssignedTeacher[]> {
  return peopleWithChildrenBatches(db, { person: { role: 'teacher', identities: { some: {} } }, link: TEACHER_LINK }, batchSize);
}

/** Which of these teachers already have a round between two dates (YYYY-MM-DD, inclusive). */
export async function teachersWithRoundBetween(db: Db | Tx, teacherIds: number[], first: string, last: string): Promise<Set<number>> {
  if (teacherIds.length === 0) return new Set();
  const rows = await db.teacherCheckIn.groupBy({ by: ['teacherId'], where: { teacherId: { in: teacherIds }, round: { gte: first, lte: last } } });
  return new Set(rows.map((row) => row.teacherId));
}

/** Opens one check-in per (teacher, child, round); an existing row is left as it is. */
export async function openCheckIn(tx: Tx, entry: { teacherId: number; childId: number; round: string; position: number; promptedAt: Date }): Promise<void> {
  await tx.teacherCheckIn.upsert({
    where: { teacherId_childId_round: { teacherId: entry.teacherId, childId: entry.childId, round: entry.round } },
    create: entry,
    update: {},
    select: { id: true },
  });
}

/** The newest round a teacher was prompted for, or null. */
export async function latestRoundOf(tx: Tx, teacherId: number): Promise<string | null> {
  const row = await tx.teacherCheckIn.findFirst({ where: { teacherId }, orderBy: { round: 'desc' }, select: { round: true } });
  return row?.round ?? null;
}

export interface RoundCheckIn {
  id: number;
  position: number;
  status: CheckInStatus;
  note: string | null;
  reportId: number | null;
  report: { severity: 'urgent' | 'high' | 'normal' } | null;
  child: { id: number; name: string; areaId: number };
}

/** A teacher's check-ins of one round, by position. */
export async function checkInsOfRound(tx: Tx, teacherId: number, round: string): Promise<RoundCheckIn[]> {
  return tx.teacherCheckIn.findMany({
    where: { teacherId, round },
    orderBy: { position: 'asc' },
    select: {
      id: true,
      position: true,
      status: true,
      note: true,
      reportId: true,
      report: { select: { severity: true } },
      child: { select: { id: true, name: true, areaId: true } },
    },
  });
}

export interface OverdueCheckIn {
  id: number;
  round: string;
  position: number;
  childName: string;
}

/**
 * Streams, teacher by teacher (batches of teachers, keyset-paginated by id), the check-ins still
 * pending and never reminded that were prompted at or before `cutoff`, keeping only each teacher's
 * newest round: a reply is matched against that round, so older lists are not brought up again.
 */
export async function* overdueCheckInBatches(
  db: Db | Tx,
  cutoff: Date,
  batchSize = TEACHER_BATCH_SIZE,
): AsyncGenerator<Array<{ teacherId: number; checkIns: OverdueCheckIn[] }>> {
  const overdue: Prisma.TeacherCheckInWhereInput = { status: 'pending', remindedAt: null, promptedAt: { lte: cutoff } };
  let cursor = 0;
  for (;;) {
    const teachers = await db.teacherCheckIn.groupBy({
      by: ['teacherId'],
      where: { ...overdue, teacherId: { gt: cursor } },
      orderBy: { teacherId: 'asc' },
      take: batchSize,
    });
    if (teachers.length === 0) return;
    const teacherIds = teachers.map((row) => row.teacherId);
    const latest = await db.teacherCheckIn.groupBy({ by: ['teacherId'], where: { teacherId: { in: teacherIds } }, _max: { round: true } });
    const latestRound = new Map(latest.map((row) => [row.teacherId, row._max.round]));
    const rows = await db.teacherCheckIn.findMany({
      where: { ...overdue, teacherId: { in: teacherIds } },
      orderBy: [{ teacherId: 'asc' }, { position: 'asc' }],
      select: { id: true, teacherId: true, round: true, position: true, child: { select: { name: true } } },
    });
    const byTeacher = new Map<number, OverdueCheckIn[]>();
    for (const row of rows) {
      if (row.round !== latestRound.get(row.teacherId)) continue;
      byTeacher.set(row.teacherId, [...(byTeacher.get(row.teacherId) ?? []), { id: row.id, round: row.round, position: row.position, childName: row.child.name }]);
    }
    yield [...byTeacher].map(([teacherId, checkIns]) => ({ teacherId, checkIns }));
    if (teachers.length < batchSize) return;
    cursor = teacherIds[teacherIds.length - 1]!;
  }
}

export interface ChildCheckIn {
  round: string;
  status: CheckInStatus;
  note: string | null;
  promptedAt: Date;
  answeredAt: Date | null;
  teacher: { id: number; name: string };
}

/** A child's check-ins, newest round first, or null when the child is not in the scope. */
export async function checkInsOfChild(db: Db, scope: AreaScope, childId: number): Promise<ChildCheckIn[] | null> {
  const child = await db.child.findFirst({ where: { id: childId, ...inArea(scope) }, select: { id: true } });
  if (!child) return null;
  return db.teacherCheckIn.findMany({
    where: { childId: child.id },
    select: { round: true, status: true, note: true, promptedAt: true, answeredAt: true, teacher: { select: { id: true, name: true } } },
    orderBy: [{ promptedAt: 'desc' }, { id: 'desc' }],
    take: 200,
  });
}

/** Saves a teacher's answer to one check-in. */
export async function saveCheckInAnswer(
  tx: Tx,
  checkInId: number,
  answer: { status: CheckInStatus; note: string | null; answeredAt: Date; reportId: number | null },
): Promise<void> {
  await tx.teacherCheckIn.update({ where: { id: checkInId }, data: answer, select: { id: true } });
}

/** The parents currently linked to a child. */
export async function currentParentsOf(tx: Tx, childId: number): Promise<number[]> {
  const links = await tx.childLink.findMany({ where: { childId, kind: 'parent', endedAt: null }, select: { personId: true } });
  return links.map((link) => link.personId);
}

/** Marks check-ins reminded; one already reminded keeps its first time, so none is reminded twice. */
export async function markCheckInsReminded(tx: Tx, checkInIds: number[], now: Date): Promise<void> {
  await tx.teacherCheckIn.updateMany({ where: { id: { in: checkInIds }, remindedAt: null }, data: { remindedAt: now } });
}

/** A child's latest answered check-ins of these statuses, newest first, with the teacher's name. */
export function recentCheckInsOfChild(
  tx: Tx,
  childId: number,
  statuses: CheckInStatus[],
  take: number,
): Promise<Array<{ answeredAt: Date | null; status: CheckInStatus; note: string | null; teacher: { name: string } }>> {
  return tx.teacherCheckIn.findMany({
    where: { childId, status: { in: statuses } },
    orderBy: { answeredAt: 'desc' },
    take,
    select: { answeredAt: true, status: true, note: true, teacher: { select: { name: true } } },
  });
}
