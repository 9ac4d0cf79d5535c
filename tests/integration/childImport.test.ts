import { readRoster, bufferSource, type RosterFormat } from '../../src/imports/rosterFile';
import { importChildren, type ImportReport } from '../../src/store/registry/childImport';
import { addVillages, csvBytes, nationalIdFor, xlsxBytes } from '../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const NOW = new Date('2026-11-28T02:00:00Z');
const HEADER = ['姓名', '性别', '出生日期', '身份证号', '村（社区）', '学校', '年级', '类别', '重点关注', '父亲', '父亲外出', '母亲', '母亲外出', '监护人', '监护人关系'];

describeEachEngine('importing a roster of children', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, NOW);
    await addVillages(database.db, village.townshipId);
  });
  afterEach(() => database.drop());

  const run = async (bytes: Buffer, format: RosterFormat, options: { partial?: boolean; area?: string } = {}): Promise<ImportReport> => {
    const area = await database.db.area.findUniqueOrThrow({ where: { code: options.area ?? '880101001' } });
    return importChildren(database.db, database.cipher, {
      lines: () => readRoster(bufferSource(bytes), format),
      area,
      actor: 'cli',
      partial: options.partial ?? false,
      now: NOW,
      timeZone: 'Asia/Shanghai',
    });
  };
  const childrenNamed = (name: string) =>
    database.db.child.findMany({ where: { name }, include: { categories: true, focusFlags: true, links: { include: { person: true } } } });

  const good = [
    ['王小红', '女', '2014-03-08', nationalIdFor('2014-03-08', '022'), '测试村', '测试镇中学', '初一', '经济困难', '', '王建国', '是', '李秀英', '是', '张桂兰', '祖母'],
    ['李小刚', '男', '2017/9/1', '', '东山村', '测试镇小学', '三年级', '', '失学辍学', '李军', '否', '', '', '', ''],
  ];
  const bad = [
    ['赵小芳', '女', '2016-13-01', '', '测试村', '', '', '', '', '', '', '', '', '', ''],
    ['孙小龙', '男', '2015-05-05', '', '外区村', '', '', '', '', '', '', '', '', '', ''],
    ['周小雨', '女', '2015-05-05', nationalIdFor('2015-05-05', '044').slice(0, 17) + '0', '测试村', '', '', '', '', '', '', '', '', '', ''],
  ];

  it('imports nothing from a file with a bad row, and names each bad row and why', async () => {
    const report = await run(csvBytes([HEADER, ...good, ...bad]), 'csv');
    expect(report.applied).toBe(false);
    expect(report.counts).toMatchObject({ created: 0, updated: 0, rejected: 3 });
    expect(report.rows).toEqual([
      { row: 4, status: 'rejected', reason: '出生日期“2016-13-01”无法识别' },
      { row: 5, status: 'rejected', reason: '村“外区村”不在本次导入的辖区内' },
      { row: 6, status: 'rejected', reason: '身份证号无效' },
    ]);
    expect(await database.db.child.count()).toBe(1);
  });

  it('with partial, imports the good rows: encrypted ID, computed left-behind, parents, guardian and an audit entry each', async () => {
    const report = await run(csvBytes([HEADER, ...good, ...bad]), 'csv', { partial: true });
    expect(report.applied).toBe(true);
    expect(report.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 3 });
    expect(report.rows.map((row) => [row.row, row.status])).toEqual([
      [2, 'created'],
      [3, 'created'],
      [4, 'rejected'],
      [5, 'rejected'],
      [6, 'rejected'],
    ]);

    const [hong] = await childrenNamed('王小红');
    expect(hong).toMatchObject({ gender: 'female', birthDate: '2014-03-08', schoolStage: 'junior', leftBehind: true, nationalIdMasked: '8801**********' + nationalIdFor('2014-03-08', '022').slice(-4) });
    expect(database.cipher.open(hong!.nationalIdCipher!)).toBe(nationalIdFor('2014-03-08', '022'));
    expect(hong!.categories.map((c) => c.category).sort()).toEqual(['economic_hardship', 'left_behind']);
    expect(hong!.links.map((link) => [link.kind, link.relation, link.person.name, link.worksAway]).sort()).toEqual([
      ['guardian', '祖母', '张桂兰', null],
      ['parent', '母亲', '李秀英', true],
      ['parent', '父亲', '王建国', true],
    ]);
    const [gang] = await childrenNamed('李小刚');
    expect(gang).toMatchObject({ birthDate: '2017-09-01', schoolStage: 'primary', leftBehind: false, nationalIdCipher: null });
    expect(gang!.focusFlags.map((f) => f.flag)).toEqual(['dropout']);
    const east = await database.db.area.findUniqueOrThrow({ where: { code: '880101001002' } });
    expect(gang!.areaId).toBe(east.id);

    const audit = await database.db.auditLog.findMany({ where: { action: 'child.create' } });
    expect(audit.map((entry) => entry.subjectId).sort()).toEqual([String(hong!.id), String(gang!.id)].sort());
    expect(JSON.stringify(audit)).not.toContain(nationalIdFor('2014-03-08', '022'));
  });

  it('changes nothing when the same file is imported again, and updates what a corrected file changes', async () => {
    const file = csvBytes([HEADER, ...good]);
    expect((await run(file, 'csv')).counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 0 });
    const auditBefore = await database.db.auditLog.count();
    const again = await run(file, 'csv');
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(await database.db.child.count()).toBe(3);
    expect(await database.db.person.count({ where: { role: { in: ['parent', 'guardian'] } } })).toBe(4);
    expect(await database.db.auditLog.count()).toBe(auditBefore);

    const withoutIds = good.map((row) => row.map((cell, i) => (i === 3 ? '' : cell)));
    expect((await run(csvBytes([HEADER, ...withoutIds]), 'csv')).counts).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 0 });

    const corrected = good.map((row) => [...row]);
    corrected[0]![6] = '初二';
    const report = await run(csvBytes([HEADER, ...corrected]), 'csv');
    expect(report.counts).toEqual({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    expect((await childrenNamed('王小红'))[0]!.grade).toBe('初二');
  });

  it('reads an XLSX roster with real date cells and header variants, and rejects a child of another district by ID', async () => {
    const outsider = nationalIdFor('2013-02-02', '055');
    const outside = await database.db.area.findUniqueOrThrow({ where: { code: '880102001001' } });
    const sealed = database.cipher.seal(outsider);
    await database.db.child.create({ data: { name: '钱多多', birthDate: '2013-02-02', areaId: outside.id, nationalIdDigest: sealed.digest, nationalIdCipher: sealed.cipher } });

    const bytes = await xlsxBytes([
      ['儿童姓名', '性别', '出生日期', '公民身份号码', '村代码', '学段'],
      ['陈小乐', '男', new Date(Date.UTC(2015, 5, 1)), nationalIdFor('2015-06-01', '013'), '880101001001', '小学'],
      ['钱多多', '女', '2013-02-02', outsider, '880101001001', '初中'],
    ]);
    const report = await run(bytes, 'xlsx');
    expect(report.applied).toBe(false);
    expect(report.rows).toEqual([{ row: 3, status: 'rejected', reason: '该身份证号的儿童登记在本辖区以外' }]);

    const partial = await run(bytes, 'xlsx', { partial: true });
    expect(partial.counts).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 1 });
    expect((await childrenNamed('陈小乐'))[0]).toMatchObject({ birthDate: '2015-06-01', schoolStage: 'primary', areaId: village.villageId });
  });

  it('puts rows without a village into the importing village, and refuses a file without a name column', async () => {
    const report = await run(csvBytes([['姓名', '出生日期'], ['刘一', '2018年4月5日']]), 'csv', { area: '880101001001' });
    expect(report.counts.created).toBe(1);
    expect((await childrenNamed('刘一'))[0]).toMatchObject({ areaId: village.villageId, birthDate: '2018-04-05' });
    await expect(run(csvBytes([['名字', '出生日期'], ['刘二', '2018-04-05']]), 'csv')).rejects.toThrow('缺少“姓名”列');
  });
});
