import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { exportWatermark } from '../../exports/ledgerExport';
import { QUARTER_PATTERN, quarterlyReport, quarterNamed, writeQuarterlyReport } from '../../exports/quarterlyReport';
import { recordAudit } from '../../store/audit/auditLog';
import { areaByCode } from '../../store/ledgers/areas';
import { parseOptions, UsageError, type CliContext } from '../context';

const reportOptions = z.object({
  area: z.string().regex(/^\d{6,12}$/, 'is an area code of 6 to 12 digits'),
  quarter: z.string().regex(QUARTER_PATTERN, 'is a quarter like 2026Q4'),
  out: z.string().min(1).optional(),
});

export function registerReportCommands(program: Command, context: CliContext): void {
  const report = program.command('report').description('reports for the joint meeting (联席会议)');
  report
    .command('quarterly')
    .description('write the quarterly report of an area (one XLSX: the plan’s indicators, each from its ledger)')
    .requiredOption('--area <code>', 'area code: the report covers its whole subtree')
    .requiredOption('--quarter <quarter>', 'e.g. 2026Q4')
    .option('--out <file>', 'file to write (default quarterly-<area>-<quarter>.xlsx)')
    .action(async (raw: unknown) => {
      const options = parseOptions(reportOptions, raw);
      const timeZone = context.config().timeZone;
      const quarter = quarterNamed(options.quarter, timeZone);
      const file = options.out ?? `quarterly-${options.area}-${quarter.key}.xlsx`;
      const sheets = await context.withDatabase(async ({ db }) => {
        const scope = await areaByCode(db, options.area);
        if (!scope) throw new UsageError(`No area has code ${options.area}.`);
        const now = new Date();
        if (quarter.start > now) throw new UsageError(`${quarter.key} has not begun.`);
        await recordAudit(db, { at: now, actor: 'cli', action: 'report.quarterly', subjectType: 'Area', subjectId: scope.code, after: { quarter: quarter.key } });
        const built = await quarterlyReport(db, scope, quarter, { now, timeZone });
        const out = createWriteStream(file);
        await writeQuarterlyReport(built, out, { watermark: exportWatermark({ actor: 'cli', at: now, area: scope, timeZone }), timeZone });
        await finished(out);
        return built.sheets.length;
      });
      context.print(`Wrote the ${quarter.key} report of ${options.area} (${sheets} indicators) to ${file}.`);
    });
}
