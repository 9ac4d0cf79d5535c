import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { deadLetters, retryDeadLetters, type DeadLetter } from '../../store/messaging/outboxLeases';
import { parseOptions, UsageError, type CliContext } from '../context';

const failedOptions = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
});

const retryOptions = z.object({
  all: z.boolean().default(false),
});

export function registerOutboxCommands(program: Command, context: CliContext): void {
  const outbox = program.command('outbox').description('outbound messages that could not be sent');

  outbox
    .command('failed')
    .description('list messages that gave up after their last attempt (dead letters), oldest first')
    .option('--limit <n>', 'most messages to list', '100')
    .action(async (raw: unknown) => {
      const options = parseOptions(failedOptions, raw);
      const rows = await context.withDatabase(({ db }) => deadLetters(db, { limit: options.limit }));
      if (rows.length === 0) {
        context.print('No failed messages.');
        return;
      }
      const timeZone = context.config().timeZone;
      for (const row of rows) context.print(describeDeadLetter(row, timeZone));
    });

  outbox
    .command('retry')
    .description('put failed messages back in the queue with a fresh set of attempts')
    .argument('[ids...]', 'message ids from `outbox failed`')
    .option('--all', 'every failed message')
    .action(async (rawIds: string[], raw: unknown) => {
      const options = parseOptions(retryOptions, raw);
      const ids = parseIds(rawIds, options.all);
      const requeued = await context.withDatabase(({ db }) => retryDeadLetters(db, ids, new Date()));
      context.print(requeued.length === 0 ? 'No failed messages to retry.' : `Requeued ${requeued.length} message(s): ${requeued.map((id) => `#${id}`).join(', ')}.`);
      const missing = ids === 'all' ? [] : ids.filter((id) => !requeued.includes(id));
      if (missing.length > 0) throw new UsageError(`Not a failed message: ${missing.map((id) => `#${id}`).join(', ')}.`);
    });
}

function parseIds(rawIds: string[], all: boolean): number[] | 'all' {
  if (all && rawIds.length > 0) throw new UsageError('Give message ids or --all, not both.');
  if (all) return 'all';
  if (rawIds.length === 0) throw new UsageError('Give the ids of the messages to retry, or --all.');
  const bad = rawIds.find((id) => !/^#?[1-9]\d{0,9}$/.test(id));
  if (bad !== undefined) throw new UsageError(`Not a message id: ${bad}.`);
  return rawIds.map((id) => Number(id.replace('#', '')));
}

/** One readable line: #12  wechaty/village-a  6 attempts  created 2026-11-28 14:03  last error: … */
function describeDeadLetter(row: DeadLetter, timeZone: string): string {
  const created = DateTime.fromJSDate(row.createdAt, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
  const attempts = `${row.attempts} attempt${row.attempts === 1 ? '' : 's'}`;
  return `#${row.id}  ${row.channel}/${row.botAccount}  ${attempts}  created ${created}  last error: ${row.lastError ?? '(none)'}`;
}
