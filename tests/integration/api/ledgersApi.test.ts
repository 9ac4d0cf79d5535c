import ExcelJS from 'exceljs';
import { XLSX_CONTENT_TYPE } from '../../../src/imports/rosterFile';
import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { addVillages, csvBytes, nationalIdFor, xlsxBytes } from '../../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';
import { createVillage } from '../../support/village';

const HEADER = ['姓名', '性别', '出生日期', '身份证号', '村代码', '年级', '父亲', '父亲外出', '母亲', '母亲外出'];
const GOOD = [
  ['王小红', '女', '2014-03-08', nationalIdFor('2014-03-08', '022'), '880101001001', '初一', '王建国', '是', '李秀英', '是'],
  ['李小刚', '男', '2017-09-01', '', '880101001002', '三年级', '', '', '', ''],
];

describeEachEngine('imports, ledgers and exports through the admin API', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let officer: string;
  let director: string;
  let auditor: string;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    const village = await createVillage(database.db);
    await addVillages(database.db, village.townshipId);
    api = await startApiServer(database);
    officer = await tokenFor(database.db, 'officer_township', '880101001');
    director = await tokenFor(database.db, 'director', '880101001001');
    auditor = await tokenFor(database.db, 'auditor', '880101');
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  const send = (path: string, token: string, body: Buffer, type: string) =>
    fetch(`${api.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  const get = (path: string, token: string) => fetch(`${api.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('imports a CSV roster all or nothing, then with partial, and a repeat changes nothing', async () => {
    const withBad = csvBytes([HEADER, ...GOOD, ['赵小芳', '女', '2016-02-30', '', '880101001001', '', '', '', '', '']]);
    const refused = await send('/imports/children', officer, withBad, 'text/csv');
    expect(refused.status).toBe(200);
    expect(await refused.json()).toMatchObject({ applied: false, counts: { created: 0, rejected: 1 }, rows: [{ row: 4, status: 'rejected', reason: '出生日期“2016-02-30”无法识别' }] });
    expect(await database.db.child.count()).toBe(1);

    const partial = await send('/imports/children?partial=true', officer, withBad, 'text/csv; charset=utf-8');
    expect(await partial.json()).toMatchObject({ applied: true, counts: { created: 2, updated: 0, unchanged: 0, rejected: 1 } });
    const audit = await database.db.auditLog.findMany({ where: { action: 'child.create' } });
    expect(audit).toHaveLength(2);
    expect(audit[0]!.actor).toMatch(/^token:\d+$/);

    const again = await send('/imports/children', officer, csvBytes([HEADER, ...GOOD]), 'text/csv');
    expect(await again.json()).toMatchObject({ applied: true, counts: { created: 0, updated: 0, unchanged: 2, rejected: 0 } });
  });

  it('rejects rows for villages outside a director’s village, and refuses auditors and other file types', async () => {
    const bytes = await xlsxBytes([HEADER, GOOD[1]!]);
    const response = await send('/imports/children', director, bytes, XLSX_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({ applied: false, rows: [{ row: 2, status: 'rejected', reason: '村代码 880101001002 不在本次导入的辖区内' }] });
    expect((await send('/imports/children', auditor, bytes, XLSX_CONTENT_TYPE)).status).toBe(403);
    const wrongType = await send('/imports/children', officer, bytes, 'application/pdf');
    expect(wrongType.status).toBe(415);
    const notRoster = await send('/imports/children', officer, csvBytes([['名字'], ['谁']]), 'text/csv');
    expect({ status: notRoster.status, body: await notRoster.json() }).toMatchObject({ status: 422, body: { error: 'not_a_roster' } });
  });

  it('answers a ledger as JSON for the token’s area, and 404 for an area outside it', async () => {
    const response = await get('/ledgers/categories', officer);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { area: { code: string }; rows: Array<Record<string, unknown>> };
    expect(body.area.code).toBe('880101001');
    expect(body.rows.map((row) => [row.village, row.children, row.left_behind])).toEqual([
      ['测试村', 2, 1],
      ['东山村', 1, 0],
      ['测试镇合计', 3, 1],
    ]);
    // The overview asks for the area's totals alone: the same numbers, without a row per village.
    const totals = (await (await get('/ledgers/categories?total=true', officer)).json()) as { rows: Array<Record<string, unknown>> };
    expect(totals.rows.map((row) => [row.village, row.children, row.left_behind])).toEqual([['测试镇合计', 3, 1]]);
    expect((await get('/ledgers/overdue?total=true', officer)).status).toBe(400);
    expect((await get('/ledgers/categories?area=880102', officer)).status).toBe(404);
    expect((await get('/ledgers/categories?area=880101001002', director)).status).toBe(404);
  });

  it('streams the child ledger as XLSX with one sheet per village, and as CSV with a BOM', async () => {
    const xlsx = await get('/exports/children', auditor);
    expect(xlsx.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
    expect(xlsx.headers.get('content-disposition')).toContain('attachment; filename="children.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.rowCount])).toEqual([
      ['测试村', 3],
      ['东山村', 2],
    ]);
    expect(workbook.getWorksheet('测试村')!.getRow(1).getCell(4).value).toBe('姓名');
    expect(workbook.getWorksheet('测试村')!.headerFooter.oddHeader).toMatch(/^守望导出 token:\d+ /);
    expect(await database.db.auditLog.count({ where: { action: 'export.children', actor: { startsWith: 'token:' } } })).toBe(1);

    const csv = await get('/exports/contact?format=csv&periods=3', auditor);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [watermark, header] = bytes.toString('utf8').slice(1).split('\r\n');
    expect(watermark).toMatch(/^守望导出 token:\d+ \d{4}-\d\d-\d\d \d\d:\d\d .+\(\d+\) 内部资料，不得外传$/);
    expect(header).toBe('区,乡镇（街道）,村（社区）,周次,按时联系,未联系,暂停提醒,联系率(%),较上周(百分点)');
  });
});
