import { z } from 'zod';
import { LEDGERS } from '../../store/ledgers';
import type { Ledger, LedgerRow } from '../../store/ledgers/ledger';
import { areaFilter } from '../areaQuery';
import { requestedArea } from '../ledgerArea';
import { defineRoute, queryBoolean, type AnyRoute, type Resource } from '../route';

/** `?periods=`: how many weeks or rounds a trend ledger covers. */
export const periodsQuery = z.coerce.number().int().min(1).max(104).optional().meta({ description: 'weeks (contact), rounds (teacher-checkins, assessments) or quarters (left-behind-trend) covered' });

/** `?total=true`: only the area's total rows (the overview's numbers), not one row per village. */
const totalQuery = queryBoolean.optional().meta({ description: 'only the area’s total rows' });

const column = z.object({ key: z.string(), header: z.string() }).meta({ id: 'LedgerColumn' });

const ledgerTable = z
  .object({
    ledger: z.string(),
    title: z.string(),
    area: z.object({ code: z.string(), name: z.string() }),
    columns: z.array(column),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  })
  .meta({ id: 'LedgerTable' });

const listLedgers = defineRoute({
  method: 'get',
  path: '/ledgers',
  summary: 'The ledgers (台账): names, titles and columns',
  access: 'read',
  response: z.object({ items: z.array(z.object({ name: z.string(), title: z.string(), exportOnly: z.boolean(), columns: z.array(column) })) }),
  handler: async () => ({
    items: LEDGERS.map((ledger) => ({ name: ledger.name, title: ledger.title, exportOnly: ledger.exportOnly ?? false, columns: [...ledger.columns] })),
  }),
});

/** One route per ledger: each is its own entry, with its columns, in the OpenAPI document. */
function ledgerRoute(ledger: Ledger): AnyRoute {
  return defineRoute({
    method: 'get',
    path: `/ledgers/${ledger.name}`,
    summary: `${ledger.title}: one row per village and a total row for the area`,
    description: `Columns: ${ledger.columns.map((c) => `${c.key} (${c.header})`).join(', ')}.`,
    access: 'read',
    departments: ledger.departments,
    query: z.strictObject({ area: areaFilter, periods: periodsQuery, ...(ledger.totals ? { total: totalQuery } : {}) }),
    response: ledgerTable,
    handler: async ({ deps, auth, query, now }) => {
      const area = await requestedArea(deps.db, auth, query.area);
      const rows: LedgerRow[] = [];
      const options = { now, timeZone: deps.timeZone, periods: query.periods, totalOnly: 'total' in query && query.total === true };
      for await (const batch of ledger.rows(deps.db, area, options)) rows.push(...batch);
      return { ledger: ledger.name, title: ledger.title, area: { code: area.code, name: area.name }, columns: [...ledger.columns], rows };
    },
  });
}

export const ledgers: Resource = {
  name: 'ledgers',
  description: 'Ledgers and statistics (台账) of an area’s subtree: the token’s area, or one inside it named by `?area=`.',
  routes: [listLedgers, ...LEDGERS.filter((ledger) => !ledger.exportOnly).map(ledgerRoute)],
};
