import type { AreaWeekCount, WeeksOfArea } from '../../src/store/ledgers/contactCompliance';

/** contactWeekCounts' answer as the live count gives it: one count per area and week it has, sorted by week, then area. */
export function weekCountList(byArea: Map<number, WeeksOfArea>, weeks: string[]): AreaWeekCount[] {
  const counts: AreaWeekCount[] = [];
  for (const [areaId, counted] of byArea) {
    expect(counted).toHaveLength(weeks.length);
    counted.forEach((count, index) => {
      if (count) counts.push({ areaId, weekKey: weeks[index]!, ...count });
    });
  }
  return sortedWeekCounts(counts);
}

export const sortedWeekCounts = (counts: AreaWeekCount[]): AreaWeekCount[] => [...counts].sort((a, b) => a.weekKey.localeCompare(b.weekKey) || a.areaId - b.areaId);
