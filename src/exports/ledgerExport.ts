import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import { excelJs } from '../imports/excelJs';
import type { Db } from '../store/db/database';
import { villagesOf } from '../store/ledgers/areas';
import type { Ledger, LedgerCell, LedgerOptions, LedgerRow, LedgerScope } from '../store/ledgers/ledger';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Beyond this many villages a per-village ledger goes on one sheet: Excel copes with thousands
 * of sheets badly, and nobody pages through them.
 */
export const MAX_VILLAGE_SHEETS = 200;

export interface ExportRequest {
  db: Db;
  ledger: Ledger;
  scope: LedgerScope;
  options: LedgerOptions;
  format: ExportFormat;
  out: Writable;
  /** Who exported what, when (exportWatermark): CSV's first line, XLSX's printed page header and document subject. */
  watermark?: string;
  /** Called after every batch with the rows written so far. */
  onProgress?: (rows: number) => void;
}

/** The watermark line of an export: a copy that turns up elsewhere says whose it was. */
export function exportWatermark(input: { actor: string; at: Date; area: { code: string; name: string }; timeZone: string }): string {
  const when = input.at.toLocaleString('sv-SE', { timeZone: input.timeZone }).slice(0, 16);
  return `守望导出 ${input.actor} ${when} ${input.area.name}(${input.area.code}) 内部资料，不得外传`;
}

/** `out` was closed before the ledger was written: the client hung up, so the export stopped. */
export class ExportAbandoned extends Error {
  constructor() {
    super('the export was abandoned: its output closed before the end');
    this.name = 'ExportAbandoned';
  }
}

/**
 * Streams a ledger to `out` batch by batch, waiting for `out` to drain, so a ledger of
 * 100,000 children never sits in memory. Resolves with the number of rows once `out` has
 * everything; ends `out`. Rejects with ExportAbandoned, having stopped reading, if `out`
 * closes first (a client that hangs up mid-download).
 */
export async function exportLedger(request: ExportRequest): Promise<number> {
  const { out } = request;
  const gone = new AbortController();
  // A file closes after it finished; only a close before that means the reader left.
  const onClose = () => {
    if (!out.writableFinished) gone.abort();
  };
  out.once('close', onClose);
  try {
    return await (request.format === 'csv' ? exportCsv(request) : exportXlsx(request, gone.signal));
  } catch (error) {
    if (gone.signal.aborted) throw new ExportAbandoned();
    throw error;
  } finally {
    out.off('close', onClose);
  }
}

/**
 * Cells as a spreadsheet shows them: yes/no for booleans, no cell at all for nothing (ExcelJS
 * builds a cell object for a null, only to write nothing for it).
 */
function cellValue(cell: LedgerCell | undefined): string | number | undefined {
  if (cell === undefined || cell === null) return undefined;
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  return cell;
}

async function exportCsv({ db, ledger, scope, options, out, onProgress, watermark }: ExportRequest): Promise<number> {
  // The BOM makes Excel read the file as UTF-8 instead of the local ANSI code page; it comes before the watermark.
  if (watermark !== undefined) out.write(`\ufeff${watermark}\r\n`);
  const csv = stringify({ bom: watermark === undefined, record_delimiter: 'windows', header: true, columns: ledger.columns.map(({ key, header }) => ({ key, header })) });
  let written = 0;
  async function* records() {
    for await (const batch of ledger.rows(db, scope, options)) {
      for (const row of batch) yield Object.fromEntries(ledger.columns.map(({ key }) => [key, cellValue(row[key]) ?? '']));
      written += batch.length;
      onProgress?.(written);
    }
  }
  // The pipeline waits for each stage to drain, and stops reading the ledger when `out` closes early.
  await pipeline(records, csv, out);
  return written;
}

/** Excel forbids these in sheet names and allows at most 31 characters. */
function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 28) || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}(${n})`;
  taken.add(name);
  return name;
}

/**
 * Waits until the zip has taken what the sheet wrote. ExcelJS's sheet buffer hands its chunks to the
 * zip's input without waiting (it ignores what write() answers), so rows made faster than they are
 * compressed pile up uncompressed: some 60 MB for 100,000 children. The input is ExcelJS 4's
 * internal `stream.pipes[0]` (archiver's PassThrough); if a later ExcelJS moves it, this only stops waiting.
 */
async function zipTakes(sheet: ExcelJS.Worksheet, signal: AbortSignal): Promise<void> {
  const input = (sheet as unknown as { stream?: { pipes?: Array<Writable & { _writableState?: { needDrain?: boolean } }> } }).stream?.pipes?.[0];
  // readable-stream 2, under archiver: no writableNeedDrain, the state says it.
  if (input?._writableState?.needDrain) await once(input, 'drain', { signal });
}

/**
 * ExcelJS pipes its zip into `out` itself, so nothing here sees `out` close but `signal`: every wait
 * takes it, since a closed `out` never drains.
 */
async function exportXlsx({ db, ledger, scope, options, out, onProgress, watermark }: ExportRequest, signal: AbortSignal): Promise<number> {
  const perVillage = ledger.sheetBy !== undefined && (await villagesOf(db, scope)).size <= MAX_VILLAGE_SHEETS;
  const workbook = new (excelJs()).stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  if (watermark !== undefined) workbook.subject = watermark;
  const taken = new Set<string>();
  const headers = ledger.columns.map(({ header }) => header);
  let sheet: ExcelJS.Worksheet | undefined;
  let sheetKey: string | undefined;
  const openSheet = (title: string): ExcelJS.Worksheet => {
    sheet?.commit();
    const opened = workbook.addWorksheet(sheetName(title, taken), watermark === undefined ? {} : { headerFooter: { oddHeader: watermark, evenHeader: watermark } });
    opened.addRow(headers).commit();
    return opened;
  };
  // Rows of one village come together (ledgers list village by village), so a new area key opens the next sheet.
  const areaKey = (row: LedgerRow): string => `${row.district ?? ''}/${row.township ?? ''}/${row.village ?? ''}`;
  let written = 0;
  for await (const batch of ledger.rows(db, scope, options)) {
    signal.throwIfAborted();
    for (const row of batch) {
      if (perVillage && areaKey(row) !== sheetKey) {
        sheetKey = areaKey(row);
        sheet = openSheet(String(row[ledger.sheetBy!] ?? ledger.title));
      }
      sheet ??= openSheet(ledger.title);
      sheet.addRow(ledger.columns.map(({ key }) => cellValue(row[key]))).commit();
    }
    written += batch.length;
    onProgress?.(written);
    if (sheet) await zipTakes(sheet, signal);
    if (out.writableNeedDrain) await once(out, 'drain', { signal });
  }
  signal.throwIfAborted();
  sheet ??= openSheet(ledger.title);
  sheet.commit();
  await workbook.commit();
  await finished(out, { signal });
  return written;
}
