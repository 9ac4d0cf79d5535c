import ExcelJS from 'exceljs';
import { areaPath } from '../../src/domain/areaScope';
import { checkChar } from '../../src/domain/nationalId';
import type { Db } from '../../src/store/db/database';

/** A valid national ID number for a birth date (YYYY-MM-DD) and a 3-digit order code. */
export function nationalIdFor(birthDate: string, order: string, region = '880101'): string {
  const body = `${region}${birthDate.replaceAll('-', '')}${order}`;
  return body + checkChar(body)!;
}

/** A second village (东山村) in createVillage's township, and a village of another district (外区村). */
export async function addVillages(db: Db, townshipId: number): Promise<{ eastId: number; outsideId: number }> {
  const township = await db.area.findUniqueOrThrow({ where: { id: townshipId } });
  const east = await db.area.create({
    data: { code: '880101001002', name: '东山村', level: 'village', parentId: township.id, path: areaPath(township.path, '880101001002') },
  });
  const district = await db.area.create({ data: { code: '880102', name: '外区', level: 'district', path: areaPath(null, '880102') } });
  const outsideTownship = await db.area.create({
    data: { code: '880102001', name: '外镇', level: 'township', parentId: district.id, path: areaPath(district.path, '880102001') },
  });
  const outside = await db.area.create({
    data: { code: '880102001001', name: '外区村', level: 'village', parentId: outsideTownship.id, path: areaPath(outsideTownship.path, '880102001001') },
  });
  return { eastId: east.id, outsideId: outside.id };
}

/** A CSV file's bytes: UTF-8, comma-separated, the first row the header. */
export function csvBytes(rows: string[][]): Buffer {
  return Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** An XLSX workbook's bytes with one sheet of these rows (first row the header). */
export async function xlsxBytes(rows: Array<Array<string | number | Date>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
