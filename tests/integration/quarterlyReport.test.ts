import ExcelJS from 'exceljs';
import { QUARTERLY_INDICATORS } from '../../src/exports/quarterlyReport';
import { quarterlyReportJob } from '../../src/jobs/quarterlyReport';
import { createLogger } from '../../src/log';
import { ledgerNamed } from '../../src/store/ledgers';
import { DEMO_DISTRICT_CODE, seedDemo } from '../../src/store/seed/demoSeed';
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
    const response = await fetch(`${api.url}/api/v1/reports/quarterly?area=${DEMO_DISTRICT_CODE}&quarter=2026Q4`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['封面', ...QUARTERLY_INDICATORS.map((indicator) => ledgerNamed(indicator.ledger)!.title.slice(0, 31))]);

    for (const [index, indicator] of QUARTERLY_INDICATORS.entries()) {
      const periods = indicator.periods ? `&periods=${indicator.periods}` : '';
      const ledger = await api.call('GET', `/ledgers/${indicator.ledger}?area=${DEMO_DISTRICT_CODE}${periods}`, { token });
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
