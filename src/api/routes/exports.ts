import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, ExportAbandoned, exportLedger, exportWatermark } from '../../exports/ledgerExport';
import { recordAudit } from '../../store/audit/auditLog';
import { LEDGERS } from '../../store/ledgers';
import type { Ledger } from '../../store/ledgers/ledger';
import { areaFilter } from '../areaQuery';
import { requestedArea } from '../ledgerArea';
import { defineRoute, type AnyRoute, type Resource } from '../route';
import { periodsQuery } from './ledgers';

function exportRoute(ledger: Ledger): AnyRoute {
  return defineRoute({
    method: 'get',
    path: `/exports/${ledger.name}`,
    summary: `${ledger.title} as an Excel workbook or a CSV file`,
    description:
      'Streamed while the database is read in batches. XLSX: Chinese headers' +
      (ledger.sheetBy ? ', one sheet per village (one sheet for areas of more than 200 villages)' : '') +
      '. CSV: UTF-8 with a byte-order mark, so Excel opens it.',
    access: 'read',
    departments: ledger.departments,
    query: z.strictObject({ format: z.enum(EXPORT_FORMATS).default('xlsx'), area: areaFilter, periods: periodsQuery }),
    files: Object.values(EXPORT_CONTENT_TYPES),
    handler: async ({ deps, auth, query, now, ctx }) => {
      const area = await requestedArea(deps.db, auth, query.area);
      await recordAudit(deps.db, { at: now, actor: auth.actor, action: `export.${ledger.name}`, subjectType: 'Area', subjectId: area.code, after: { format: query.format, periods: query.periods ?? null } });
      const watermark = exportWatermark({ actor: auth.actor, at: now, area, timeZone: deps.timeZone });
      const out = new PassThrough();
      const filename = `${area.name}${ledger.title}.${query.format}`;
      ctx.status = 200;
      ctx.type = EXPORT_CONTENT_TYPES[query.format];
      ctx.set('content-disposition', `attachment; filename="${ledger.name}.${query.format}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
      ctx.body = out;
      // The response is already under way: a failure can only cut it short.
      exportLedger({ db: deps.db, ledger, scope: area, options: { now, timeZone: deps.timeZone, periods: query.periods }, format: query.format, out, watermark }).catch(
        (error: unknown) => {
          if (error instanceof ExportAbandoned) {
            deps.logger.info({ ledger: ledger.name, format: query.format }, 'export stopped: the client went away');
            return;
          }
          deps.logger.error({ err: error, ledger: ledger.name }, 'export failed');
          out.destroy(error instanceof Error ? error : new Error(String(error)));
        },
      );
      return undefined;
    },
  });
}

export const ledgerExports: Resource = {
  name: 'exports',
  description: 'Every ledger as XLSX or CSV, the per-child ledger (儿童信息台账, `children`) included.',
  routes: LEDGERS.map(exportRoute),
};
