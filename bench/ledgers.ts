import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../src/store/database';
import { elapsedMs, round, withPeakRss } from './measure';

export interface AreaRef {
  id: number;
  path: string;
}

/**
 * What the statistics and export measures call. Until the ledger modules of issue 6 land, the
 * interim ledgers below stand in (plain groupBy queries) so the run has a number; at merge, point
 * these at the real compliance ledger, case ledger and XLSX child-ledger export.
 */
export interface LedgerSeams {
  /** The weekly contact-compliance ledger of an area's subtree for a closed week. */
  compliance(db: Db, area: AreaRef, weekKey: string): Promise<unknown>;
  /** The case ledger of an area's subtree. */
  cases(db: Db, area: AreaRef): Promise<unknown>;
  /** Writes the full child ledger of an area as XLSX to `file`; absent until the export exists. */
  exportChildLedger?: (db: Db, area: AreaRef, file: string) => Promise<void>;
  /** Said in the output when a stand-in or a skip was measured. */
  note: string;
}

export const interimLedgers: LedgerSeams = {
  compliance: (db, area, weekKey) =>
    db.contactWeek.groupBy({ by: ['status'], where: { weekKey, child: { area: { path: { startsWith: area.path } } } }, _count: { _all: true } }),
  cases: (db, area) => db.report.groupBy({ by: ['state', 'severity'], where: { area: { path: { startsWith: area.path } } }, _count: { _all: true } }),
  note: 'interim: ledgers are groupBy counts over ContactWeek and Report, the XLSX export is skipped (issue 6 not merged)',
};

export interface StatisticsFigures {
  cityComplianceMs: number;
  townshipComplianceMs: number;
  caseLedgerMs: number;
  note: string;
}

/** Each ledger once to warm up, then the median of three runs. */
export async function measureStatistics(db: Db, seams: LedgerSeams, areas: { city: AreaRef; township: AreaRef }, weekKey: string): Promise<StatisticsFigures> {
  return {
    cityComplianceMs: await medianOf(() => seams.compliance(db, areas.city, weekKey)),
    townshipComplianceMs: await medianOf(() => seams.compliance(db, areas.township, weekKey)),
    caseLedgerMs: await medianOf(() => seams.cases(db, areas.city)),
    note: seams.note,
  };
}

async function medianOf(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const startedAt = process.hrtime.bigint();
    await work();
    times.push(elapsedMs(startedAt));
  }
  return round(times.sort((a, b) => a - b)[1]!);
}

export type ExportFigures = { skipped: true; note: string } | { skipped: false; wallMs: number; peakRssMb: number; bytes: number };

export async function measureExport(db: Db, seams: LedgerSeams, city: AreaRef): Promise<ExportFigures> {
  const exportChildLedger = seams.exportChildLedger;
  if (!exportChildLedger) return { skipped: true, note: 'no XLSX child-ledger export yet (issue 6)' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-bench-xlsx-'));
  try {
    const file = path.join(dir, 'children.xlsx');
    const startedAt = process.hrtime.bigint();
    const { peakRssMb } = await withPeakRss(() => exportChildLedger(db, city, file));
    return { skipped: false, wallMs: round(elapsedMs(startedAt)), peakRssMb, bytes: statSync(file).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
