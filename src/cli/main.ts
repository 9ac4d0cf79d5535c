import { Command, CommanderError } from 'commander';
import { DomainError } from '../domain/DomainError';
import { UnknownAreaError } from '../store/access/apiTokens';
import { BackupError } from '../store/db/backup';
import { exitWith } from '../fatal';
import { registerAuditCommands } from './commands/audit';
import { registerCalendarCommands } from './commands/calendar';
import { registerDbCommands } from './commands/db';
import { registerExportCommands } from './commands/export';
import { registerImportCommands } from './commands/import';
import { registerInviteCommands } from './commands/invite';
import { registerJobsCommands } from './commands/jobs';
import { registerNluCommands } from './commands/nlu';
import { registerKeysCommands } from './commands/keys';
import { registerOutboxCommands } from './commands/outbox';
import { registerReportCommands } from './commands/report';
import { registerRetentionCommands } from './commands/retention';
import { registerSeedCommands } from './commands/seed';
import { registerTokenCommands } from './commands/token';
import { registerUserCommands } from './commands/user';
import { registerWechatCommands } from './commands/wechat';
import { createCliContext, UsageError } from './context';

/**
 * A reader that stops early (`seed demo | head -1`) closes the pipe: what is left to print is
 * dropped and the command finishes its work, as Unix tools do, instead of failing on EPIPE.
 */
function droppingUnreadOutput(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') exitWith(error);
  });
}

/** `npm run cli -- <command>`: operations on the service's database. */
async function main(argv: string[]): Promise<void> {
  droppingUnreadOutput();
  const context = createCliContext();
  const program = new Command('shouwang').description('守望 Shouwang operations').exitOverride();
  registerDbCommands(program, context);
  registerTokenCommands(program, context);
  registerUserCommands(program, context);
  registerInviteCommands(program, context);
  registerSeedCommands(program, context);
  registerOutboxCommands(program, context);
  registerJobsCommands(program, context);
  registerCalendarCommands(program, context);
  registerImportCommands(program, context);
  registerExportCommands(program, context);
  registerReportCommands(program, context);
  registerWechatCommands(program, context);
  registerAuditCommands(program, context);
  registerNluCommands(program, context);
  registerKeysCommands(program, context);
  registerRetentionCommands(program, context);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    if (error instanceof UsageError || error instanceof DomainError || error instanceof UnknownAreaError || error instanceof BackupError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    exitWith(error);
  }
}

void main(process.argv);
