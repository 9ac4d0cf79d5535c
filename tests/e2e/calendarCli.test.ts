import { runCli } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';
import { processBudget } from '../support/budgets';

// Every CLI run is a child process that opens (and migrates) the database; a test runs up to seven.
jest.setTimeout(processBudget({ runs: 7 }));

describeEachEngine('npm run cli -- calendar', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: database.dataKey.toString('hex') };
    village = await createVillage(database.db); // 测试区 880101 → 测试镇 880101001 → 测试村 880101001001
  });
  afterAll(() => database.drop());

  const set = (args: string[]) => runCli(['calendar', 'set', ...args], env);

  it('calendar set stores an area’s vacation, and a second set for the same year and vacation replaces it', async () => {
    const first = await set(['--area', '880101001', '--year', '2027', '--vacation', 'winter', '--from', '2027-01-15', '--to', '2027-02-25']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('Set 2027 winter vacation for 测试镇 (880101001): 2027-01-15 to 2027-02-25.\n');

    const again = await set(['--area', '880101001', '--year', '2027', '--vacation', 'winter', '--from', '2027-01-18', '--to', '2027-02-22']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('Updated 2027 winter vacation for 测试镇 (880101001): 2027-01-18 to 2027-02-22.\n');

    const rows = await database.db.schoolCalendar.findMany();
    expect(rows).toEqual([expect.objectContaining({ areaId: village.townshipId, year: 2027, vacation: 'winter', startsOn: '2027-01-18', endsOn: '2027-02-22' })]);
    expect(await database.db.auditLog.count({ where: { action: 'calendar.set', actor: 'cli' } })).toBe(2);
  });

  it('calendar list shows every calendar, or those on and under an area’s path, and the defaults', async () => {
    expect((await set(['--area', '880101001001', '--year', '2027', '--vacation', 'summer', '--from', '2027-07-05', '--to', '2027-08-30'])).code).toBe(0);
    expect((await set(['--area', '880101', '--year', '2027', '--vacation', 'summer', '--from', '2027-07-12', '--to', '2027-08-31'])).code).toBe(0);
    await database.db.area.create({ data: { code: '880102', name: '别的区', level: 'district', path: '/880102/' } });
    expect((await set(['--area', '880102', '--year', '2027', '--vacation', 'winter', '--from', '2027-01-10', '--to', '2027-02-10'])).code).toBe(0);

    const all = await runCli(['calendar', 'list'], env);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')).toEqual([
      '880101  测试区  2027 summer  2027-07-12 to 2027-08-31',
      '880101001  测试镇  2027 winter  2027-01-18 to 2027-02-22',
      '880101001001  测试村  2027 summer  2027-07-05 to 2027-08-30',
      '880102  别的区  2027 winter  2027-01-10 to 2027-02-10',
      "Defaults where no area on a village's path sets its own: winter 01-20 to 02-20, summer 07-10 to 08-31.",
      '',
    ]);

    const township = await runCli(['calendar', 'list', '--area', '880101001'], env);
    expect(township.code).toBe(0);
    expect(township.stdout).toContain('880101  测试区  2027 summer'); // above it: applies to it
    expect(township.stdout).toContain('880101001001  测试村  2027 summer'); // within it
    expect(township.stdout).not.toContain('别的区');
  });

  it('bad dates, dates in the wrong order, an unknown vacation or area are one line on stderr and exit code 2', async () => {
    const cases: Array<[string[], string]> = [
      [['--area', '880101', '--year', '2027', '--vacation', 'winter', '--from', '2027-02-30', '--to', '2027-03-01'], 'Option --from: is not a real calendar date.\n'],
      [['--area', '880101', '--year', '2027', '--vacation', 'winter', '--from', '2027/01/20', '--to', '2027-02-20'], 'Option --from: is not a date of the form YYYY-MM-DD.\n'],
      [['--area', '880101', '--year', '2027', '--vacation', 'winter', '--from', '2027-02-20', '--to', '2027-01-20'], 'Option --to: is before --from.\n'],
      [['--area', '880101', '--year', '2027', '--vacation', 'summer', '--from', '2026-07-10', '--to', '2026-08-31'], 'Option --from: is not in the vacation year (a winter vacation may start in the December before).\n'],
      [['--area', '880101', '--year', '2027', '--vacation', 'spring', '--from', '2027-04-01', '--to', '2027-04-05'], expect.stringMatching(/^Option --vacation: .*\n$/) as unknown as string],
      [['--area', '990199', '--year', '2027', '--vacation', 'winter', '--from', '2027-01-20', '--to', '2027-02-20'], 'No area has code 990199.\n'],
    ];
    for (const [args, stderr] of cases) {
      const result = await set(args);
      expect(result.stderr).toEqual(stderr);
      expect(result.code).toBe(2);
    }
    const list = await runCli(['calendar', 'list', '--area', '990199'], env);
    expect(list.stderr).toBe('No area has code 990199.\n');
    expect(list.code).toBe(2);
    expect(await database.db.schoolCalendar.count({ where: { area: { code: '990199' } } })).toBe(0);
  });
});
