import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { quarterLabel, recordQuarterByKey, type RecordQuarter } from '../domain/recordQuarter';
import type { Db } from '../store/db/database';
import { ledgerNamed } from '../store/ledgers';
import type { LedgerColumn, LedgerRow, LedgerScope } from '../store/ledgers/ledger';

/**
 * The plan's indicators for the joint meeting (联席会议), each the ledger that keeps it, with the
 * periods that cover one quarter: registry coverage, weekly contact (13 weeks), teacher coverage
 * and check-ins (7 fortnightly rounds), assessments, cases by stage, referral timeliness per
 * department, dropout rates against their targets, and the left-behind trend.
 */
export const QUARTERLY_INDICATORS: ReadonlyArray<{ ledger: string; periods?: number }> = [
  { ledger: 'categories' },
  { ledger: 'contact', periods: 13 },
  { ledger: 'teacher-checkins', periods: 7 },
  { ledger: 'assessments', periods: 2 },
  { ledger: 'cases' },
  { ledger: 'referral-timeliness' },
  { ledger: 'dropout' },
  { ledger: 'left-behind-trend', periods: 1 },
];

/** `2026Q4` (as officers write it) or `2026-Q4`. */
export const QUARTER_PATTERN = /^(\d{4})-?Q([1-4])$/;

/** The quarter a `--quarter` or `?quarter=` names. */
export function quarterNamed(text: string, timeZone: string): RecordQuarter {
  const match = QUARTER_PATTERN.exec(text.trim().toUpperCase())!;
  return recordQuarterByKey(`${match[1]}-Q${match[2]}`, timeZone);
}

export interface ReportSheet {
  ledger: string;
  title: string;
  columns: readonly LedgerColumn[];
  rows: LedgerRow[];
}

export interface QuarterlyReport {
  area: { code: string; name: string };
  quarter: RecordQuarter;
  /** The instant the ledgers were read as of: the quarter's last moment, or now for the running quarter. */
  asOf: Date;
  sheets: ReportSheet[];
}

/** Reads every indicator's ledger for the area as of the quarter's end (or now, while it runs). */
export async function quarterlyReport(db: Db, scope: LedgerScope, quarter: RecordQuarter, clock: { now: Date; timeZone: string }): Promise<QuarterlyReport> {
  const asOf = new Date(Math.min(quarter.end.getTime() - 1, clock.now.getTime()));
  const sheets: ReportSheet[] = [];
  for (const indicator of QUARTERLY_INDICATORS) {
    const ledger = ledgerNamed(indicator.ledger)!;
    const rows: LedgerRow[] = [];
    for await (const batch of ledger.rows(db, scope, { now: asOf, timeZone: clock.timeZone, periods: indicator.periods })) rows.push(...batch);
    sheets.push({ ledger: ledger.name, title: ledger.title, columns: ledger.columns, rows });
  }
  return { area: { code: scope.code, name: scope.name }, quarter, asOf, sheets };
}

/** Excel allows 31 characters and none of []:*?/\ in a sheet name. */
const sheetName = (title: string) => title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

/** Writes the report as one workbook: a cover sheet, then one sheet per indicator. Ends `out`. */
export async function writeQuarterlyReport(report: QuarterlyReport, out: Writable, input: { watermark: string; timeZone: string }): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.subject = input.watermark;
  workbook.title = `${report.area.name}${quarterLabel(report.quarter)}留守儿童和困境儿童关爱保护工作季度报告`;
  const cover = workbook.addWorksheet('封面');
  cover.addRows([
    [workbook.title],
    ['地区', `${report.area.name}（${report.area.code}）`],
    ['季度', quarterLabel(report.quarter)],
    ['数据截至', DateTime.fromJSDate(report.asOf, { zone: input.timeZone }).toFormat('yyyy-MM-dd HH:mm')],
    [input.watermark],
    [],
    ['指标', '工作表'],
    ...report.sheets.map((sheet) => [sheet.title, sheetName(sheet.title)]),
  ]);
  for (const sheet of report.sheets) {
    const worksheet = workbook.addWorksheet(sheetName(sheet.title));
    worksheet.headerFooter.oddHeader = input.watermark;
    worksheet.addRow(sheet.columns.map((column) => column.header));
    for (const row of sheet.rows) worksheet.addRow(sheet.columns.map((column) => row[column.key] ?? null));
  }
  await workbook.xlsx.write(out);
  out.end();
}
