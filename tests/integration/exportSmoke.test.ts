import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { exportLedger, type ExportFormat } from '../../src/exports/ledgerExport';
import { childLedger, CHILD_LEDGER_BATCH } from '../../src/store/ledgers/childLedger';
import { areaByCode } from '../../src/store/ledgers/areas';
import { addVillages } from '../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const OPTIONS = { now: new Date('2026-11-28T02:00:00Z'), timeZone: 'Asia/Shanghai' };

describeEachEngine('exporting a child ledger of a few thousand children', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    const village = await createVillage(database.db);
    const { eastId } = await addVillages(database.db, village.townshipId);
    const children = (areaId: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ areaId, name: `孩子${i}`, birthDate: '2015-01-01', schoolStage: 'primary' as const }));
    await database.db.child.createMany({ data: children(village.villageId, 2499) });
    await database.db.child.createMany({ data: children(eastId, 1500) });
  });
  afterAll(() => database.drop());

  async function exported(format: ExportFormat): Promise<{ bytes: Buffer; largestBatch: number }> {
    let largestBatch = 0;
    let previous = 0;
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const scope = (await areaByCode(database.db, '880101'))!;
    const rows = await exportLedger({
      db: database.db,
      ledger: childLedger,
      scope,
      options: OPTIONS,
      format,
      out,
      onProgress: (written) => {
        largestBatch = Math.max(largestBatch, written - previous);
        previous = written;
      },
    });
    expect(rows).toBe(4000);
    return { bytes: Buffer.concat(chunks), largestBatch };
  }

  it('writes every child to XLSX, one sheet per village, reading at most one batch at a time', async () => {
    const { bytes, largestBatch } = await exported('xlsx');
    expect(largestBatch).toBeLessThanOrEqual(CHILD_LEDGER_BATCH);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.rowCount])).toEqual([
      ['测试村', 2501],
      ['东山村', 1501],
    ]);
  });

  it('writes every child to CSV', async () => {
    const records = parse((await exported('csv')).bytes, { bom: true }) as string[][];
    expect(records).toHaveLength(4001);
  });
});
