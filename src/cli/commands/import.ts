import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { readRoster, rosterFormatOf } from '../../imports/rosterFile';
import { importChildren } from '../../store/childImport';
import { areaByCode } from '../../store/ledgers/areas';
import { parseOptions, UsageError, type CliContext } from '../context';

const importOptions = z.object({
  area: z.string().regex(/^\d{6,12}$/, 'is an area code of 6 to 12 digits'),
  partial: z.boolean().default(false),
});

export function registerImportCommands(program: Command, context: CliContext): void {
  const command = program.command('import').description('import registers from files');

  command
    .command('children <file>')
    .description('import a roster of children (CSV or XLSX, Chinese headers, see README); a bad row stops the whole file unless --partial')
    .requiredOption('--area <code>', 'the area the roster belongs to: every row must be a village inside it')
    .option('--partial', 'import the good rows even when some are rejected')
    .action(async (file: string, raw: unknown) => {
      const options = parseOptions(importOptions, raw);
      const format = rosterFormatOf(file);
      if (!format) throw new UsageError(`${file}: not a .csv or .xlsx file.`);
      const report = await context.withDatabase(async ({ db }, cipher) => {
        const area = await areaByCode(db, options.area);
        if (!area) throw new UsageError(`No area has code ${options.area}.`);
        return importChildren(db, cipher, {
          lines: () => readRoster(() => createReadStream(file), format),
          area,
          actor: 'cli',
          partial: options.partial,
          now: new Date(),
          timeZone: context.config().timeZone,
        });
      });
      for (const row of report.rows) if (row.status === 'rejected') context.print(`第${row.row}行 未导入：${row.reason}`);
      const { created, updated, unchanged, rejected } = report.counts;
      if (!report.applied && rejected > 0) {
        context.print(`${rejected} 行有误，未导入任何数据（改正后重新导入，或加 --partial 只导入无误的行）。`);
        process.exitCode = 1;
        return;
      }
      context.print(`新增 ${created}，更新 ${updated}，无变化 ${unchanged}，未导入 ${rejected}。`);
    });
}
