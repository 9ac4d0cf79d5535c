import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { csvBytes, nationalIdFor } from '../support/roster';
import { runCli } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';
import { processBudget } from '../support/budgets';

// Every CLI run is a child process that opens (and migrates) the database: a few seconds each.
jest.setTimeout(processBudget({ runs: 3 }));

describeEachEngine('npm run cli -- import children / export', (engine) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-cli-'));
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: database.dataKey.toString('hex') };
    await createVillage(database.db); // 测试区 880101 → 测试镇 880101001 → 测试村 880101001001, with 张小明
  });
  afterAll(() => database.drop());

  it('imports a roster with a bad row only with --partial, names the bad row, and a repeat changes nothing', async () => {
    const file = path.join(dir, '花名册.csv');
    writeFileSync(
      file,
      csvBytes([
        ['姓名', '性别', '身份证号', '父亲外出', '母亲外出'],
        ['王小红', '女', nationalIdFor('2014-03-08', '022'), '是', '是'],
        ['李小刚', '男', '12345', '', ''],
      ]),
    );
    const refused = await runCli(['import', 'children', file, '--area', '880101001001'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('第3行 未导入：身份证号无效\n1 行有误，未导入任何数据（改正后重新导入，或加 --partial 只导入无误的行）。\n');
    expect(await database.db.child.count()).toBe(1);

    const partial = await runCli(['import', 'children', file, '--area', '880101001001', '--partial'], env);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toBe('第3行 未导入：身份证号无效\n新增 1，更新 0，无变化 0，未导入 1。\n');
    expect(await database.db.child.findFirst({ where: { name: '王小红' } })).toMatchObject({ birthDate: '2014-03-08', leftBehind: true });

    const again = await runCli(['import', 'children', file, '--area', '880101001001', '--partial'], env);
    expect(again.stdout).toContain('新增 0，更新 0，无变化 1，未导入 1。');
  });

  it('exports the child ledger to an XLSX file with progress on stderr, and refuses an unknown ledger', async () => {
    const out = path.join(dir, 'children.xlsx');
    const run = await runCli(['export', 'children', '--area', '880101', '--format', 'xlsx', '--out', out], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Wrote 2 rows of 儿童信息台账 (children) to ${out}.\n`);
    expect(run.stderr).toContain('儿童信息台账: 2 行');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.rowCount])).toEqual([['测试村', 3]]);

    const unknown = await runCli(['export', 'nothing', '--area', '880101', '--format', 'csv', '--out', path.join(dir, 'x.csv')], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No ledger is called nothing');
  });
});
