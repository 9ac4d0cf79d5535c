import { areaPath } from '../../src/domain/areaScope';
import { leftBehindAgeOutJob } from '../../src/jobs/leftBehindAgeOut';
import { ServiceMetrics } from '../../src/metrics';
import { createLogger } from '../../src/log';
import { startApiServer, tokenFor, type ApiTestServer } from '../support/adminApi';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const TZ = 'Asia/Shanghai';

/** The value of one sample in Prometheus text; 0 when absent. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describeEachEngine('the left-behind trend (the number the plan promises to bring down)', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let api: ApiTestServer;
  let now: Date;
  let officer: string;
  let father: number;
  let mother: number;

  const link = (personId: number, worksAway: boolean, at: Date, childId = village.childId) => {
    now = at;
    return api.call('POST', `/children/${childId}/links`, { token: officer, body: { personId, kind: 'parent', worksAway, hasGuardianshipCapacity: true } });
  };
  const trend = async (at: Date) => {
    now = at;
    const response = await api.call('GET', '/ledgers/left-behind-trend?area=880101&periods=2', { token: officer });
    expect(response.status).toBe(200);
    return (response.body.rows as Array<Record<string, unknown>>).filter((row) => row.village === '测试村');
  };

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    now = SHANGHAI('2026-08-10T10:00:00');
    village = await createVillage(database.db, now);
    father = (await database.db.person.create({ data: { name: '张父', role: 'parent', areaId: village.villageId } })).id;
    mother = (await database.db.person.create({ data: { name: '张母', role: 'parent', areaId: village.villageId } })).id;
    officer = await tokenFor(database.db, 'officer_district', '880101');
    api = await startApiServer(database, () => now);
  });
  afterEach(async () => {
    await api.stop();
    await database.drop();
  });

  it('counts a child out in the quarter a parent comes home, with that reason, in the ledger and in /metrics', async () => {
    // Q3: both parents go to work away: 张小明 becomes left-behind.
    expect((await link(father, true, SHANGHAI('2026-08-10T10:00:00'))).status).toBe(201);
    expect((await link(mother, true, SHANGHAI('2026-08-10T10:05:00'))).body).toMatchObject({ leftBehind: true });
    // Q4: the father comes home for good.
    expect((await link(father, false, SHANGHAI('2026-11-10T10:00:00'))).body).toMatchObject({ leftBehind: false });

    const rows = await trend(SHANGHAI('2026-11-30T10:00:00'));
    expect(rows).toEqual([
      expect.objectContaining({ quarter: '2026-Q3', atStart: 0, became: 1, became_parent_left: 1, stopped: 0, atEnd: 1, change: 1 }),
      expect.objectContaining({ quarter: '2026-Q4', atStart: 1, became: 0, stopped: 1, stopped_parent_returned: 1, stopped_came_of_age: 0, atEnd: 0, change: -1 }),
    ]);
    // Looked at from the next year, the past quarters still say what the register said then.
    expect((await trend(SHANGHAI('2027-01-15T10:00:00')))[0]).toEqual(expect.objectContaining({ quarter: '2026-Q4', atStart: 1, atEnd: 0, stopped_parent_returned: 1 }));

    const metrics = new ServiceMetrics(database.db, () => SHANGHAI('2026-12-01T10:00:00'), undefined, TZ);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'shouwang_left_behind_children', '{district="880101"}')).toBe(0);
    expect(sample(text, 'shouwang_left_behind_changes_quarter', '{district="880101",direction="stopped",reason="parent_returned"}')).toBe(1);
    // The Q3 change is not this quarter's.
    expect(text).not.toContain('reason="parent_left"');
  });

  it('counts a child out as come of age on the 16th birthday, once, by the daily job', async () => {
    const older = await database.db.child.create({ data: { name: '张大明', birthDate: '2010-12-01', areaId: village.villageId } });
    await link(father, true, SHANGHAI('2026-10-08T10:00:00'), older.id);
    expect((await link(mother, true, SHANGHAI('2026-10-08T10:00:00'), older.id)).body).toMatchObject({ leftBehind: true });

    const run = (at: Date) => leftBehindAgeOutJob.run({ db: database.db, engine, now: at, timeZone: TZ, logger: createLogger('silent') });
    expect(await run(SHANGHAI('2026-11-30T01:30:00'))).toEqual({ cameOfAge: 0 });
    expect(await run(SHANGHAI('2026-12-01T01:30:00'))).toEqual({ cameOfAge: 1 });
    expect(await run(SHANGHAI('2026-12-02T01:30:00'))).toEqual({ cameOfAge: 0 });

    const [q4] = (await trend(SHANGHAI('2026-12-02T10:00:00'))).slice(-1);
    expect(q4).toEqual(expect.objectContaining({ quarter: '2026-Q4', atStart: 0, became_parent_left: 1, stopped_came_of_age: 1, atEnd: 0 }));
  });

  it('moves a child out of one village’s count and into the other’s in the quarter it moved, with the reason', async () => {
    await database.db.area.create({
      data: { code: '880101001002', name: '东山村', level: 'village', parentId: village.townshipId, path: areaPath('/880101/880101001/', '880101001002') },
    });
    await link(father, true, SHANGHAI('2026-08-10T10:00:00'));
    await link(mother, true, SHANGHAI('2026-08-10T10:05:00'));
    now = SHANGHAI('2026-11-12T10:00:00');
    expect((await api.call('PATCH', `/children/${village.childId}`, { token: officer, body: { areaCode: '880101001002' } })).status).toBe(200);
    // Moving a child not counted records nothing.
    const other = await database.db.child.create({ data: { name: '王小花', birthDate: '2015-03-01', areaId: village.villageId } });
    expect((await api.call('PATCH', `/children/${other.id}`, { token: officer, body: { areaCode: '880101001002' } })).status).toBe(200);

    now = SHANGHAI('2026-11-30T10:00:00');
    const response = await api.call('GET', '/ledgers/left-behind-trend?area=880101&periods=2', { token: officer });
    const of = (name: string) => (response.body.rows as Array<Record<string, unknown>>).filter((row) => row.village === name);
    expect(of('测试村')).toEqual([
      expect.objectContaining({ quarter: '2026-Q3', atStart: 0, became_parent_left: 1, atEnd: 1 }),
      expect.objectContaining({ quarter: '2026-Q4', atStart: 1, stopped: 1, stopped_moved_out: 1, atEnd: 0, change: -1 }),
    ]);
    expect(of('东山村')).toEqual([
      expect.objectContaining({ quarter: '2026-Q3', atStart: 0, became: 0, atEnd: 0 }),
      expect.objectContaining({ quarter: '2026-Q4', atStart: 0, became: 1, became_moved_in: 1, atEnd: 1, change: 1 }),
    ]);
    // The district as a whole did not change.
    const total = (response.body.rows as Array<Record<string, unknown>>).filter((row) => row.quarter === '2026-Q4' && row.village === '测试区合计');
    expect(total).toEqual([expect.objectContaining({ atStart: 1, became: 1, stopped: 1, atEnd: 1, change: 0 })]);
    expect(await database.db.leftBehindChange.count({ where: { childId: other.id } })).toBe(0);
  });

  it('counts an archived child (left the area) out in the quarter it was archived, with that reason; earlier quarters keep it', async () => {
    await link(father, true, SHANGHAI('2026-08-10T10:00:00'));
    await link(mother, true, SHANGHAI('2026-08-10T10:05:00'));
    await database.db.child.update({ where: { id: village.childId }, data: { archivedAt: SHANGHAI('2026-11-20T10:00:00') } });

    expect(await trend(SHANGHAI('2026-11-30T10:00:00'))).toEqual([
      expect.objectContaining({ quarter: '2026-Q3', atStart: 0, became_parent_left: 1, atEnd: 1 }),
      expect.objectContaining({ quarter: '2026-Q4', atStart: 1, stopped: 1, stopped_archived: 1, atEnd: 0, change: -1 }),
    ]);
    // Seen from the next quarter, Q4 still shows it.
    expect((await trend(SHANGHAI('2027-01-15T10:00:00')))[0]).toEqual(expect.objectContaining({ quarter: '2026-Q4', atStart: 1, stopped_archived: 1, atEnd: 0 }));
    const metrics = new ServiceMetrics(database.db, () => SHANGHAI('2026-12-01T10:00:00'), undefined, TZ);
    expect(sample(await metrics.registry.metrics(), 'shouwang_left_behind_changes_quarter', '{district="880101",direction="stopped",reason="archived"}')).toBe(1);
  });
});
