import { Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { excelJs } from './excelJs';
import { REQUIRED_ROSTER_FIELDS, ROSTER_COLUMNS, rosterFieldsOf, type RawRosterRow, type RosterField } from '../domain/childRoster';

export const ROSTER_FORMATS = ['csv', 'xlsx'] as const;
export type RosterFormat = (typeof ROSTER_FORMATS)[number];

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file that is no roster at all (no header row, no name column): nothing of it is imported. */
export class RosterFileError extends Error {
  override name = 'RosterFileError';
}

export interface RosterLine {
  /** The row number a spreadsheet shows: the header is row 1 of a CSV file. */
  row: number;
  fields: RawRosterRow;
}

/** A file that can be read more than once: the import validates it all before it writes anything. */
export type RosterSource = () => Readable;

/** The format by file name or content type. */
export function rosterFormatOf(nameOrType: string): RosterFormat | undefined {
  const value = nameOrType.toLowerCase();
  if (value.endsWith('.xlsx') || value.startsWith(XLSX_CONTENT_TYPE)) return 'xlsx';
  if (value.endsWith('.csv') || value.startsWith('text/csv') || value.startsWith('text/plain')) return 'csv';
  return undefined;
}

/** The roster's rows one by one, header names mapped to roster fields; never the whole file in memory. */
export async function* readRoster(source: RosterSource, format: RosterFormat): AsyncGenerator<RosterLine> {
  const rows = format === 'csv' ? csvRows(source()) : xlsxRows(source());
  let fields: Array<RosterField | undefined> | undefined;
  for await (const { row, cells } of rows) {
    if (cells.every((cell) => cell === '')) continue;
    if (!fields) {
      fields = rosterFieldsOf(cells);
      const missing = REQUIRED_ROSTER_FIELDS.filter((field) => !fields!.includes(field));
      if (missing.length > 0) {
        throw new RosterFileError(`花名册第${row}行（表头）缺少“${missing.map((field) => ROSTER_COLUMNS[field][0]).join('”“')}”列`);
      }
      continue;
    }
    const mapped: RawRosterRow = {};
    fields.forEach((field, i) => {
      if (field && cells[i] !== undefined && cells[i] !== '') mapped[field] = cells[i];
    });
    yield { row, fields: mapped };
  }
  if (!fields) throw new RosterFileError('花名册是空的');
}

/**
 * Excel in China saves CSV in GB18030 (GBK) unless told otherwise: text that is not valid
 * UTF-8 at the start is decoded as GB18030.
 */
function decoded(input: Readable): Readable {
  let decoder: TextDecoder | undefined;
  return input.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (!decoder) {
          let utf8 = true;
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
          } catch {
            utf8 = false;
          }
          decoder = new TextDecoder(utf8 ? 'utf-8' : 'gb18030');
        }
        callback(null, decoder.decode(chunk, { stream: true }));
      },
      flush(callback) {
        callback(null, decoder?.decode() ?? '');
      },
    }),
  );
}

async function* csvRows(input: Readable): AsyncGenerator<{ row: number; cells: string[] }> {
  const parser = decoded(input).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }));
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { row: info.lines, cells: record };
  }
}

type XlsxValue = ExcelJS.CellValue | { richText: Array<{ text: string }> } | { text: string } | { result: unknown };

/** A cell as text: dates as YYYY-MM-DD; an ID number stored as a number shows as 4.2e+17, which the row check names. */
function cellText(value: XlsxValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Math.abs(value) >= 1e15 ? value.toExponential() : String(value);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? '是' : '否';
  if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
  if ('result' in value) return cellText(value.result as XlsxValue);
  if ('text' in value) return String(value.text).trim();
  return '';
}

async function* xlsxRows(input: Readable): AsyncGenerator<{ row: number; cells: string[] }> {
  const workbook = new (excelJs()).stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache' });
  // The first sheet is the roster; later sheets (notes, code lists) are not read.
  for await (const sheet of workbook) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as XlsxValue[]).slice(1);
      yield { row: row.number, cells: Array.from(values, (value) => cellText(value)) };
    }
    return;
  }
}

/** A source over bytes already in memory (an HTTP body). */
export function bufferSource(bytes: Buffer): RosterSource {
  return () => Readable.from([bytes]);
}
