import { contactWeekOf, previousContactWeek, type ContactWeek } from '../../domain/contactWeek';
import { Prisma, type Db } from '../database';
import { AREA_COLUMNS, areaCells, totalCells, shownVillages } from './areas';
import { percent, toNumber, type Ledger, type LedgerOptions, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

/** Weeks shown when the caller names no number. */
export const DEFAULT_CONTACT_WEEKS = 8;

/**
 * 亲情联系周报: the closed weeks' verdicts (ContactWeek, one per away parent and child) per
 * village and week, kept against missed, with the change of the rate from the week before.
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

async function contactComplianceRows(db: Db, scope: LedgerScope, options: LedgerOptions): Promise<LedgerRow[]> {
  const weeks = closedWeeks(options.now, options.timeZone, options.periods ?? DEFAULT_CONTACT_WEEKS).map((week) => week.key);
  const villages = await shownVillages(db, scope, options);
  // One grouped query; the (weekKey, status) index narrows to the weeks asked for.
  const counts = await db.$queryRaw<Array<{ areaId: number; weekKey: string; kept: unknown; missed: unknown }>>`
    SELECT c."areaId" AS "areaId", w."weekKey" AS "weekKey",
      SUM(CASE WHEN w.status = 'kept' THEN 1 ELSE 0 END) AS kept,
      SUM(CASE WHEN w.status = 'missed' THEN 1 ELSE 0 END) AS missed
    FROM "ContactWeek" w JOIN "Child" c ON c.id = w."childId"
    WHERE w."weekKey" IN (${Prisma.join(weeks)}) AND ${areaIdInScope('c."areaId"', scope)}
    GROUP BY c."areaId", w."weekKey"`;
  const byVillageWeek = new Map(counts.map((row) => [`${row.areaId} ${row.weekKey}`, { kept: toNumber(row.kept), missed: toNumber(row.missed) }]));
  const totals = new Map(weeks.map((week) => [week, { kept: 0, missed: 0 }]));
  for (const row of counts) {
    const total = totals.get(row.weekKey)!;
    total.kept += toNumber(row.kept);
    total.missed += toNumber(row.missed);
  }

  const rows: LedgerRow[] = [];
  const trendRows = (area: LedgerRow, count: (week: string) => { kept: number; missed: number }): void => {
    let previous: number | null = null;
    for (const week of weeks) {
      const { kept, missed } = count(week);
      const rate = percent(kept, kept + missed);
      rows.push({ ...area, week, kept, missed, rate, trend: rate === null || previous === null ? null : Math.round((rate - previous) * 10) / 10 });
      previous = rate;
    }
  };
  for (const [areaId, names] of villages) trendRows(areaCells(names), (week) => byVillageWeek.get(`${areaId} ${week}`) ?? { kept: 0, missed: 0 });
  trendRows(totalCells(scope), (week) => totals.get(week)!);
  return rows;
}
