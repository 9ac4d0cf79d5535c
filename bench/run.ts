import os from 'node:os';
import { contactReminderJob } from '../src/jobs/contactReminder';
import { createLogger } from '../src/log';
import type { Database } from '../src/store/db/database';
import type { Engine } from '../src/store/db/providers';
import { createBenchDatabase } from './benchDatabase';
import { measureFanOut, type FanOutFigures } from './fanOut';
import { measureFiling, type FilingFigures } from './filing';
import { measureHoliday, type HolidayFigures } from './holiday';
import { measureInbound, type InboundFigures } from './inbound';
import { measureExport, measureStatistics, type ExportFigures, type StatisticsFigures } from './ledgers';
import { elapsedMs, round } from './measure';
import { seedInChildProcess, type SyntheticArea } from './seed';
import { measureTwoInstances, type TwoInstancesFigures } from './twoInstances';

export interface BenchOptions {
  children: number;
  /** Texts stored clear, as before they were sealed: what sealing costs is the difference. */
  clearTexts?: boolean;
  engine: Engine;
  /** 已联系 messages sent (at most one per child: each comes from a different away father). */
  messages: number;
  reports: number;
  /** Inbound messages in flight at once. */
  concurrency: number;
  /** The PostgreSQL server the run's database is created on. */
  postgresUrl: string;
  timeZone: string;
  /** Progress lines (to stderr), so a long run shows where it is. */
  progress?: (line: string) => void;
}

export interface BenchResult {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string; loadAverage: number[]; database: string };
  options: { children: number; engine: Engine; messages: number; reports: number; concurrency: number };
  startedAt: string;
  seed: { wallMs: number; counts: SyntheticArea['counts'] };
  inbound: InboundFigures & { contactLogs: number };
  fanOut: FanOutFigures;
  filing: FilingFigures;
  statistics: StatisticsFigures;
  export: ExportFigures;
  twoInstances: TwoInstancesFigures | { skipped: true; note: string };
  /** What makes the run fail: lost messages or reports, prompts written twice, children missing from the export. Missed targets are reported, not failures. */
  failures: string[];
}

/** Seeds a fresh database and runs every measure on it, in this process, in this order. */
export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const progress = options.progress ?? (() => undefined);
  const logger = createLogger('error');
  const now = new Date();
  const at = { now, timeZone: options.timeZone };
  const bench = await createBenchDatabase(options.engine, options.postgresUrl, { clearTexts: options.clearTexts });
  const database = await bench.open();
  const second = options.engine === 'postgresql' ? await bench.open() : undefined;
  try {
    const db = database.db;
    progress(`seeding ${options.children} children on ${options.engine}`);
    let startedAt = process.hrtime.bigint();
    const area = await seedInChildProcess(bench.target, { children: options.children, senders: options.messages, filers: options.reports, ...at });
    const seed = { wallMs: round(elapsedMs(startedAt)), counts: area.counts };

    progress(`inbound: ${area.senders.length} messages, ${options.concurrency} in flight`);
    const inbound = { ...(await measureInbound(database, area.senders, { concurrency: options.concurrency, ...at, logger })), contactLogs: await db.contactLog.count() };
    progress('weekly fan-out and its raw-driver floor');
    const fanOut = await measureFanOut(db, bench.target, { ...at, logger });
    progress(`filing ${area.filers.length} reports`);
    const filing = await measureFiling(database, area.filers, { ...at, logger });
    progress('statistics');
    const statistics = await measureStatistics(db, area, at);
    progress('XLSX export of the child ledger');
    const exported = await measureExport(db, area.city, at);
    progress('two instances at once');
    const twoInstances = second
      ? await measureTwoInstances([database, second], { ...at, logger, expectedRows: fanOut.rowsWritten })
      : { skipped: true as const, note: 'PostgreSQL only: several instances share a PostgreSQL database, never a SQLite file' };

    const failures: string[] = [];
    if (inbound.replies !== inbound.messages || inbound.contactLogs !== inbound.messages) {
      failures.push(`inbound: ${inbound.messages} messages gave ${inbound.replies} replies and ${inbound.contactLogs} contact logs`);
    }
    if (fanOut.rowsWritten !== area.counts.awayParents - inbound.contactLogs) {
      failures.push(`fan-out: ${fanOut.rowsWritten} prompts for ${area.counts.awayParents - inbound.contactLogs} parents without contact`);
    }
    failures.push(...filingFailures(filing), ...exportFailures(exported, area.counts.children));
    if ('ok' in twoInstances && !twoInstances.ok) failures.push(`two instances: ${JSON.stringify(twoInstances)}`);

    return {
      machine: await machineInfo(database),
      options: { children: options.children, engine: options.engine, messages: area.senders.length, reports: area.filers.length, concurrency: options.concurrency },
      startedAt: now.toISOString(),
      seed,
      inbound,
      fanOut,
      filing,
      statistics,
      export: exported,
      twoInstances,
      failures,
    };
  } finally {
    await second?.close();
    await database.close();
    await bench.drop();
  }
}

