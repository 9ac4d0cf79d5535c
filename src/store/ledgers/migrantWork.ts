import { returnHomePeriod } from '../../domain/returnHome';
import { AREA_COLUMNS, ledgerRow, villagesOf } from './areas';
import type { Ledger } from './ledger';

/** "深圳 3、东莞 1": the most frequent first, ties by name. */
function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b, 'zh-CN'))
    .map(([value, count]) => `${value} ${count}`)
    .join('、');
}

type VillageTally = { away: number; places: string[]; trades: string[]; answered: number; work: number; business: number; training: number; jobs: number; loans: number; consented: number };
const emptyTally = (): VillageTally => ({ away: 0, places: [], trades: [], answered: 0, work: 0, business: 0, training: 0, jobs: 0, loans: 0, consented: 0 });

/**
 * 家庭劳动力外出务工情况台账: per village, the parents working away (of a child on the register),
 * how many said where they work (务工), the destinations and the trades, and their answers to this
 * half-year's return-home question: intentions, the help wanted, and how many consented to be
 * referred to 人社 (those who did not are counted, never referred). No child's details.
 */
export const migrantWorkLedger: Ledger = {
  name: 'migrant-work',
  title: '家庭劳动力外出务工情况台账',
  departments: ['human_resources'],
  columns: [
    ...AREA_COLUMNS,
    { key: 'awayParents', header: '外出务工家长' },
    { key: 'reported', header: '已登记务工地' },
    { key: 'destinations', header: '务工地点' },
    { key: 'trades', header: '从事行业' },
    { key: 'returnAnswered', header: '本半年答复返乡意愿' },
    { key: 'returnWork', header: '愿返乡就业' },
    { key: 'returnBusiness', header: '愿返乡创业' },
    { key: 'needTraining', header: '需技能培训' },
    { key: 'needJobs', header: '需就业推荐' },
    { key: 'needLoans', header: '需创业贷款' },
    { key: 'consented', header: '同意转介人社' },
  ],
  async *rows(db, scope, options) {
    const villages = await villagesOf(db, scope);
    const period = returnHomePeriod(options.now, options.timeZone);
    const parents = await db.person.findMany({
      where: { role: 'parent', area: { path: { startsWith: scope.path } }, links: { some: { kind: 'parent', worksAway: true, endedAt: null } } },
      select: {
        areaId: true,
        work: { select: { place: true, trade: true } },
        returnHomeWishes: { where: { period, answeredAt: { not: null } }, select: { intention: true, needs: true, consent: true } },
      },
    });
    const byVillage = new Map<number, VillageTally>();
    for (const parent of parents) {
      const row = byVillage.get(parent.areaId) ?? emptyTally();
      byVillage.set(parent.areaId, row);
      row.away += 1;
      if (parent.work) row.places.push(parent.work.place);
      if (parent.work?.trade) row.trades.push(parent.work.trade);
      const wish = parent.returnHomeWishes[0];
      if (!wish) continue;
      const needs = (wish.needs ?? '').split(',').filter(Boolean);
      row.answered += 1;
      if (wish.intention === 'work') row.work += 1;
      if (wish.intention === 'business') row.business += 1;
      if (needs.includes('training')) row.training += 1;
      if (needs.includes('job_referral')) row.jobs += 1;
      if (needs.includes('startup_loan')) row.loans += 1;
      if (wish.consent === true && wish.intention !== 'no' && needs.length > 0) row.consented += 1;
    }
    yield [...villages].map(([id, names]) => {
      const row = byVillage.get(id) ?? emptyTally();
      return ledgerRow(names, {
        awayParents: row.away,
        reported: row.places.length,
        destinations: tally(row.places),
        trades: tally(row.trades),
        returnAnswered: row.answered,
        returnWork: row.work,
        returnBusiness: row.business,
        needTraining: row.training,
        needJobs: row.jobs,
        needLoans: row.loans,
        consented: row.consented,
      });
    });
  },
};
