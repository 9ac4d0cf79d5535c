// `npm run bench:chat -- [--children N] [--db sqlite|postgres] [--messages N] [--free-text N] [--reports N]`:
// the chat path alone (issue 17): keyword and free-text messages, then report filing, on a seeded city.
// The other measures of `npm run bench` are not run, so a change to the path is measured in minutes.
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../src/domain/contactWeek';
import { createLogger } from '../src/log';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from './benchDatabase';
import { measureFiling } from './filing';
import { freeTextOf, measureInbound } from './inbound';
import { round } from './measure';
import { seedInChildProcess } from './seed';

const count = (name: string) => (raw: string) => {
  const parsed = z.coerce.number().int().min(0).max(5_000_000).safeParse(raw);
  if (!parsed.success) throw new InvalidArgumentError(`${name} must be a whole number`);
  return parsed.data;
};

const program = new Command('bench:chat')
  .option('--children <n>', 'children in the synthetic city', count('--children'), 20_000)
  .option('--db <engine>', 'sqlite or postgres', 'sqlite')
  .option('--messages <n>', '已联系 keyword messages (one per sender)', count('--messages'), 16_000)
  .option('--free-text <n>', 'free-text messages after them, from other senders', count('--free-text'), 4_000)
  .option('--reports <n>', 'reports filed after the messages', count('--reports'), 2_000)
  .option('--concurrency <n>', 'messages in flight', count('--concurrency'), 32)
  .action(async (options: { children: number; db: string; messages: number; freeText: number; reports: number; concurrency: number }) => {
    const engine = options.db === 'sqlite' ? 'sqlite' : 'postgresql';
    const now = new Date();
    const at = { now, timeZone: DEFAULT_TIME_ZONE };
    const logger = createLogger('error');
    const bench = await createBenchDatabase(engine, process.env.SHOUWANG_BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL);
    const database = await bench.open();
    try {
      const senders = options.messages + options.freeText;
      process.stderr.write(`… seeding ${options.children} children on ${engine}\n`);
      const area = await seedInChildProcess(bench.target, { children: options.children, senders, filers: options.reports, ...at });
      const rssBefore = process.memoryUsage.rss();
      const keyword = await measureInbound(database, area.senders.slice(0, options.messages), { concurrency: options.concurrency, ...at, logger });
      const freeText = await measureInbound(database, area.senders.slice(options.messages), { concurrency: options.concurrency, ...at, logger, textOf: freeTextOf });
      const rssAfter = process.memoryUsage.rss();
      const filing = await measureFiling(database, area.filers, { ...at, logger });
      const contactLogs = await database.db.contactLog.count();
      const result = {
        engine,
        children: options.children,
        loadAverage: (await import('node:os')).loadavg().map((load) => round(load)),
        keyword,
        freeText,
        contactLogs,
        rssMb: { beforeMessages: round(rssBefore / 2 ** 20, 1), afterMessages: round(rssAfter / 2 ** 20, 1) },
        filing,
      };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (keyword.replies !== keyword.messages || freeText.replies < freeText.messages || filing.confirmed !== filing.reports) process.exitCode = 1;
    } finally {
      await database.close();
      await bench.drop();
    }
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
