import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { EXPORT_FORMATS, exportLedger, exportWatermark } from '../../exports/ledgerExport';
import { recordAudit } from '../../store/audit/auditLog';
import { areaByCode } from '../../store/ledgers/areas';
import { LEDGER_NAMES, ledgerNamed } from '../../store/ledgers';
import { parseOptions, UsageError, type CliContext } from '../context';

const exportOptions = z.object({
  area: z.string().regex(/^\d{6,12}$/, 'is an area code of 6 to 12 digits'),
  format: z.enum(EXPORT_FORMATS),
  out: z.string().min(1),
  periods: z.coerce.number().int().min(1).max(104).optional(),
});

export function registerExportCommands(program: Command, context: CliContext): void {
  program
    .command('export <ledger>')
    .description(`write a ledger (台账) of an area to a file: ${LEDGER_NAMES.join(', ')}`)
    .requiredOption('--area <code>', 'area code: the ledger covers its whole subtree')
    .requiredOption('--format <format>', EXPORT_FORMATS.join(' | '))
    .requiredOption('--out <file>', 'file to write')
    .option('--periods <n>', 'weeks (contact), rounds (teacher-checkins, assessments) to cover')
    .action(async (name: string, raw: unknown) => {
      const options = parseOptions(exportOptions, raw);
      const ledger = ledgerNamed(name);
      if (!ledger) throw new UsageError(`No ledger is called ${name}; ledgers: ${LEDGER_NAMES.join(', ')}.`);
      const rows = await context.withDatabase(async ({ db }) => {
        const scope = await areaByCode(db, options.area);
        if (!scope) throw new UsageError(`No area has code ${options.area}.`);
        const now = new Date();
        const timeZone = context.config().timeZone;
        await recordAudit(db, { at: now, actor: 'cli', action: `export.${ledger.name}`, subjectType: 'Area', subjectId: scope.code, after: { format: options.format, periods: options.periods ?? null } });
        return exportLedger({
          db,
          ledger,
          scope,
          options: { now, timeZone, periods: options.periods },
          watermark: exportWatermark({ actor: 'cli', at: now, area: scope, timeZone }),
          format: options.format,
          out: createWriteStream(options.out),
          onProgress: (written) => process.stderr.write(`\r${ledger.title}: ${written} 行`),
        });
      });
      process.stderr.write('\n');
      context.print(`Wrote ${rows} rows of ${ledger.title} (${ledger.name}) to ${options.out}.`);
    });
}
