import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportLedger } from '../src/exports/ledgerExport';
import type { Db } from '../src/store/db/database';
import { casesLedger } from '../src/store/ledgers/cases';
import { childLedger } from '../src/store/ledgers/childLedger';
import { closedWeeks, contactComplianceLedger, DEFAULT_CONTACT_WEEKS, liveContactWeekCounts } from '../src/store/ledgers/contactCompliance';
import type { Ledger, LedgerOptions, LedgerScope } from '../src/store/ledgers/ledger';
import { elapsedMs, round, withPeakRss } from './measure';

export interface StatisticsFigures {
  cityComplianceMs: number;
  townshipComplianceMs: number;
  caseLedgerMs: number;
  /** The city's 8-week contact ledger (亲情联系周报 as the console's 村情 reads it), from the weekly summaries. */
  cityContact8WeeksMs: number;
  /** The same eight weeks' counts read live from the verdicts (ContactWeek), as the ledger read them before the summaries. */
  cityContact8WeeksLiveMs: number;
  /** CPU time of this process (the client's side; on PostgreSQL the server's is not in it) for each: steadier than wall time on a loaded machine. */
  cityContact8WeeksCpuMs: number;
  cityContact8WeeksLiveCpuMs: number;
  /** Rows each ledger gave (a village each and the total row): the ledgers read the seeded city, not an empty one. */
  rows: { cityCompliance: number; townshipCompliance: number; cases: number; cityContact8Weeks: number };
}

/**
 * The weekly compliance ledger (亲情联系周报) of the last closed week, the one the seed wrote
 * verdicts for, for the city and for one township, and the case ledger of the city, as the API
 * and the CLI read them, and the city's 8-week contact ledger from the weekly summaries and, as
 * before them, counted live: each once to warm up, then the median of three runs.
 */
export async function measureStatistics(db: Db, areas: { city: LedgerScope; township: LedgerScope }, at: { now: Date; timeZone: string }): Promise<StatisticsFigures> {
  const oneClosedWeek: LedgerOptions = { ...at, periods: 1 };
  const city = await medianOf(() => rowsOf(db, contactComplianceLedger, areas.city, oneClosedWeek));
  const township = await medianOf(() => rowsOf(db, contactComplianceLedger, areas.township, oneClosedWeek));
  const cases = await medianOf(() => rowsOf(db, casesLedger, areas.city, at));
  const eightWeeks = await medianOf(() => rowsOf(db, contactComplianceLedger, areas.city, { ...at, periods: DEFAULT_CONTACT_WEEKS }));
  const weekKeys = closedWeeks(at.now, at.timeZone, DEFAULT_CONTACT_WEEKS).map((week) => week.key);
  const eightWeeksLive = await medianOf(async () => (await liveContactWeekCounts(db, areas.city, weekKeys)).length);
  return {
    cityContact8WeeksMs: eightWeeks.ms,
    cityContact8WeeksLiveMs: eightWeeksLive.ms,
    cityContact8WeeksCpuMs: eightWeeks.cpuMs,
    cityContact8WeeksLiveCpuMs: eightWeeksLive.cpuMs,
    cityComplianceMs: city.ms,
    townshipComplianceMs: township.ms,
    caseLedgerMs: cases.ms,
    rows: { cityCompliance: city.rows, townshipCompliance: township.rows, cases: cases.rows, cityContact8Weeks: eightWeeks.rows },
  };
}

async function rowsOf(db: Db, ledger: Ledger, scope: LedgerScope, options: LedgerOptions): Promise<number> {
  let rows = 0;
  for await (const batch of ledger.rows(db, scope, options)) rows += batch.length;
  return rows;
}

async function medianOf(work: () => Promise<number>): Promise<{ ms: number; cpuMs: number; rows: number }> {
  const rows = await work();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const startedAt = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    await work();
    times.push(elapsedMs(startedAt));
    const cpu = process.cpuUsage(cpuBefore);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
  }
  const median = (values: number[]) => round(values.sort((a, b) => a - b)[1]!);
  return { ms: median(times), cpuMs: median(cpuTimes), rows };
}

export interface ExportFigures {
  wallMs: number;
  peakRssMb: number;
  rows: number;
  bytes: number;
}

/** The full child ledger (儿童信息台账) of the city as XLSX to a file, as `shouwang export children` writes it. */
export async function measureExport(db: Db, city: LedgerScope, at: { now: Date; timeZone: string }): Promise<ExportFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-bench-xlsx-'));
  try {
    const file = path.join(dir, 'children.xlsx');
    const startedAt = process.hrtime.bigint();
    const { result: rows, peakRssMb } = await withPeakRss(() =>
      exportLedger({ db, ledger: childLedger, scope: city, options: at, format: 'xlsx', out: createWriteStream(file) }),
    );
    return { wallMs: round(elapsedMs(startedAt)), peakRssMb, rows, bytes: statSync(file).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
