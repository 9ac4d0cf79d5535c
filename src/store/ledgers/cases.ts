import type { CaseState, Db, ReportType, Severity } from '../db/database';
import { AREA_COLUMNS, ledgerRow, totalCells, villagesOf } from './areas';
import { SEVERITIES } from '../../domain/caseDeadlines';
import { CASE_STATES } from '../../domain/caseWorkflow';
import { CASE_STATE_LABELS, REPORT_TYPE_LABELS, SEVERITY_LABELS } from '../../domain/labels';
import { REPORT_TYPES } from '../../domain/reportType';
import { toNumber, type Ledger, type LedgerRow, type LedgerScope, areaIdInScope } from './ledger';

/**
 * 个案统计: cases per village by state, severity and type, and the median hours from the
 * report to its verification and to its close (from the case steps).
 */
export const casesLedger: Ledger = {
  name: 'cases',
  title: '个案办理统计',
  columns: [
    ...AREA_COLUMNS,
    { key: 'total', header: '个案总数' },
    ...CASE_STATES.map((state) => ({ key: `state_${state}`, header: CASE_STATE_LABELS[state] })),
    ...SEVERITIES.map((severity) => ({ key: `severity_${severity}`, header: SEVERITY_LABELS[severity] })),
    ...REPORT_TYPES.map((type) => ({ key: `type_${type}`, header: REPORT_TYPE_LABELS[type] })),
    { key: 'medianHoursToVerify', header: '核实用时中位数(小时)' },
    { key: 'medianHoursToClose', header: '结案用时中位数(小时)' },
  ],
  async *rows(db, scope) {
    yield await caseRows(db, scope);
  },
};

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

async function caseRows(db: Db, scope: LedgerScope): Promise<LedgerRow[]> {
  const villages = await villagesOf(db, scope);
  const grouped = await casesPerVillage(db, scope);
  // The first verification and close of each case; cases are far fewer than children.
  const firstSteps = await db.caseStep.groupBy({
    by: ['reportId', 'toState'],
    where: { toState: { in: ['verified', 'closed'] }, report: { area: { path: { startsWith: scope.path } } } },
    _min: { at: true },
  });
  const reports = await db.report.findMany({
    where: { area: { path: { startsWith: scope.path } }, steps: { some: { toState: { in: ['verified', 'closed'] } } } },
    select: { id: true, areaId: true, reportedAt: true },
  });
  const reportOf = new Map(reports.map((report) => [report.id, report]));

  const counts = new Map<number, Record<string, number>>();
  const total: Record<string, number> = {};
  const add = (into: Record<string, number>, key: string, n: number): void => {
    into[key] = (into[key] ?? 0) + n;
  };
  for (const row of grouped) {
    const village = counts.get(row.areaId) ?? {};
    for (const into of [village, total]) {
      const n = row.cases;
      add(into, 'total', n);
      add(into, `state_${row.state}`, n);
      add(into, `severity_${row.severity}`, n);
      add(into, `type_${row.type}`, n);
    }
    counts.set(row.areaId, village);
  }
  const durations = { verified: new Map<number, number[]>(), closed: new Map<number, number[]>() };
  const allDurations = { verified: [] as number[], closed: [] as number[] };
  for (const step of firstSteps) {
    const report = reportOf.get(step.reportId);
    if (!report || !step._min.at || (step.toState !== 'verified' && step.toState !== 'closed')) continue;
    const hours = (step._min.at.getTime() - report.reportedAt.getTime()) / 3_600_000;
    const byArea = durations[step.toState];
    const list = byArea.get(report.areaId) ?? [];
    list.push(hours);
    byArea.set(report.areaId, list);
    allDurations[step.toState].push(hours);
  }

  const zeros = Object.fromEntries(casesLedger.columns.slice(AREA_COLUMNS.length, -2).map((column) => [column.key, 0]));
  const rows: LedgerRow[] = [];
  for (const [areaId, names] of villages) {
    rows.push(
      ledgerRow(names, zeros, counts.get(areaId) ?? {}, {
        medianHoursToVerify: median(durations.verified.get(areaId) ?? []),
        medianHoursToClose: median(durations.closed.get(areaId) ?? []),
      }),
    );
  }
  rows.push(ledgerRow(totalCells(scope), zeros, total, { medianHoursToVerify: median(allDurations.verified), medianHoursToClose: median(allDurations.closed) }));
  return rows;
}

/** Cases per village they were filed in, state, severity and type; archived cases count (kept for ledgers). */
export async function casesPerVillage(
  db: Db,
  scope: LedgerScope,
): Promise<Array<{ areaId: number; state: CaseState; severity: Severity; type: ReportType; cases: number }>> {
  const rows = await db.$queryRaw<Array<{ areaId: number; state: CaseState; severity: Severity; type: ReportType; n: unknown }>>`
    SELECT r."areaId" AS "areaId", r.state AS state, r.severity AS severity, r.type AS type, COUNT(*) AS n
    FROM "Report" r
    WHERE ${areaIdInScope('r."areaId"', scope)}
    GROUP BY r."areaId", r.state, r.severity, r.type`;
  return rows.map(({ n, ...group }) => ({ ...group, cases: toNumber(n) }));
}
