import type { Db } from '../db/database';

/** What the staff of one township or district read on Monday about the week before. */
export interface WeeklyFigures {
  /** Away parents' weeks with contact logged, and without. */
  kept: number;
  missed: number;
  /** Reports filed during the week. */
  reports: number;
  /** Cases not closed or dismissed, and those of them past their step's deadline. */
  open: number;
  overdue: number;
}

/** The figures of an area's subtree (its path, e.g. /880100/880101/) for a closed contact week. */
export async function weeklyFigures(db: Db, area: { path: string }, week: { key: string; start: Date; end: Date }, now: Date): Promise<WeeklyFigures> {
  const inArea = { area: { path: { startsWith: area.path } } };
  const weeks = await db.contactWeek.groupBy({ by: ['status'], where: { weekKey: week.key, child: inArea }, _count: { _all: true } });
  const count = (status: 'kept' | 'missed') => weeks.find((row) => row.status === status)?._count._all ?? 0;
  const open = { ...inArea, state: { notIn: ['closed' as const, 'dismissed' as const] } };
  const [reports, openCases, overdue] = await Promise.all([
    db.report.count({ where: { ...inArea, reportedAt: { gte: week.start, lt: week.end } } }),
    db.report.count({ where: open }),
    db.report.count({ where: { ...open, dueAt: { lt: now } } }),
  ]);
  return { kept: count('kept'), missed: count('missed'), reports, open: openCases, overdue };
}

/** Civil-affairs officers of townships and districts (not department staff) who have a chat, with their area. */
export async function summaryReaders(db: Db): Promise<Array<{ id: number; area: { id: number; name: string; path: string } }>> {
  return db.person.findMany({
    where: { role: 'officer', department: null, identities: { some: {} }, area: { level: { in: ['township', 'district'] } } },
    orderBy: { id: 'asc' },
    select: { id: true, area: { select: { id: true, name: true, path: true } } },
  });
}
