// `npm run bench -- [--children N] [--db sqlite|postgres] [--json FILE]`: see BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../src/domain/contactWeek';
import { DEFAULT_POSTGRES_URL } from './benchDatabase';
import { formatTable } from './output';
import { ONE_PHASES, runBenchmark, runOnePhase } from './run';
import { serviceV8Flags } from './serviceFlags';
import { formatSoak, parseDuration, runSoak } from './soak';

const count = (name: string, max: number) => (raw: string) => {
  const parsed = z.coerce.number().int().min(1).max(max).safeParse(raw);
  if (!parsed.success) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
  return parsed.data;
};

const program = new Command('bench')
  .description('Seeds a synthetic city in a fresh database and measures chat, jobs, filing and ledgers against the issue 7 targets')
  .option('--children <n>', 'children in the synthetic city', count('--children', 5_000_000), 100_000)
  .option('--db <engine>', 'sqlite or postgres', 'sqlite')
  .option('--json <file>', 'also write the figures and machine info as JSON here')
  .option('--messages <n>', '已联系 messages through the inbound path (at most one per child)', count('--messages', 1_000_000), 20_000)
  .option('--reports <n>', 'reports filed', count('--reports', 1_000_000), 2_000)
  .option('--concurrency <n>', 'inbound messages in flight at once', count('--concurrency', 1024), 32)
  .option('--clear-texts', 'store texts clear instead of sealed (the service always seals): the difference is what sealing costs')
  .option('--only <phase>', 'only this phase after the seed, printed as JSON: ledgers (the statistics), holiday (the holiday question for the city and its raw-driver floor), filing (--reports reports, after the weekly fan-out) or export (the XLSX child ledger)')
  .option('--soak <duration>', 'instead: the service under a steady mix of chat, exports and jobs for this long (30m, 90s, 2h), RSS and event-loop delay sampled')
  .option('--rate <n>', 'with --soak: chat messages a second', count('--rate', 1000), 10)
  .option('--soak-children <n>', 'with --soak: children in the city', count('--soak-children', 1_000_000), 2000)
  .option('--without-service-flags', "measure without npm start's V8 flags, as runs before 2026-11-30 05:00 UTC did")
  .action(async (options: { children: number; db: string; json?: string; messages: number; reports: number; concurrency: number; soak?: string; rate: number; soakChildren: number; clearTexts?: boolean; withoutServiceFlags?: boolean; only?: string }) => {
    // The memory targets are the service's: the bench runs with the V8 flags `npm start` gives it
    // (package.json stays their one source). The TypeScript loader still adds its own memory.
    const missing = serviceV8Flags().filter((flag) => !process.execArgv.includes(flag));
    if (!options.withoutServiceFlags && missing.length > 0) {
      const rerun = spawnSync(process.execPath, [...missing, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
      process.exit(rerun.status ?? 1);
    }
    const engine = z.enum(['sqlite', 'postgres', 'postgresql']).safeParse(options.db);
    if (!engine.success) program.error('--db must be sqlite or postgres');
    if (options.soak !== undefined) {
      const durationMs = parseDuration(options.soak);
      if (durationMs === null) return program.error('--soak must be a duration such as 30m, 90s or 2h');
      const result = await runSoak({
        engine: engine.data === 'sqlite' ? 'sqlite' : 'postgresql',
        durationMs,
        messagesPerSecond: options.rate,
        children: options.soakChildren,
        postgresUrl: process.env.SHOUWANG_BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL,
        timeZone: DEFAULT_TIME_ZONE,
        progress: (line) => process.stderr.write(`… ${line}\n`),
      });
      process.stdout.write(`${formatSoak(result)}\n`);
      if (options.json) {
        mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
        writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
      }
      if (result.failures.length > 0) process.exitCode = 1;
      return;
    }
    if (options.only !== undefined) {
      const only = z.enum(ONE_PHASES).safeParse(options.only);
      if (!only.success) return program.error(`--only takes ${ONE_PHASES.join(', ')}`);
      const phase = await runOnePhase(only.data, {
        children: options.children,
        engine: engine.data === 'sqlite' ? 'sqlite' : 'postgresql',
        messages: 0,
        reports: options.reports,
        concurrency: options.concurrency,
        postgresUrl: process.env.SHOUWANG_BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL,
        timeZone: DEFAULT_TIME_ZONE,
        progress: (line) => process.stderr.write(`… ${line}\n`),
      });
      process.stdout.write(`${JSON.stringify(phase, null, 2)}\n`);
      if (options.json) {
        mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
        writeFileSync(options.json, `${JSON.stringify(phase, null, 2)}\n`);
      }
      if (phase.failures.length > 0) {
        process.stderr.write(`FAILED:\n${phase.failures.join('\n')}\n`);
        process.exitCode = 1;
      }
      return;
    }
    const result = await runBenchmark({
      children: options.children,
      clearTexts: options.clearTexts ?? false,
      engine: engine.data === 'sqlite' ? 'sqlite' : 'postgresql',
      messages: Math.min(options.messages, options.children),
      reports: options.reports,
      concurrency: options.concurrency,
      postgresUrl: process.env.SHOUWANG_BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL,
      timeZone: DEFAULT_TIME_ZONE,
      progress: (line) => process.stderr.write(`… ${line}\n`),
    });
    process.stdout.write(`${formatTable(result)}\n`);
    if (options.json) {
      mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
      writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
    }
    if (result.failures.length > 0) process.exitCode = 1;
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
