import { archivedLeftBehind } from '../registry/leftBehindChanges';
import type { Db } from '../db/database';
import { OPEN_CASE_STATES } from '../../domain/caseWorkflow';
import type { LeftBehindReason } from '../../domain/leftBehindTrend';

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

export interface LeftBehindCounts {
  /** Left-behind children on the register now, per district code. */
  children: Map<string, number>;
  /** Changes of status since `since`, per district code, direction and reason. */
  changes: Array<{ district: string; direction: 'became' | 'stopped'; reason: LeftBehindReason; count: number }>;
}

/** The district code of a village path (/city/district/township/village/), by the areas' levels. */
async function districtsOf(db: Db): Promise<(areaId: number) => string> {
  const areas = await db.area.findMany({ select: { id: true, code: true, level: true, path: true } });
  const byCode = new Map(areas.map((area) => [area.code, area]));
  const district = new Map<number, string>();
  for (const area of areas) {
    const codes = area.path.slice(1, -1).split('/');
    district.set(area.id, codes.find((code) => byCode.get(code)?.level === 'district') ?? codes[0] ?? area.code);
  }
  return (areaId) => district.get(areaId) ?? '';
}

/** The left-behind trend of the running quarter for /metrics: today's count and the changes since `since`, per district. */
export async function leftBehindCounts(db: Db, since: Date): Promise<LeftBehindCounts> {
  const districtOf = await districtsOf(db);
  const current = await db.child.groupBy({ by: ['areaId'], where: { leftBehind: true, archivedAt: null }, _count: { _all: true } });
  const children = new Map<string, number>();
  for (const row of current) children.set(districtOf(row.areaId), (children.get(districtOf(row.areaId)) ?? 0) + row._count._all);
  const grouped = await db.leftBehindChange.groupBy({ by: ['areaId', 'leftBehind', 'reason'], where: { at: { gte: since } }, _count: { _all: true } });
  const changes = new Map<string, LeftBehindCounts['changes'][number]>();
  for (const row of grouped) {
    const district = districtOf(row.areaId);
    const direction = row.leftBehind ? 'became' : 'stopped';
    const key = `${district}/${direction}/${row.reason}`;
    const entry = changes.get(key) ?? { district, direction, reason: row.reason, count: 0 };
    entry.count += row._count._all;
    changes.set(key, entry);
  }
  for (const [areaId, count] of await archivedLeftBehind(db, null, since, null)) {
    const district = districtOf(areaId);
    const key = `${district}/stopped/archived`;
    const entry = changes.get(key) ?? { district, direction: 'stopped' as const, reason: 'archived' as const, count: 0 };
    entry.count += count;
    changes.set(key, entry);
  }
  return { children, changes: [...changes.values()] };
}
