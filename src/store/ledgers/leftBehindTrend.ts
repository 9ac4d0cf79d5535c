import { BECAME_REASONS, STOPPED_REASONS, type LeftBehindReason } from '../../domain/leftBehindTrend';
import { LEFT_BEHIND_REASON_LABELS } from '../../domain/labels';
import { previousRecordQuarter, recordQuarterOf, type RecordQuarter } from '../../domain/recordQuarter';
import type { Db } from '../db/database';
import { archivedLeftBehind } from '../registry/leftBehindChanges';
import { AREA_COLUMNS, ledgerRow, totalCells, villagesOf } from './areas';
import type { Ledger, LedgerRow, LedgerScope } from './ledger';

/** Quarters shown when the caller names no number: this one and the three before (a year). */
export const DEFAULT_TREND_QUARTERS = 4;

/** The quarter of `now` and the `count - 1` before it, oldest first. */
export function recentQuarters(now: Date, timeZone: string, count: number): RecordQuarter[] {
  const quarters = [recordQuarterOf(now, timeZone)];
  while (quarters.length < count) quarters.unshift(previousRecordQuarter(quarters[0]!));
  return quarters;
}

export interface TrendTally {
  atStart: number;
  atEnd: number;
  became: Record<(typeof BECAME_REASONS)[number], number>;
  stopped: Record<(typeof STOPPED_REASONS)[number], number>;
}

type Changes = Map<number, { became: Map<LeftBehindReason, number>; stopped: Map<LeftBehindReason, number> }>;

/** Changes of status in [from, to) per village, by direction and reason; archived children among those who stopped. */
async function changesBetween(db: Db, scope: LedgerScope, from: Date, to: Date): Promise<Changes> {
  const rows = await db.leftBehindChange.groupBy({
    by: ['areaId', 'leftBehind', 'reason'],
    where: { at: { gte: from, lt: to }, area: { path: { startsWith: scope.path } } },
    _count: { _all: true },
  });
  const archived = await archivedLeftBehind(db, scope.path, from, to);
  const changes: Changes = new Map();
  const add = (areaId: number, became: boolean, reason: LeftBehindReason, count: number) => {
    const village = changes.get(areaId) ?? { became: new Map(), stopped: new Map() };
    changes.set(areaId, village);
    const into = became ? village.became : village.stopped;
    into.set(reason, (into.get(reason) ?? 0) + count);
  };
  for (const row of rows) add(row.areaId, row.leftBehind, row.reason, row._count._all);
  for (const [areaId, count] of archived) add(areaId, false, 'archived', count);
  return changes;
}

const sum = (counts: Map<LeftBehindReason, number> | undefined): number => [...(counts?.values() ?? [])].reduce((a, b) => a + b, 0);

/**
 * The left-behind trend per village and quarter: the children counted at the quarter's start, how
 * many became left-behind and how many stopped, by reason, and the count at its end. Counts are
 * walked back from today's register through the recorded changes (LeftBehindChange), so a past
 * quarter's numbers are what the register said then.
 */
export async function leftBehindTrend(db: Db, scope: LedgerScope, quarters: readonly RecordQuarter[], now: Date): Promise<Map<string, Map<number, TrendTally>>> {
  const current = await db.child.groupBy({
    by: ['areaId'],
    where: { leftBehind: true, archivedAt: null, area: { path: { startsWith: scope.path } } },
    _count: { _all: true },
  });
  // The count at the end of the newest quarter: today's, less what changed since.
  let atEnd = new Map(current.map((row) => [row.areaId, row._count._all]));
  const last = quarters[quarters.length - 1]!;
  if (last.end < now) {
    const since = await changesBetween(db, scope, last.end, now);
    atEnd = walkBack(atEnd, since);
  }
  const result = new Map<string, Map<number, TrendTally>>();
  for (const quarter of [...quarters].reverse()) {
    const changes = await changesBetween(db, scope, quarter.start, quarter.end);
    const atStart = walkBack(atEnd, changes);
    const tallies = new Map<number, TrendTally>();
    for (const areaId of new Set([...atEnd.keys(), ...atStart.keys(), ...changes.keys()])) {
      const village = changes.get(areaId);
      tallies.set(areaId, {
        atStart: atStart.get(areaId) ?? 0,
        atEnd: atEnd.get(areaId) ?? 0,
        became: Object.fromEntries(BECAME_REASONS.map((reason) => [reason, village?.became.get(reason) ?? 0])) as TrendTally['became'],
        stopped: Object.fromEntries(STOPPED_REASONS.map((reason) => [reason, village?.stopped.get(reason) ?? 0])) as TrendTally['stopped'],
      });
    }
    result.set(quarter.key, tallies);
    atEnd = atStart;
  }
  return result;
}

