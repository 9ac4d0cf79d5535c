import ExcelJS from 'exceljs';
import { QUARTERLY_INDICATORS } from '../../src/exports/quarterlyReport';
import { quarterlyReportJob } from '../../src/jobs/quarterlyReport';
import { createLogger } from '../../src/log';
import { ledgerNamed } from '../../src/store/ledgers';
import { DEMO_DISTRICT_CODE, seedDemo } from '../../src/cli/demo/demoSeed';
import { seedSyntheticArea } from '../../bench/seed';
import { recomputeLeftBehind } from '../../src/store/registry/childRecords';
import { fileReport } from '../../src/store/cases/reports';
import { startApiServer, tokenFor, type ApiTestServer } from '../support/adminApi';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
/** Inside 2026 Q4: the report reads the ledgers as of now. */
const NOW = SHANGHAI('2026-11-30T10:00:00');

describeEachEngine('the joint meeting’s quarterly report', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let token: string;
  let now = NOW;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await seedDemo(database.db, database.cipher, SHANGHAI('2026-09-01T09:00:00'));
    token = await tokenFor(database.db, 'officer_district', DEMO_DISTRICT_CODE);
    api = await startApiServer(database, () => now);
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('is one workbook whose sheets hold exactly the ledgers’ numbers for the demo district', async () => {
    const workbook = await expectWorkbookEqualsLedgers(api, token, DEMO_DISTRICT_CODE);
    // The demo has left-behind children: the trend sheet is no empty table.
    expect(workbook.worksheets.at(-1)!.rowCount).toBeGreaterThan(1);
  });

  it('refuses a quarter not begun or malformed, and department staff', async () => {
    expect((await api.call('GET', `/reports/quarterly?area=${DEMO_DISTRICT_CODE}&quarter=2027Q1`, { token })).status).toBe(422);
    expect((await api.call('GET', `/reports/quarterly?area=${DEMO_DISTRICT_CODE}&quarter=Q4-2026`, { token })).status).toBe(400);
    const education = await tokenFor(database.db, 'department', DEMO_DISTRICT_CODE, 'education');
    expect((await api.call('GET', `/reports/quarterly?area=${DEMO_DISTRICT_CODE}&quarter=2026Q4`, { token: education })).status).toBe(404);
  });

  it('tells the district’s officers at the quarter’s start, once, with the left-behind count', async () => {
    const wechat = new SimulatedWechat(database, engine, NOW);
    const district = await database.db.area.findUniqueOrThrow({ where: { code: DEMO_DISTRICT_CODE } });
    const officer = await database.db.person.create({ data: { name: '区民政刘科长', role: 'officer', areaId: district.id } });
    await wechat.bind(officer.id, '区民政刘科长');
    const run = (at: Date) => quarterlyReportJob.run({ db: database.db, engine, now: at, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
    const JANUARY = SHANGHAI('2027-01-01T08:00:00');
    await run(JANUARY);
    await run(JANUARY);
    const told = await database.db.outboxMessage.findMany({ where: { address: 'wxid-区民政刘科长' } });
    expect(told).toHaveLength(1);
    const leftBehind = await database.db.child.count({ where: { leftBehind: true, archivedAt: null, area: { path: { startsWith: district.path } } } });
    expect(told[0]).toMatchObject({ messageKey: 'report.quarterly', params: { quarter: '2026年第4季度', atEnd: String(leftBehind) } });
  });
});

/** Fetches the area's 2026Q4 workbook and checks every indicator sheet against its ledger, cell by cell. */
async function expectWorkbookEqualsLedgers(api: ApiTestServer, token: string, areaCode: string): Promise<ExcelJS.Workbook> {
  const response = await fetch(`${api.url}/api/v1/reports/quarterly?area=${areaCode}&quarter=2026Q4`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
  expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['封面', ...QUARTERLY_INDICATORS.map((indicator) => ledgerNamed(indicator.ledger)!.title.slice(0, 31))]);

  for (const [index, indicator] of QUARTERLY_INDICATORS.entries()) {
    const periods = indicator.periods ? `&periods=${indicator.periods}` : '';
    const ledger = await api.call('GET', `/ledgers/${indicator.ledger}?area=${areaCode}${periods}`, { token });
    expect(ledger.status).toBe(200);
    const sheet = workbook.worksheets[index + 1]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(ledger.body.columns.map((column: { header: string }) => column.header));
    const rows: unknown[][] = [];
    sheet.eachRow((row, number) => {
      if (number > 1) rows.push(ledger.body.columns.map((_: unknown, i: number) => row.getCell(i + 1).value ?? null));
    });
    expect({ ledger: indicator.ledger, rows }).toEqual({
      ledger: indicator.ledger,
      rows: ledger.body.rows.map((row: Record<string, unknown>) => ledger.body.columns.map((column: { key: string }) => row[column.key] ?? null)),
    });
  }
  return workbook;
}

describeEachEngine('the quarterly report of a generated city', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    // The bench's city generator: districts, townships and villages of parents, guardians, teachers and directors.
    await seedSyntheticArea(database.db, engine, { children: 600, senders: 0, filers: 0, now: SHANGHAI('2026-10-15T09:00:00'), timeZone: 'Asia/Shanghai' });
    // Some movement in the quarter: cases filed, a parent home (the child leaves the trend).
    const children = await database.db.child.findMany({ where: { leftBehind: true }, orderBy: { id: 'asc' }, take: 3, select: { id: true, areaId: true } });
    await database.db.$transaction(async (tx) => {
      for (const [i, child] of children.entries()) {
        await fileReport(tx, { childId: child.id, areaId: child.areaId, type: 'dropout', severity: i === 0 ? 'high' : 'normal', description: '未到校', source: 'director', reporterId: null, now: SHANGHAI('2026-11-02T09:00:00'), timeZone: 'Asia/Shanghai' });
      }
      const home = await tx.childLink.findFirstOrThrow({ where: { childId: children[0]!.id, kind: 'parent', worksAway: true } });
      await tx.childLink.update({ where: { id: home.id }, data: { worksAway: false } });
      await recomputeLeftBehind(tx, children[0]!.id, SHANGHAI('2026-11-03T09:00:00'), 'Asia/Shanghai');
    });
    api = await startApiServer(database, () => NOW);
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('holds exactly the ledgers’ numbers for the city and for one of its districts', async () => {
    const city = await tokenFor(database.db, 'officer_city', '420100');
    const workbook = await expectWorkbookEqualsLedgers(api, city, '420100');
    expect(workbook.worksheets.at(-1)!.rowCount).toBeGreaterThan(1);
    await expectWorkbookEqualsLedgers(api, await tokenFor(database.db, 'officer_district', '420101'), '420101');
    const trend = await api.call('GET', '/ledgers/left-behind-trend?area=420100&periods=1', { token: city });
    expect(trend.body.rows.at(-1)).toMatchObject({ stopped_parent_returned: 1 });
  });
});
