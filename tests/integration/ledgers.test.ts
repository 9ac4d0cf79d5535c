import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { exportLedger, type ExportFormat } from '../../src/exports/ledgerExport';
import { LEDGERS, ledgerNamed } from '../../src/store/ledgers';
import { areaByCode } from '../../src/store/ledgers/areas';
import type { LedgerRow } from '../../src/store/ledgers/ledger';
import { addVillages } from '../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

// A Saturday: the closed weeks before it are 2026-W46 and 2026-W47; the assessment round is 2026-09.
const NOW = new Date('2026-11-28T02:00:00Z');
const OPTIONS = { now: NOW, timeZone: 'Asia/Shanghai', periods: 2 };
const hoursAfter = (at: Date, hours: number): Date => new Date(at.getTime() + hours * 3_600_000);

describeEachEngine('ledgers (台账) of a district', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await seedKnownDistrict(database);
  });
  afterAll(() => database.drop());

  async function rowsOf(name: string): Promise<LedgerRow[]> {
    const scope = (await areaByCode(database.db, '880101'))!;
    const rows: LedgerRow[] = [];
    for await (const batch of ledgerNamed(name)!.rows(database.db, scope, OPTIONS)) rows.push(...batch);
    return rows;
  }
  const byVillage = (rows: LedgerRow[]) => Object.fromEntries(rows.map((row) => [row.village, row]));

  it('counts children by category and flag per village, leaving out other districts', async () => {
    const rows = byVillage(await rowsOf('categories'));
    expect(Object.keys(rows)).toEqual(['测试村', '东山村', '测试区合计']);
    expect(rows['测试村']).toMatchObject({ district: '测试区', township: '测试镇', children: 4, left_behind: 1, economic_hardship: 1, disabled: 1, dropout: 1, vagrant: 0 });
    expect(rows['东山村']).toMatchObject({ children: 1, left_behind: 0 });
    expect(rows['测试区合计']).toMatchObject({ children: 5, left_behind: 1 });
  });

  it('gives weekly contact kept and missed per village and week with the trend', async () => {
    const rows = await rowsOf('contact');
    const find = (village: string, week: string) => rows.find((row) => row.village === village && row.week === week);
    expect(find('测试村', '2026-W46')).toMatchObject({ kept: 0, missed: 1, rate: 0, trend: null });
    expect(find('测试村', '2026-W47')).toMatchObject({ kept: 1, missed: 0, rate: 100, trend: 100 });
    expect(find('东山村', '2026-W47')).toMatchObject({ kept: 0, missed: 1, rate: 0 });
    expect(find('测试区合计', '2026-W47')).toMatchObject({ kept: 1, missed: 1, rate: 50, trend: 50 });
  });

  it('gives teacher coverage of in-school children and answered check-ins per round', async () => {
    const rows = byVillage(await rowsOf('teacher-checkins'));
    expect(rows['测试村']).toMatchObject({ inSchool: 3, withTeacher: 1, coverage: 33.3, round: '2026-11-25', prompted: 1, answered: 1, answerRate: 100 });
    expect(rows['东山村']).toMatchObject({ inSchool: 1, withTeacher: 0, coverage: 0, prompted: 1, answered: 0, answerRate: 0 });
  });

  it('counts cases by state, severity and type with median hours to verify and to close, and lists overdue steps', async () => {
    const rows = byVillage(await rowsOf('cases'));
    expect(rows['测试村']).toMatchObject({ total: 1, state_closed: 1, type_dropout: 1, severity_normal: 1, medianHoursToVerify: 2, medianHoursToClose: 10 });
    expect(rows['东山村']).toMatchObject({ total: 1, state_reported: 1, severity_urgent: 1, medianHoursToVerify: null });
    expect(rows['测试区合计']).toMatchObject({ total: 2, state_closed: 1, state_reported: 1 });

    expect(await rowsOf('overdue')).toEqual([
      { district: '测试区', township: '测试镇', village: '东山村', number: 'TV-2026-000002', type: '虐待或伤害', severity: '紧急', state: '待核实', dueAt: '2026-11-27T02:00:00.000Z', overdueHours: 24, escalations: 0 },
    ]);
  });

  it('gives assessment completion per round, stale records and dropout against the targets', async () => {
    const assessments = await rowsOf('assessments');
    expect(assessments.find((row) => row.village === '测试村' && row.round === '2026-09')).toMatchObject({ children: 4, assessed: 1, high: 1, completion: 25 });
    expect(assessments.find((row) => row.village === '测试村' && row.round === '2026-03')).toMatchObject({ assessed: 0, completion: 0 });
    expect(byVillage(await rowsOf('stale'))['测试村']).toMatchObject({ children: 4, stale: 1, staleRate: 25 });
    expect(byVillage(await rowsOf('dropout'))['测试村']).toMatchObject({
      primaryInSchool: 1,
      primaryDropouts: 1,
      primaryRate: 100,
      primaryTarget: 0.6,
      primaryMet: '否',
      juniorInSchool: 1,
      juniorDropouts: 0,
      juniorRate: 0,
      juniorMet: '是',
    });
  });

  it('exports the child ledger as XLSX with one sheet per village, Chinese headers and masked IDs', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await exported('children', 'xlsx')) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['测试村', '东山村']);
    const sheet = workbook.getWorksheet('测试村')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 8)).toEqual(['区', '乡镇（街道）', '村（社区）', '姓名', '性别', '出生日期', '身份证号']);
    expect(sheet.rowCount).toBe(5);
    const names = [2, 3, 4, 5].map((n) => sheet.getRow(n).getCell(4).value);
    expect(names).toEqual(['张小明', '王小红', '李小刚', '赵小花']);
    const headers = (sheet.getRow(1).values as string[]).slice(1);
    const hong = Object.fromEntries(headers.map((header, i) => [header, sheet.getRow(3).getCell(i + 1).value]));
    expect(hong).toMatchObject({
      身份证号: '8801**********0221',
      类别: '留守儿童、经济困难',
      重点关注: '失学辍学',
      风险等级: '高',
      留守儿童: '是',
      外出务工父母: '父亲、母亲',
      监护人: '张桂兰（祖母）',
      帮扶教师: '林老师',
      档案待更新: '是',
    });
  });

  it('exports a ledger as CSV in UTF-8 with a BOM, so Excel reads the Chinese', async () => {
    const bytes = await exported('categories', 'csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes, { bom: true }) as string[][];
    expect(records[0]!.slice(0, 5)).toEqual(['区', '乡镇（街道）', '村（社区）', '儿童总数', '留守儿童']);
    expect(records.slice(1).map((row) => [row[2], row[3]])).toEqual([
      ['测试村', '4'],
      ['东山村', '1'],
      ['测试区合计', '5'],
    ]);
  });

  it('exports every ledger in both formats', async () => {
    for (const ledger of LEDGERS) {
      for (const format of ['xlsx', 'csv'] as const) expect((await exported(ledger.name, format)).length).toBeGreaterThan(0);
    }
  });

  async function exported(name: string, format: ExportFormat): Promise<Buffer> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await exportLedger({ db: database.db, ledger: ledgerNamed(name)!, scope: (await areaByCode(database.db, '880101'))!, options: OPTIONS, format, out });
    return Buffer.concat(chunks);
  }
});

