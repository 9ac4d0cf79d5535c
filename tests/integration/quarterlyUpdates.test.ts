import type { Job } from '../../src/jobs/job';
import { JOBS } from '../../src/jobs/jobRegistry';
import { quarterlyUpdateCloseJob, quarterlyUpdateStartJob } from '../../src/jobs/quarterlyUpdates';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const Q4_START = SHANGHAI('2026-10-01T09:00:00');
const Q4_CLOSE = SHANGHAI('2027-01-01T01:00:00');
const Q1_CLOSE = SHANGHAI('2027-04-01T01:00:00');
const REGISTERED = SHANGHAI('2026-08-01T00:00:00');

describeEachEngine('quarterly record updates', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wang: number;
  let liu: number;
  let chen: number;

  let wechat: SimulatedWechat;
  const run = (job: Job, now: Date) => wechat.run(job, now);
  const chat = (personId: number, name: string) => wechat.bind(personId, name);
  const says = (name: string, text: string, at: Date) => wechat.says(name, text, at);
  const textsTo = (name: string, where: { createdAt?: Date } = {}) => wechat.promptsTo(name, where);
  const outboxSize = () => wechat.outboxSize();
  const staleNames = async () =>
    (await database.db.child.findMany({ where: { recordStale: true }, orderBy: { id: 'asc' } })).map((child) => child.name);

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    wechat = new SimulatedWechat(database, engine, REGISTERED);
    village = await createVillage(database.db, REGISTERED); // 张小明 and 李主任 of 测试村
    await chat(village.directorId, '李主任');
    await database.db.child.update({ where: { id: village.childId }, data: { schoolName: '测试小学', grade: '四年级' } });
    wang = (await database.db.child.create({ data: { name: '王小红', birthDate: '2015-03-02', areaId: village.villageId, grade: '三年级' } })).id;
    liu = (await database.db.child.create({ data: { name: '刘小花', birthDate: '2017-07-07', areaId: village.villageId } })).id;
    const township = await database.db.area.findUniqueOrThrow({ where: { id: village.townshipId } });
    const other = await database.db.area.create({
      data: { code: '880101001002', name: '东湾村', level: 'village', parentId: township.id, path: `${township.path}880101001002/` },
    });
    const zhao = await database.db.person.create({ data: { name: '赵主任', role: 'director', areaId: other.id } });
    await chat(zhao.id, '赵主任');
    chen = (await database.db.child.create({ data: { name: '陈小军', birthDate: '2016-01-01', areaId: other.id } })).id;

  });
  afterEach(() => database.drop());

  it('are registered jobs with the documented default schedules', () => {
    expect(JOBS).toEqual(expect.arrayContaining([quarterlyUpdateStartJob, quarterlyUpdateCloseJob]));
    expect(quarterlyUpdateStartJob.defaultSchedule).toBe('0 9 1 1,4,7,10 *');
    expect(quarterlyUpdateCloseJob.defaultSchedule).toBe('0 1 1 1,4,7,10 *');
  });

  it("ask each director on the quarter's first day to confirm the village's records, once", async () => {
    expect(await run(quarterlyUpdateStartJob, Q4_START)).toMatchObject({ directors: 2, prompted: 2, childrenListed: 4 });
    expect(await textsTo('李主任')).toEqual([
      [
        '【档案季度更新】2026年第4季度请核对本村3名孩子的档案：',
        '1. 刘小花',
        '2. 王小红（三年级）',
        '3. 张小明（测试小学 四年级）',
        '没有变化请回复：更新 <孩子> 无变化',
        '有变化请回复：更新 <孩子> <字段> <新值>，字段可以是：学校、年级、健康、家庭、监护',
        '例如：更新 张小明 年级 四年级',
      ].join('\n'),
    ]);
    expect(await textsTo('赵主任')).toEqual([expect.stringContaining('请核对本村1名孩子的档案：\n1. 陈小军\n')]);

    const once = await outboxSize();
    expect(await run(quarterlyUpdateStartJob, Q4_START)).toMatchObject({ prompted: 0, alreadyQueued: 2 });
    expect(await outboxSize()).toBe(once);
  });

  it('record 更新 无变化 and a field change as confirmations with audit rows, and list only the rest', async () => {
    const at = SHANGHAI('2026-10-12T10:00:00');
    expect(await says('李主任', '更新 张小明 无变化', at)).toEqual(['已确认张小明的档案（2026年第4季度）：无变化。本季度还有2名孩子待确认。']);
    expect(await says('李主任', '更新 王小红 年级 四年级', at)).toEqual(['已更新王小红的档案：年级由“三年级”改为“四年级”。本季度还有1名孩子待确认。']);
    expect(await says('李主任', '更新 刘小花 健康 患哮喘 需随身带药', at)).toEqual(['已更新刘小花的档案：健康改为“患哮喘 需随身带药”。本村本季度档案已全部确认，谢谢！']);

    const confirmations = await database.db.recordConfirmation.findMany({ orderBy: { childId: 'asc' } });
    expect(confirmations.map(({ childId, quarter, confirmedById, confirmedAt, changes }) => ({ childId, quarter, confirmedById, confirmedAt, changes }))).toEqual([
      { childId: village.childId, quarter: '2026-Q4', confirmedById: village.directorId, confirmedAt: at, changes: null },
      { childId: wang, quarter: '2026-Q4', confirmedById: village.directorId, confirmedAt: at, changes: { field: 'grade', before: '三年级', after: '四年级' } },
      { childId: liu, quarter: '2026-Q4', confirmedById: village.directorId, confirmedAt: at, changes: { field: 'healthStatus', before: null, after: '患哮喘 需随身带药' } },
    ]);
    expect(await database.db.child.findUniqueOrThrow({ where: { id: wang } })).toMatchObject({ grade: '四年级', recordConfirmedAt: at, recordStale: false });
    expect((await database.db.child.findUniqueOrThrow({ where: { id: liu } })).healthStatus).toBe('患哮喘 需随身带药');
    const audit = await database.db.auditLog.findMany({ where: { subjectType: 'Child' }, orderBy: { id: 'asc' } });
    expect(audit.map(({ actor, action, subjectId, detail }) => ({ actor, action, subjectId, detail }))).toEqual([
      { actor: `person:${village.directorId}`, action: 'record.confirm', subjectId: String(village.childId), detail: { quarter: '2026-Q4', unchanged: true } },
      { actor: `person:${village.directorId}`, action: 'record.update', subjectId: String(wang), detail: { quarter: '2026-Q4', field: 'grade', before: '三年级', after: '四年级' } },
      { actor: `person:${village.directorId}`, action: 'record.update', subjectId: String(liu), detail: { quarter: '2026-Q4', field: 'healthStatus', before: null, after: '患哮喘 需随身带药' } },
    ]);

    // the quarter's list leaves out what is already confirmed: nothing to ask 李主任 about
    expect(await run(quarterlyUpdateStartJob, Q4_START)).toMatchObject({ prompted: 1 });
    expect(await textsTo('李主任')).toEqual([]);
  });

  it('keep the recorded change when 无变化 follows it in the same quarter', async () => {
    await says('李主任', '更新 王小红 学校 测试中学', SHANGHAI('2026-10-12T10:00:00'));
    await says('李主任', '更新 王小红 无变化', SHANGHAI('2026-11-12T10:00:00'));
    expect(await database.db.recordConfirmation.findMany()).toEqual([
      expect.objectContaining({ childId: wang, confirmedAt: SHANGHAI('2026-11-12T10:00:00'), changes: { field: 'schoolName', before: null, after: '测试中学' } }),
    ]);
  });

  it('mark the records not confirmed in the quarter stale, tell each director how many, and clear the mark on a later 更新', async () => {
    await run(quarterlyUpdateStartJob, Q4_START);
    await says('李主任', '更新 张小明 无变化', SHANGHAI('2026-10-12T10:00:00'));
    await says('李主任', '更新 王小红 年级 四年级', SHANGHAI('2026-12-31T23:00:00'));

    expect(await run(quarterlyUpdateCloseJob, Q4_CLOSE)).toMatchObject({ stale: 2, newlyStale: 2, villages: 2, notified: 2 });
    expect(await staleNames()).toEqual(['刘小花', '陈小军']);
    expect(await textsTo('李主任', { createdAt: Q4_CLOSE })).toEqual([
      '【档案待更新】2026年第4季度本村有1名孩子的档案没有确认，已标记为待更新。请回复：更新 <孩子> 无变化，或 更新 <孩子> <字段> <新值>。',
    ]);
    expect(await textsTo('赵主任', { createdAt: Q4_CLOSE })).toEqual([expect.stringContaining('本村有1名孩子的档案没有确认')]);

    const once = await outboxSize();
    expect(await run(quarterlyUpdateCloseJob, Q4_CLOSE)).toMatchObject({ stale: 2, newlyStale: 0, notified: 0, alreadyQueued: 2 });
    expect(await outboxSize()).toBe(once);

    const at = SHANGHAI('2027-01-05T10:00:00');
    expect(await says('李主任', '更新 刘小花 无变化', at)).toEqual([expect.stringMatching(/^已确认刘小花的档案（2027年第1季度）：无变化。/)]);
    expect(await staleNames()).toEqual(['陈小军']);
    expect(await database.db.recordConfirmation.findFirst({ where: { childId: liu } })).toMatchObject({ quarter: '2027-Q1' });
    expect(await database.db.child.findUniqueOrThrow({ where: { id: chen } })).toMatchObject({ recordStale: true, recordConfirmedAt: null });

    // the next quarter's close: all of 李主任's children but 刘小花 are unconfirmed in Q1
    expect(await run(quarterlyUpdateCloseJob, Q1_CLOSE)).toMatchObject({ stale: 3, newlyStale: 2 });
    expect(await staleNames()).toEqual(['张小明', '王小红', '陈小军']);
  });

  it('tell no director when every record of the quarter was confirmed', async () => {
    for (const name of ['张小明', '王小红', '刘小花']) await says('李主任', `更新 ${name} 无变化`, SHANGHAI('2026-11-01T10:00:00'));
    await says('赵主任', '更新 陈小军 无变化', SHANGHAI('2026-11-01T10:00:00'));
    const before = await outboxSize();
    expect(await run(quarterlyUpdateCloseJob, Q4_CLOSE)).toMatchObject({ stale: 0, notified: 0 });
    expect(await staleNames()).toEqual([]);
    expect(await outboxSize()).toBe(before);
  });

  it('refuse malformed updates, unknown fields and children of other villages, writing nothing', async () => {
    const at = SHANGHAI('2026-10-12T10:00:00');
    const usage = '请这样更新档案：更新 <孩子> 无变化，或 更新 <孩子> <字段> <新值>（字段：学校、年级、健康、家庭、监护），例如：更新 张小明 年级 四年级';
    expect(await says('李主任', '更新', at)).toEqual([usage]);
    expect(await says('李主任', '更新 张小明', at)).toEqual([usage]);
    expect(await says('李主任', '更新 张小明 身高 150', at)).toEqual([usage]);
    expect(await says('李主任', '更新 张小明 年级', at)).toEqual([usage]);
    expect(await says('李主任', `更新 张小明 年级 ${'一'.repeat(21)}`, at)).toEqual([usage]);
    expect(await says('李主任', '更新 陈小军 无变化', at)).toEqual(['本村没有名为“陈小军”的孩子。']);
    expect(await database.db.recordConfirmation.count()).toBe(0);
    expect(await database.db.auditLog.count()).toBe(0);
    expect(await database.db.child.findUniqueOrThrow({ where: { id: village.childId } })).toMatchObject({ grade: '四年级', recordConfirmedAt: null });
  });
});
