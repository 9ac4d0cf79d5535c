import { contactWeekOf, previousContactWeek, type ContactWeek } from '../../domain/contactWeek';
import { Prisma, type Db } from '../db/database';
import { AREA_COLUMNS, totalCells, shownVillages, type AreaCells } from './areas';
import { percent, subtreePattern, toNumber, type Ledger, type LedgerOptions, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

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

/** An area's verdict counts by the week's place in the weeks asked for; empty where it has none that week. */
export type WeeksOfArea = Array<WeekCounts | undefined>;

/**
 * The weeks' verdicts per area of the scope: weeks contact-week-close has summarized from their
 * ContactWeekSummary rows (a thousand a week for a city), the others (not closed yet, closed before
 * the summaries existed, or being closed now) counted live, so the numbers are the same either way.
 */
export async function contactWeekCounts(db: Db, scope: LedgerScope, weeks: string[]): Promise<Map<number, WeeksOfArea>> {
  const summarized = new Set(
    (await db.contactWeekSummarized.findMany({ where: { weekKey: { in: weeks } }, select: { weekKey: true } })).map((week) => week.weekKey),
  );
  const byArea = await summarizedWeeksByArea(db, scope, weeks, summarized);
  const weekIndex = new Map(weeks.map((week, index) => [week, index]));
  for (const count of await liveContactWeekCounts(db, scope, weeks.filter((week) => !summarized.has(week)))) {
    weeksOf(byArea, count.areaId, weeks.length)[weekIndex.get(count.weekKey)!] = { kept: count.kept, missed: count.missed, paused: count.paused };
  }
  return byArea;
}

/**
 * The summarized weeks, one row per area of the scope with each week's three counts in columns, a
 * join on the summaries' primary key per week: a city of 10,000 villages gives 10,000 rows instead
 * of 80,000 for eight weeks, and reading rows was most of the trend ledger's time at 1,000,000
 * children. A GROUP BY pivot reads as few rows, but its 24 aggregates took the server twice as long
 * (BENCHMARKS.md, "The 8-week ledger one row a village").
 */
async function summarizedWeeksByArea(db: Db, scope: LedgerScope, weeks: string[], summarized: Set<string>): Promise<Map<number, WeeksOfArea>> {
  const byArea = new Map<number, WeeksOfArea>();
  const indexes = weeks.flatMap((week, index) => (summarized.has(week) ? [index] : []));
  for (let start = 0; start < indexes.length; start += WEEKS_JOINED_AT_MOST) {
    const joined = indexes.slice(start, start + WEEKS_JOINED_AT_MOST);
    const summary = (index: number) => Prisma.raw(`"w${index}"`);
    const columns = joined.flatMap((index) => COUNTS.map((count) => Prisma.sql`${summary(index)}.${Prisma.raw(`"${count}"`)} AS ${Prisma.raw(`"${count}${index}"`)}`));
    const joins = joined.map(
      (index) => Prisma.sql`LEFT JOIN "ContactWeekSummary" ${summary(index)} ON ${summary(index)}."weekKey" = ${weeks[index]} AND ${summary(index)}."areaId" = a.id`,
    );
    const rows = await db.$queryRaw<Array<Record<string, unknown>>>`
      SELECT a.id AS "areaId", ${Prisma.join(columns)}
      FROM "Area" a ${Prisma.join(joins, ' ')}
      WHERE a.path LIKE ${subtreePattern(scope)}`;
    const names = joined.map((index) => ({ index, kept: `kept${index}`, missed: `missed${index}`, paused: `paused${index}` }));
    for (const row of rows) {
      let counted: WeeksOfArea | undefined;
      for (const { index, kept, missed, paused } of names) {
        // NULL: the area has no summary row that week (no child there had a verdict).
        if (row[kept] === null) continue;
        counted ??= weeksOf(byArea, toNumber(row.areaId), weeks.length);
        counted[index] = { kept: toNumber(row[kept]), missed: toNumber(row[missed]), paused: toNumber(row[paused]) };
      }
    }
  }
  return byArea;
}

/**
 * Weeks joined in one statement: a quarter's 13 weeks or the API's 104 take several. SQLite joins at
 * most 64 tables, and PostgreSQL plans more than eight joins in the order written.
 */
const WEEKS_JOINED_AT_MOST = 8;

const COUNTS = ['kept', 'missed', 'paused'] as const;

function weeksOf(byArea: Map<number, WeeksOfArea>, areaId: number, weekCount: number): WeeksOfArea {
  let weeks = byArea.get(areaId);
  if (!weeks) byArea.set(areaId, (weeks = new Array<WeekCounts | undefined>(weekCount)));
  return weeks;
}

async function contactComplianceRows(db: Db, scope: LedgerScope, options: LedgerOptions): Promise<LedgerRow[]> {
  const weeks = closedWeeks(options.now, options.timeZone, options.periods ?? DEFAULT_CONTACT_WEEKS).map((week) => week.key);
  const villages = await shownVillages(db, scope, options);
  const byArea = await contactWeekCounts(db, scope, weeks);
  const totals: WeekCounts[] = weeks.map(() => ({ kept: 0, missed: 0, paused: 0 }));
  for (const counted of byArea.values()) {
    for (let index = 0; index < weeks.length; index++) {
      const count = counted[index];
      if (!count) continue;
      const total = totals[index]!;
      total.kept += count.kept;
      total.missed += count.missed;
      total.paused += count.paused;
    }
  }

  const rows: LedgerRow[] = [];
  const trendRows = (area: AreaCells, counted: ReadonlyArray<WeekCounts | undefined>): void => {
    let previous: number | null = null;
    for (let index = 0; index < weeks.length; index++) {
      const { kept, missed, paused } = counted[index] ?? NONE;
      // Paused parents are not judged: the rate is over the parents whose prompts ran.
      const rate = percent(kept, kept + missed);
      const trend = rate === null || previous === null ? null : Math.round((rate - previous) * 10) / 10;
      // One literal, not ledgerRow's assignments: a city's 80,000 rows, where those cost a sixth of the ledger's CPU.
      rows.push({ district: area.district, township: area.township, village: area.village, week: weeks[index]!, kept, missed, paused, rate, trend });
      previous = rate;
    }
  };
  for (const [areaId, names] of villages) trendRows(names, byArea.get(areaId) ?? []);
  trendRows(totalCells(scope), totals);
  return rows;
}

type WeekCounts = Pick<AreaWeekCount, 'kept' | 'missed' | 'paused'>;

const NONE: WeekCounts = { kept: 0, missed: 0, paused: 0 };
