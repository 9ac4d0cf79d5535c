import { createReadStream, readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { DomainError } from '../../domain/DomainError';
import { setWecomUserId } from '../../store/registry/people';
import type { Command } from 'commander';
import { z } from 'zod';
import { readRoster, rosterFormatOf } from '../../imports/rosterFile';
import { importChildren } from '../../store/registry/childImport';
import { areaByCode } from '../../store/ledgers/areas';
import { parseOptions, UsageError, type CliContext } from '../context';

/** One row of a WeCom userid list: the person (人员ID, as in the admin API) and their WeCom 账号. */
const wecomUserRow = z.object({
  人员ID: z.coerce.number().int().positive(),
  企业微信账号: z.string().trim().regex(/^[A-Za-z0-9_.@-]{1,64}$/, '企业微信账号只能包含字母、数字和 _ - . @'),
});

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

  command
    .command('wecom-userids <file>')
    .description('set staff members’ WeCom / 政务微信 userids from a CSV file with the columns 人员ID,企业微信账号')
    .action(async (file: string) => {
      if (!file.toLowerCase().endsWith('.csv')) throw new UsageError(`${file}: not a .csv file.`);
      const records = parseCsv(readFileSync(file), { columns: true, skip_empty_lines: true, bom: true, trim: true }) as unknown[];
      const outcome = await context.withDatabase(async ({ db }) => {
        let set = 0;
        const rejected: string[] = [];
        for (const [index, record] of records.entries()) {
          const row = wecomUserRow.safeParse(record);
          const line = index + 2;
          if (!row.success) {
            rejected.push(`第${line}行 未导入：${row.error.issues[0]?.message ?? '格式不对'}`);
            continue;
          }
          try {
            const person = await setWecomUserId(db, { id: row.data.人员ID, wecomUserId: row.data.企业微信账号, scope: { path: '/' }, actor: 'cli', now: new Date() });
            if (person) set += 1;
            else rejected.push(`第${line}行 未导入：没有人员ID ${row.data.人员ID}`);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            rejected.push(`第${line}行 未导入：企业微信账号 ${row.data.企业微信账号} 已属于另一个人`);
          }
        }
        return { set, rejected };
      });
      for (const line of outcome.rejected) context.print(line);
      context.print(`已设置 ${outcome.set}，未导入 ${outcome.rejected.length}。企业微信应用下次启动或对方发消息时即可联系到他们。`);
      if (outcome.rejected.length > 0) process.exitCode = 1;
    });
}
