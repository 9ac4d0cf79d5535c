import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { EXPORT_CONTENT_TYPES, exportWatermark } from '../../exports/ledgerExport';
import { QUARTER_PATTERN, quarterlyReport, quarterNamed, writeQuarterlyReport } from '../../exports/quarterlyReport';
import { recordAudit } from '../../store/audit/auditLog';
import { areaFilter } from '../areaQuery';
import { ApiError } from '../errors';
import { requestedArea } from '../ledgerArea';
import { defineRoute, type Resource } from '../route';

const quarterlyRoute = defineRoute({
  method: 'get',
  path: '/reports/quarterly',
  summary: 'The joint meeting’s quarterly report (联席会议) of an area as one Excel workbook',
  description:
    'A cover sheet, then one sheet per indicator of the plan, each the ledger that keeps it as of the quarter’s end: registry (categories), weekly contact, ' +
    'teacher coverage and check-ins, assessments, cases by stage, referral timeliness per department, dropout rates against their targets, the left-behind trend.',
  access: 'read',
  query: z.strictObject({ area: areaFilter, quarter: z.string().regex(QUARTER_PATTERN, 'a quarter like 2026Q4').meta({ example: '2026Q4' }) }),
  files: [EXPORT_CONTENT_TYPES.xlsx],
  handler: async ({ deps, auth, query, now, ctx }) => {
    const area = await requestedArea(deps.db, auth, query.area);
    const quarter = quarterNamed(query.quarter, deps.timeZone);
    if (quarter.start > now) throw new ApiError(422, 'quarter_not_begun', `${quarter.key} has not begun`);
    await recordAudit(deps.db, { at: now, actor: auth.actor, action: 'report.quarterly', subjectType: 'Area', subjectId: area.code, after: { quarter: quarter.key } });
    // Per-village ledgers of one area: small enough to build before the first byte is sent, so a failure is still an error answer.
    const report = await quarterlyReport(deps.db, area, quarter, { now, timeZone: deps.timeZone });
    const out = new PassThrough();
    const filename = `${area.name}${quarter.key}季度报告.xlsx`;
    ctx.status = 200;
    ctx.type = EXPORT_CONTENT_TYPES.xlsx;
    ctx.set('content-disposition', `attachment; filename="quarterly-${area.code}-${quarter.key}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    ctx.body = out;
    writeQuarterlyReport(report, out, { watermark: exportWatermark({ actor: auth.actor, at: now, area, timeZone: deps.timeZone }), timeZone: deps.timeZone }).catch((error: unknown) => {
      deps.logger.error({ err: error, report: 'quarterly' }, 'quarterly report failed');
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    return undefined;
  },
});

export const reports: Resource = {
  name: 'reports',
  description: 'Reports for the joint meeting (联席会议): the quarterly report of an area.',
  routes: [quarterlyRoute],
};