/**
 * 测试村: 张小明 (no school), 王小红 (primary, left-behind, hardship, dropout flag and case, teacher,
 * stale record, assessed high), 李小刚 (junior, disabled), 赵小花 (primary); 东山村: 陈小乐 (primary,
 * an overdue urgent case); 外区村 (another district): 钱多多, who must never be counted.
 */
async function seedKnownDistrict({ db, cipher }: TestDatabase): Promise<void> {
  const village = await createVillage(db, NOW);
  const { eastId, outsideId } = await addVillages(db, village.townshipId);
  const id = cipher.seal('880101201403080221');
  const teacher = await db.person.create({ data: { name: '林老师', role: 'teacher', areaId: village.villageId } });
  const father = await db.person.create({ data: { name: '王建国', role: 'parent', areaId: village.villageId } });
  const mother = await db.person.create({ data: { name: '李秀英', role: 'parent', areaId: village.villageId } });
  const grandmother = await db.person.create({ data: { name: '张桂兰', role: 'guardian', areaId: village.villageId } });
  const hong = await db.child.create({
    data: {
      name: '王小红',
      gender: 'female',
      birthDate: '2014-03-08',
      areaId: village.villageId,
      nationalIdCipher: id.cipher,
      nationalIdDigest: id.digest,
      nationalIdMasked: id.masked,
      schoolStage: 'primary',
      leftBehind: true,
      recordStale: true,
      riskLevel: 'high',
      categories: { create: [{ category: 'left_behind' }, { category: 'economic_hardship' }] },
      focusFlags: { create: [{ flag: 'dropout' }] },
      links: {
        create: [
          { personId: teacher.id, kind: 'teacher' },
          { personId: father.id, kind: 'parent', relation: '父亲', worksAway: true },
          { personId: mother.id, kind: 'parent', relation: '母亲', worksAway: true },
          { personId: grandmother.id, kind: 'guardian', relation: '祖母' },
        ],
      },
    },
  });
  await db.child.create({ data: { name: '李小刚', birthDate: '2012-01-01', areaId: village.villageId, schoolStage: 'junior', categories: { create: [{ category: 'disabled' }] } } });
  await db.child.create({ data: { name: '赵小花', birthDate: '2017-01-01', areaId: village.villageId, schoolStage: 'primary' } });
  const le = await db.child.create({ data: { name: '陈小乐', birthDate: '2016-01-01', areaId: eastId, schoolStage: 'primary' } });
  const outsider = await db.child.create({ data: { name: '钱多多', birthDate: '2016-01-01', areaId: outsideId, schoolStage: 'primary', recordStale: true } });

  const week = (key: string, start: string) => ({ weekKey: key, weekStart: new Date(start) });
  await db.contactWeek.createMany({
    data: [
      { childId: hong.id, parentId: father.id, ...week('2026-W46', '2026-11-08T16:00:00Z'), status: 'missed' },
      { childId: hong.id, parentId: father.id, ...week('2026-W47', '2026-11-15T16:00:00Z'), status: 'kept', contactCount: 1 },
      { childId: le.id, parentId: father.id, ...week('2026-W47', '2026-11-15T16:00:00Z'), status: 'missed' },
      { childId: outsider.id, parentId: father.id, ...week('2026-W47', '2026-11-15T16:00:00Z'), status: 'kept' },
    ],
  });
  await db.teacherCheckIn.createMany({
    data: [
      { childId: hong.id, teacherId: teacher.id, round: '2026-11-25', position: 1, status: 'normal', answeredAt: NOW },
      { childId: le.id, teacherId: teacher.id, round: '2026-11-25', position: 2 },
    ],
  });
  await db.riskAssessment.create({ data: { childId: hong.id, assessorId: village.directorId, round: '2026-09', level: 'high', assessedAt: NOW } });

  const reportedAt = new Date('2026-11-01T00:00:00Z');
  const closed = await db.report.create({
    data: { number: 'TV-2026-000001', childId: hong.id, areaId: village.villageId, type: 'dropout', severity: 'normal', state: 'closed', description: '辍学', source: 'director', reportedAt },
  });
  await db.caseStep.createMany({
    data: [
      { reportId: closed.id, toState: 'reported', at: reportedAt },
      { reportId: closed.id, fromState: 'reported', toState: 'verified', at: hoursAfter(reportedAt, 2) },
      { reportId: closed.id, fromState: 'verified', toState: 'closed', at: hoursAfter(reportedAt, 10) },
    ],
  });
  await db.report.create({
    data: { number: 'TV-2026-000002', childId: le.id, areaId: eastId, type: 'abuse_or_injury', severity: 'urgent', state: 'reported', description: '伤害', source: 'teacher', dueAt: hoursAfter(NOW, -24) },
  });
  await db.report.create({
    data: { number: 'TV-2026-000003', childId: outsider.id, areaId: outsideId, type: 'other', severity: 'urgent', state: 'reported', description: '外区', source: 'teacher', dueAt: hoursAfter(NOW, -24) },
  });
}
