import { catalog } from '../../src/texts/catalog';
import { caseOverdueJob } from '../../src/jobs/caseOverdue';
import { JOBS } from '../../src/jobs/jobRegistry';
import type { Severity } from '../../src/store/db/database';
import { fileReport } from '../../src/store/cases/reports';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const FILED = SHANGHAI('2026-11-28T09:00:00');
const HOUR = 3_600_000;
const later = (hours: number) => new Date(FILED.getTime() + hours * HOUR);

describeEachEngine('overdue cases (case-overdue)', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wechat: SimulatedWechat;

  const run = (hours: number) => wechat.run(caseOverdueJob, later(hours));
  const textsTo = (name: string) => wechat.promptsTo(name);

  async function person(name: string, role: 'director' | 'officer', areaId: number) {
    const created = await database.db.person.create({ data: { name, role, areaId } });
    await wechat.bind(created.id, name);
    return created.id;
  }

  /** A report on 张小明 filed by the director at FILED. */
  async function file(severity: Severity) {
    return database.db.$transaction(async (tx) => {
      const report = await fileReport(tx, {
        childId: village.childId,
        areaId: village.villageId,
        type: 'abuse_or_injury',
        severity,
        description: '脸上有伤',
        source: 'director',
        reporterId: village.directorId,
        now: FILED,
        timeZone: 'Asia/Shanghai',
      });
      // The case's clock is simulated here: its current step began when it was filed.
      await tx.report.update({ where: { id: report.id }, data: { stateSince: FILED } });
      return report;
    });
  }

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    wechat = new SimulatedWechat(database, engine, FILED);
    village = await createVillage(database.db, FILED); // 测试区 → 测试镇 → 测试村, 张小明 and 李主任
    await wechat.bind(village.directorId, '李主任');
    await person('周干事', 'officer', village.townshipId);
    const district = await database.db.area.findUniqueOrThrow({ where: { id: village.districtId } });
    const elsewhere = await database.db.area.create({ data: { code: '880101002', name: '北山镇', level: 'township', parentId: district.id, path: `${district.path}880101002/` } });
    await person('吴干事', 'officer', elsewhere.id);
    await person('区干事', 'officer', village.districtId);
  });
  afterEach(() => database.drop());

  it('is a registered hourly job', () => {
    expect(JOBS).toContain(caseOverdueJob);
    expect(caseOverdueJob.defaultSchedule).toBe('5 * * * *');
  });

  it('reminds the director once when a step is overdue, and the township officer once at twice its deadline', async () => {
    const { number, id } = await file('urgent'); // verify within 2 h
    expect(await run(1.9)).toMatchObject({ overdue: 0 });
    expect(await wechat.outboxSize()).toBe(0);

    expect(await run(2)).toMatchObject({ overdue: 1, directorsReminded: 1, townshipsTold: 0 });
    const reminder = catalog.caseOverdueForDirector(number, '张小明', '虐待或伤害', '紧急', '待核实', '11月28日 11:00');
    expect(await textsTo('李主任')).toEqual([reminder]);
    expect(await textsTo('周干事')).toEqual([]);
    // An urgent case's reminder does not wait out quiet hours.
    expect(await database.db.outboxMessage.findMany({ select: { urgent: true } })).toEqual([{ urgent: true }]);

    expect(await run(3.5)).toMatchObject({ overdue: 0 });
    expect(await run(4)).toMatchObject({ overdue: 1, directorsReminded: 0, townshipsTold: 1 });
    expect(await textsTo('周干事')).toEqual([catalog.caseOverdueForTownship(number, '测试村', '张小明', '虐待或伤害', '紧急', '待核实', '11月28日 11:00')]);
    expect(await textsTo('李主任')).toEqual([reminder]);
    expect(await textsTo('吴干事')).toEqual([]);
    expect(await textsTo('区干事')).toEqual([]);

    expect(await run(5)).toMatchObject({ overdue: 0 });
    expect(await wechat.outboxSize()).toBe(2);
    expect(await database.db.report.findUniqueOrThrow({ where: { id } })).toMatchObject({ escalations: 2 });
    expect(await database.db.auditLog.findMany({ where: { action: 'case.escalate' }, select: { actor: true, subjectId: true } })).toEqual([
      { actor: 'system', subjectId: String(id) },
      { actor: 'system', subjectId: String(id) },
    ]);
  });

  it('sends nothing twice when a run is repeated, even after the escalation count was lost', async () => {
    const { id } = await file('normal'); // verify within 3 days
    await run(72);
    await run(72);
    await run(144);
    await run(144);
    expect(await wechat.outboxSize()).toBe(2);
    // A run that queued its messages but whose bookkeeping was lost is repeated: the dedupe keys hold.
    await database.db.report.update({ where: { id }, data: { escalations: 0 } });
    expect(await run(145)).toMatchObject({ overdue: 1 });
    expect(await wechat.outboxSize()).toBe(2);
  });

  it('sends both at once when the job first runs past twice the deadline', async () => {
    await file('high'); // verify within 24 h
    expect(await run(48)).toMatchObject({ overdue: 1, directorsReminded: 1, townshipsTold: 1 });
    expect((await textsTo('李主任')).length).toBe(1);
    expect((await textsTo('周干事')).length).toBe(1);
  });

  it('tells nobody about a case that moved on, and starts afresh for its next step', async () => {
    const { number } = await file('urgent');
    expect(await wechat.says('李主任', `案件 ${number} 核实 已上门`, later(1))).toHaveLength(1);
    expect(await run(4)).toMatchObject({ overdue: 0 });
    expect(await textsTo('李主任')).toEqual([]);

    // Refer was due 24 h after verification: overdue, then twice overdue, from the new step's start.
    expect(await run(25)).toMatchObject({ overdue: 1, directorsReminded: 1 });
    expect(await textsTo('李主任')).toEqual([catalog.caseOverdueForDirector(number, '张小明', '虐待或伤害', '紧急', '已核实', '11月29日 10:00')]);
    await wechat.says('李主任', `案件 ${number} 转介 公安 已报警`, later(26));
    expect(await run(60)).toMatchObject({ overdue: 0 });
    expect(await textsTo('周干事')).toEqual([]);
  });

  it('tells the township at once when no director of the village can be reached', async () => {
    await database.db.chatIdentity.deleteMany({ where: { personId: village.directorId } });
    await file('urgent');
    expect(await run(2)).toMatchObject({ overdue: 1, directorsReminded: 0, townshipsTold: 1 });
    expect(await textsTo('周干事')).toHaveLength(1);
  });
});
