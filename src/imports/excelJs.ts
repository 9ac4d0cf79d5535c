import type ExcelJS from 'exceljs';

/**
 * ExcelJS (XLSX rosters and ledger files), loaded on the first XLSX read or export rather than at start-up: some 8 MB of
 * heap an idle service need not hold (BENCHMARKS.md, issue 17).
 */
let loaded: typeof ExcelJS | null = null;

export function excelJs(): typeof ExcelJS {
  loaded ??= require('exceljs') as typeof ExcelJS;
  return loaded;
}
