import { contactWeekOf, previousContactWeek, type ContactWeek } from '../../domain/contactWeek';
import { Prisma, type Db } from '../db/database';
import { AREA_COLUMNS, ledgerRow, totalCells, shownVillages, type AreaCells } from './areas';
import { percent, toNumber, type Ledger, type LedgerOptions, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

/** Weeks shown when the caller names no number. */
export const DEFAULT_CONTACT_WEEKS = 8;

/**
 * 亲情联系周报: the closed weeks' verdicts (ContactWeek, one per away parent and child) per
 * village and week, kept against missed, paused parents apart (not in the rate), with the change
 * of the rate from the week before.
 */
export const contactComplianceLedger: Ledger = {
  name: 'contact',
  title: '亲情联系周报',
  totals: true,
  columns: [
    ...AREA_COLUMNS,
    { key: 'week', header: '周次' },
    { key: 'kept', header: '按时联系' },
    { key: 'missed', header: '未联系' },
    { key: 'paused', header: '暂停提醒' },
    { key: 'rate', header: '联系率(%)' },
    { key: 'trend', header: '较上周(百分点)' },
  ],
  async *rows(db, scope, options) {
    yield await contactComplianceRows(db, scope, options);
  },
};

/** The last `count` closed weeks before now's week, oldest first. */
export function closedWeeks(now: Date, timeZone: string, count: number): ContactWeek[] {
  const weeks: ContactWeek[] = [];
  let week = contactWeekOf(now, timeZone);
  for (let i = 0; i < count; i++) {
    week = previousContactWeek(week);
    weeks.unshift(week);
  }
  return weeks;
}

/** A week's verdicts of the children of one area. */
export interface AreaWeekCount {
  areaId: number;
  weekKey: string;
  kept: number;
  missed: number;
  paused: number;
}

const countsOf = (rows: Array<{ areaId: unknown; weekKey: string; kept: unknown; missed: unknown; paused: unknown }>): AreaWeekCount[] =>
  rows.map((row) => ({ areaId: toNumber(row.areaId), weekKey: row.weekKey, kept: toNumber(row.kept), missed: toNumber(row.missed), paused: toNumber(row.paused) }));

/**
 * The weeks' verdicts per area of the scope counted from ContactWeek itself: one grouped query;
 * the (weekKey, status) index narrows to the weeks asked for. What the summaries must equal, and
 * what a week not yet summarized is read from.
 */
export async function liveContactWeekCounts(db: Db, scope: LedgerScope, weeks: string[]): Promise<AreaWeekCount[]> {
  if (weeks.length === 0) return [];
  return countsOf(await db.$queryRaw`
    SELECT c."areaId" AS "areaId", w."weekKey" AS "weekKey",
      SUM(CASE WHEN w.status = 'kept' THEN 1 ELSE 0 END) AS kept,
      SUM(CASE WHEN w.status = 'missed' THEN 1 ELSE 0 END) AS missed,
      SUM(CASE WHEN w.status = 'paused' THEN 1 ELSE 0 END) AS paused
    FROM "ContactWeek" w JOIN "Child" c ON c.id = w."childId"
    WHERE w."weekKey" IN (${Prisma.join(weeks)}) AND ${areaIdInScope('c."areaId"', scope)}
    GROUP BY c."areaId", w."weekKey"`);
}

/**
 * The weeks' verdicts per area of the scope: weeks contact-week-close has summarized from their
 * ContactWeekSummary rows (a thousand a week for a city), the others (not closed yet, closed before
 * the summaries existed, or being closed now) counted live, so the numbers are the same either way.
 */
export async function contactWeekCounts(db: Db, scope: LedgerScope, weeks: string[]): Promise<AreaWeekCount[]> {
  const summarized = new Set(
    (await db.contactWeekSummarized.findMany({ where: { weekKey: { in: weeks } }, select: { weekKey: true } })).map((week) => week.weekKey),
  );
  const fromSummaries = weeks.filter((week) => summarized.has(week));
  const summaries =
    fromSummaries.length === 0
      ? []
      : countsOf(await db.$queryRaw`
    SELECT s."areaId" AS "areaId", s."weekKey" AS "weekKey", s.kept AS kept, s.missed AS missed, s.paused AS paused
    FROM "ContactWeekSummary" s
    WHERE s."weekKey" IN (${Prisma.join(fromSummaries)}) AND ${areaIdInScope('s."areaId"', scope)}`);
  return [...summaries, ...(await liveContactWeekCounts(db, scope, weeks.filter((week) => !summarized.has(week))))];
}

async function contactComplianceRows(db: Db, scope: LedgerScope, options: LedgerOptions): Promise<LedgerRow[]> {
  const weeks = closedWeeks(options.now, options.timeZone, options.periods ?? DEFAULT_CONTACT_WEEKS).map((week) => week.key);
  const villages = await shownVillages(db, scope, options);
  const counts = await contactWeekCounts(db, scope, weeks);
  // Each area's counts by the week's place in `weeks`: a city of 10,000 villages has 80,000 of them,
  // and a string key for each, made twice, cost a third of the ledger's time (BENCHMARKS.md
  // "1,000,000 children, quiet").
  const weekIndex = new Map(weeks.map((week, index) => [week, index]));
  const byVillage = new Map<number, WeekCounts[]>();
  const totals: WeekCounts[] = weeks.map(() => ({ kept: 0, missed: 0, paused: 0 }));
  for (const row of counts) {
    const index = weekIndex.get(row.weekKey)!;
    let village = byVillage.get(row.areaId);
    if (!village) byVillage.set(row.areaId, (village = new Array<WeekCounts>(weeks.length)));
    village[index] = row;
    const total = totals[index]!;
    total.kept += row.kept;
    total.missed += row.missed;
    total.paused += row.paused;
  }

  const rows: LedgerRow[] = [];
  const trendRows = (area: AreaCells, counted: ReadonlyArray<WeekCounts | undefined>): void => {
    let previous: number | null = null;
    for (let index = 0; index < weeks.length; index++) {
      const { kept, missed, paused } = counted[index] ?? NONE;
      // Paused parents are not judged: the rate is over the parents whose prompts ran.
      const rate = percent(kept, kept + missed);
      rows.push(ledgerRow(area, { week: weeks[index], kept, missed, paused, rate, trend: rate === null || previous === null ? null : Math.round((rate - previous) * 10) / 10 }));
      previous = rate;
    }
  };
  for (const [areaId, names] of villages) trendRows(names, byVillage.get(areaId) ?? []);
  trendRows(totalCells(scope), totals);
  return rows;
}

type WeekCounts = Pick<AreaWeekCount, 'kept' | 'missed' | 'paused'>;

const NONE: WeekCounts = { kept: 0, missed: 0, paused: 0 };
