import type { Db } from './database';
import { OPEN_CASE_STATES } from '../domain/caseWorkflow';

export interface OutboxBacklog {
  pending: number;
  sending: number;
  dead: number;
  /** Age in seconds of the oldest message waiting to be sent, or null when none waits. */
  oldestPendingSeconds: number | null;
}

/** What the dispatcher still has to send: counts by the (status, nextAttemptAt) index. */
export async function outboxBacklog(db: Db, now: Date): Promise<OutboxBacklog> {
  const byStatus = await db.outboxMessage.groupBy({ by: ['status'], where: { status: { in: ['pending', 'sending', 'dead'] } }, _count: { _all: true } });
  const oldest = await db.outboxMessage.findFirst({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } });
  const count = (status: string): number => byStatus.find((row) => row.status === status)?._count._all ?? 0;
  return {
    pending: count('pending'),
    sending: count('sending'),
    dead: count('dead'),
    oldestPendingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.createdAt.getTime()) / 1000)) : null,
  };
}

/** Open cases, and those of them past the deadline of their next step (the (state, dueAt) index). */
export async function caseCounts(db: Db, now: Date): Promise<{ open: number; overdue: number }> {
  const open = await db.report.count({ where: { state: { in: [...OPEN_CASE_STATES] } } });
  const overdue = await db.report.count({ where: { state: { in: [...OPEN_CASE_STATES] }, dueAt: { lt: now } } });
  return { open, overdue };
}
