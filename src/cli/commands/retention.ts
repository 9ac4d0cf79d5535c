import type { Command } from 'commander';
import { z } from 'zod';
import { applyRetention } from '../../store/privacy/retention';
import { parseOptions, type CliContext } from '../context';

const runOptions = z.object({ dryRun: z.boolean().default(false) });

export function registerRetentionCommands(program: Command, context: CliContext): void {
  const retention = program.command('retention').description('anonymise and purge what the retention periods no longer allow keeping');
  retention
    .command('run')
    .description('apply the retention periods now and say what was done (--dry-run: only say what would be)')
    .option('--dry-run', 'count what would change, change nothing')
    .action(async (raw: unknown) => {
      const { dryRun } = parseOptions(runOptions, raw);
      const config = context.config();
      const report = await context.withDatabase(({ db }) => applyRetention(db, { ...config.retention, attachmentDir: config.attachments.dir }, new Date(), { dryRun }));
      const verb = dryRun ? 'Would' : 'Did';
      context.print(
        `${verb} anonymise ${report.childrenAnonymised} children (18 or left the area ${config.retention.childYears}+ years ago); ` +
          `${verb.toLowerCase()} archive ${report.casesArchived} cases closed or dismissed ${config.retention.caseDays}+ days ago; ` +
          `${verb.toLowerCase()} purge the texts of ${report.inboxTextsPurged} inbound and ${report.outboxTextsPurged} outbound messages older than ${config.retention.messageDays} days; ` +
          `${verb.toLowerCase()} delete ${report.attachmentsDeleted} attachment file(s) of anonymised children's cases and purged messages.`,
      );
    });
}