/** A report whose director was not told the case number was lost, or its answer was. */
function filingFailures(filing: FilingFigures): string[] {
  return filing.confirmed === filing.reports ? [] : [`filing: ${filing.reports} reports, ${filing.confirmed} answers naming the case filed`];
}

/** The child ledger holds every child of the city, once. */
function exportFailures(exported: ExportFigures, children: number): string[] {
  return exported.rows === children ? [] : [`export: ${exported.rows} rows in the child ledger of ${children} children`];
}

/** The phases `--only` runs alone after the seed. */
export const ONE_PHASES = ['ledgers', 'holiday', 'filing', 'export'] as const;

/**
 * `--only <phase>`: the seed and that phase alone (the statistics, the holiday question for the
 * whole city and its floor, the filing of `reports` reports, or the XLSX child ledger), without the
 * other phases. Filing runs after the weekly fan-out, as in the whole run: a director files while the
 * week's prompts wait in the outbox.
 */
export async function runOnePhase(
  phase: (typeof ONE_PHASES)[number],
  options: BenchOptions,
): Promise<Pick<BenchResult, 'machine' | 'seed' | 'failures'> & { statistics?: StatisticsFigures; holiday?: HolidayFigures; filing?: FilingFigures; export?: ExportFigures }> {
  const now = new Date();
  const at = { now, timeZone: options.timeZone };
  const logger = createLogger('error');
  const bench = await createBenchDatabase(options.engine, options.postgresUrl, { clearTexts: options.clearTexts });
  const database = await bench.open();
  try {
    options.progress?.(`seeding ${options.children} children on ${options.engine}`);
    const startedAt = process.hrtime.bigint();
    const filers = phase === 'filing' ? options.reports : 0;
    const area = await seedInChildProcess(bench.target, { children: options.children, senders: 0, filers, ...at });
    const seed = { wallMs: round(elapsedMs(startedAt)), counts: area.counts };
    options.progress?.(phase);
    const measure = {
      ledgers: async () => ({ statistics: await measureStatistics(database.db, area, at) }),
      holiday: async () => ({ holiday: await measureHoliday(database.db, bench.target, { engine: options.engine, timeZone: options.timeZone, logger }) }),
      filing: async () => {
        await contactReminderJob.run({ db: database.db, engine: options.engine, ...at, logger });
        const filing = await measureFiling(database, area.filers, { ...at, logger });
        return { filing, failures: filingFailures(filing) };
      },
      export: async () => {
        const exported = await measureExport(database.db, area.city, at);
        return { export: exported, failures: exportFailures(exported, area.counts.children) };
      },
    };
    return { machine: await machineInfo(database), seed, failures: [], ...(await measure[phase]()) };
  } finally {
    await database.close();
    await bench.drop();
  }
}

async function machineInfo(database: Database): Promise<BenchResult['machine']> {
  const cpus = os.cpus();
  const [name, query] = database.engine === 'sqlite' ? ['SQLite', 'SELECT sqlite_version() AS v'] : ['PostgreSQL', "SELECT current_setting('server_version') AS v"];
  const version = `${name} ${(await database.db.$queryRawUnsafe<Array<{ v: string }>>(query))[0]?.v ?? '?'}`;
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg().map((load) => round(load)),
    database: version,
  };
}
