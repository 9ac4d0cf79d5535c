import { AREA_COLUMNS, areaCells, villagesOf } from './areas';
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

/**
 * 家庭劳动力外出务工情况台账: per village, the parents working away (of a child on the register),
 * how many said where they work (务工), the destinations and the trades. No child's details.
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
  ],
  async *rows(db, scope) {
    const villages = await villagesOf(db, scope);
    const parents = await db.person.findMany({
      where: { role: 'parent', area: { path: { startsWith: scope.path } }, links: { some: { kind: 'parent', worksAway: true, endedAt: null } } },
      select: { areaId: true, work: { select: { place: true, trade: true } } },
    });
    const byVillage = new Map<number, { away: number; places: string[]; trades: string[] }>();
    for (const parent of parents) {
      const row = byVillage.get(parent.areaId) ?? { away: 0, places: [], trades: [] };
      byVillage.set(parent.areaId, row);
      row.away += 1;
      if (parent.work) row.places.push(parent.work.place);
      if (parent.work?.trade) row.trades.push(parent.work.trade);
    }
    yield [...villages].map(([id, names]) => {
      const row = byVillage.get(id) ?? { away: 0, places: [], trades: [] };
      return { ...areaCells(names), awayParents: row.away, reported: row.places.length, destinations: tally(row.places), trades: tally(row.trades) };
    });
  },
};