/** The counts before some changes: those who became are taken off, those who stopped put back. */
function walkBack(after: Map<number, number>, changes: Changes): Map<number, number> {
  const before = new Map(after);
  for (const [areaId, village] of changes) before.set(areaId, (before.get(areaId) ?? 0) - sum(village.became) + sum(village.stopped));
  return before;
}

const TRANSITIONS = [
  ...BECAME_REASONS.map((reason) => ({ key: `became_${reason}`, header: `新增：${LEFT_BEHIND_REASON_LABELS[reason]}`, of: (t: TrendTally) => t.became[reason] })),
  ...STOPPED_REASONS.map((reason) => ({ key: `stopped_${reason}`, header: `退出：${LEFT_BEHIND_REASON_LABELS[reason]}`, of: (t: TrendTally) => t.stopped[reason] })),
];

function cells(tally: TrendTally): LedgerRow {
  const became = Object.values(tally.became).reduce((a, b) => a + b, 0);
  const stopped = Object.values(tally.stopped).reduce((a, b) => a + b, 0);
  return {
    atStart: tally.atStart,
    became,
    stopped,
    ...Object.fromEntries(TRANSITIONS.map((column) => [column.key, column.of(tally)])),
    atEnd: tally.atEnd,
    change: tally.atEnd - tally.atStart,
  };
}

/** Adds tallies up (a scope's total row). */
export function addTallies(tallies: Iterable<TrendTally>): TrendTally {
  const total: TrendTally = {
    atStart: 0,
    atEnd: 0,
    became: Object.fromEntries(BECAME_REASONS.map((reason) => [reason, 0])) as TrendTally['became'],
    stopped: Object.fromEntries(STOPPED_REASONS.map((reason) => [reason, 0])) as TrendTally['stopped'],
  };
  for (const tally of tallies) {
    total.atStart += tally.atStart;
    total.atEnd += tally.atEnd;
    for (const reason of BECAME_REASONS) total.became[reason] += tally.became[reason];
    for (const reason of STOPPED_REASONS) total.stopped[reason] += tally.stopped[reason];
  }
  return total;
}

/**
 * 农村留守儿童变化趋势: per village and quarter, left-behind children at the start, how many became
 * so and how many stopped (a parent returned, the child moved to the parents, came of age …), and
 * at the end; a total row per quarter. No child's details, so 人社 reads it too.
 */
export const leftBehindTrendLedger: Ledger = {
  name: 'left-behind-trend',
  title: '农村留守儿童变化趋势',
  departments: ['human_resources'],
  columns: [
    ...AREA_COLUMNS,
    { key: 'quarter', header: '季度' },
    { key: 'atStart', header: '期初留守儿童' },
    { key: 'became', header: '新增' },
    { key: 'stopped', header: '退出' },
    ...TRANSITIONS.map(({ key, header }) => ({ key, header })),
    { key: 'atEnd', header: '期末留守儿童' },
    { key: 'change', header: '增减' },
  ],
  async *rows(db, scope, options) {
    const quarters = recentQuarters(options.now, options.timeZone, options.periods ?? DEFAULT_TREND_QUARTERS);
    const villages = await villagesOf(db, scope);
    const trend = await leftBehindTrend(db, scope, quarters, options.now);
    for (const quarter of quarters) {
      const tallies = trend.get(quarter.key)!;
      const zero = addTallies([]);
      const rows: LedgerRow[] = [...villages].map(([id, names]) => ledgerRow(names, { quarter: quarter.key }, cells(tallies.get(id) ?? zero)));
      rows.push(ledgerRow(totalCells(scope), { quarter: quarter.key }, cells(addTallies([...villages.keys()].map((id) => tallies.get(id) ?? zero)))));
      yield rows;
    }
  },
};
