import { assessmentRoundCloseJob, assessmentRoundReminderJob, assessmentRoundStartJob } from '../../src/jobs/assessmentRounds';
import type { Job } from '../../src/jobs/job';
import { JOBS } from '../../src/jobs/jobRegistry';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
// September 2026: the 1st is a Tuesday, Mondays are the 7th, 14th, 21st and 28th, the 30th is the last day.
const ROUND_START = SHANGHAI('2026-09-01T09:00:00');
const MONDAY_7 = SHANGHAI('2026-09-07T09:30:00');
const MONDAY_14 = SHANGHAI('2026-09-14T09:30:00');
const CLOSE_29 = SHANGHAI('2026-09-29T20:00:00');
const CLOSE_30 = SHANGHAI('2026-09-30T20:00:00');
const REGISTERED = SHANGHAI('2026-08-01T00:00:00');

describeEachEngine('risk-assessment rounds', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;

  let wechat: SimulatedWechat;
  const run = (job: Job, now: Date) => wechat.run(job, now);
  const chat = (personId: number, name: string) => wechat.bind(personId, name);
  async function person(name: string, role: 'director' | 'officer' | 'parent', areaId: number, withChat = true) {
    const created = await database.db.person.create({ data: { name, role, areaId } });
    if (withChat) await chat(created.id, name);
    return created.id;
  }
  const child = async (name: string, areaId: number, birthDate = '2016-05-01') => (await database.db.child.create({ data: { name, birthDate, areaId } })).id;

  const says = (name: string, text: string, at: Date) => wechat.says(name, text, at);
  const textsTo = (name: string, where: { createdAt?: Date } = {}) => wechat.promptsTo(name, where);
  const outboxSize = () => wechat.outboxSize();

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    wechat = new SimulatedWechat(database, engine, REGISTERED);
    village = await createVillage(database.db, REGISTERED); // 测试区 → 测试镇 → 测试村, 张小明 and 李主任
    await chat(village.directorId, '李主任');
    await child('王小红', village.villageId, '2015-03-02');
    await child('刘小花', village.villageId, '2017-07-07');
    const gone = await child('赵小军', village.villageId);
    await database.db.child.update({ where: { id: gone }, data: { archivedAt: REGISTERED } });

    const township = await database.db.area.findUniqueOrThrow({ where: { id: village.townshipId } });
    const other = await database.db.area.create({
      data: { code: '880101001002', name: '东湾村', level: 'village', parentId: township.id, path: `${township.path}880101001002/` },
    });
    await person('赵主任', 'director', other.id);
    await child('陈小军', other.id);

    const district = await database.db.area.findUniqueOrThrow({ where: { id: village.districtId } });
    const otherTownship = await database.db.area.create({
      data: { code: '880101002', name: '北山镇', level: 'township', parentId: district.id, path: `${district.path}880101002/` },
    });
    await person('周干事', 'officer', village.townshipId);
    await person('吴干事', 'officer', otherTownship.id);
    await person('区干事', 'officer', village.districtId);

  });
  afterEach(() => database.drop());

  it('are registered jobs with the documented default schedules', () => {
    expect(JOBS).toEqual(expect.arrayContaining([assessmentRoundStartJob, assessmentRoundReminderJob, assessmentRoundCloseJob]));
    expect([assessmentRoundStartJob, assessmentRoundReminderJob, assessmentRoundCloseJob].map((job) => job.defaultSchedule)).toEqual([
      '0 9 1 3,9 *',
      '30 9 * 3,9 1',
      '0 20 * 3,9 *',
    ]);
  });

  it("send each director the village's children to assess on the 1st, once", async () => {
    expect(await run(assessmentRoundStartJob, ROUND_START)).toMatchObject({ directors: 2, prompted: 2, childrenListed: 4 });
    expect(await textsTo('李主任')).toEqual([
      [
        '【风险评估】2026年9月风险评估开始了，本村有3名孩子需要评估：',
        '刘小花、王小红、张小明',
        '请逐一回复：评估 <孩子> 低/中/高 [说明]，例如：评估 刘小花 低 学习生活正常',
        '本月底仍未评估的名单将报送乡镇。',
      ].join('\n'),
    ]);
    expect(await textsTo('赵主任')).toEqual([expect.stringContaining('本村有1名孩子需要评估：\n陈小军\n')]);

    const once = await outboxSize();
    expect(await run(assessmentRoundStartJob, ROUND_START)).toMatchObject({ prompted: 0, alreadyQueued: 2 });
    expect(await run(assessmentRoundStartJob, SHANGHAI('2026-09-02T10:00:00'))).toMatchObject({ prompted: 0, alreadyQueued: 2 });
    expect(await outboxSize()).toBe(once);
    expect(await run(assessmentRoundStartJob, SHANGHAI('2026-10-01T09:00:00'))).toEqual({ outsideRound: 1 });
    expect(await outboxSize()).toBe(once);
  });

  it('record 评估 for the round, with assessor, date, current level and audit row, and leave the child off the next list', async () => {
    await run(assessmentRoundStartJob, ROUND_START);
    const at = SHANGHAI('2026-09-03T15:00:00');
    expect(await says('李主任', '评估 张小明 低 学习生活正常', at)).toEqual(['已记录：张小明2026年9月风险评估为“低”。本轮还有2名孩子待评估。']);

    const assessments = await database.db.riskAssessment.findMany();
    expect(assessments).toEqual([
      expect.objectContaining({ childId: village.childId, assessorId: village.directorId, round: '2026-09', level: 'low', note: '学习生活正常', assessedAt: at }),
    ]);
    expect((await database.db.child.findUniqueOrThrow({ where: { id: village.childId } })).riskLevel).toBe('low');
    const audit = await database.db.auditLog.findMany({ where: { action: 'assessment.record' } });
    expect(audit).toEqual([
      expect.objectContaining({
        actor: `person:${village.directorId}`,
        subjectType: 'RiskAssessment',
        subjectId: String(assessments[0]!.id),
        detail: expect.objectContaining({ childId: village.childId, round: '2026-09', before: null, after: 'low' }),
      }),
    ]);

    // a second look in the same round replaces the assessment; the audit keeps both
    expect(await says('李主任', '评估 张小明 中风险', SHANGHAI('2026-09-04T15:00:00'))).toEqual([expect.stringContaining('风险评估为“中”')]);
    expect(await database.db.riskAssessment.findMany()).toEqual([expect.objectContaining({ level: 'medium', note: null })]);
    expect((await database.db.auditLog.findMany({ where: { action: 'assessment.record' }, orderBy: { id: 'asc' } })).map((row) => row.detail)).toEqual([
      expect.objectContaining({ before: null, after: 'low' }),
      expect.objectContaining({ before: 'low', after: 'medium' }),
    ]);

    await run(assessmentRoundReminderJob, MONDAY_7);
    expect(await textsTo('李主任', { createdAt: MONDAY_7 })).toEqual([
      ['【风险评估提醒】2026年9月风险评估还有2名孩子未完成：', '刘小花、王小红', '请回复：评估 <孩子> 低/中/高 [说明]，例如：评估 刘小花 中 情绪低落需关注'].join('\n'),
    ]);
  });

  it('count an assessment made in January for the September round', async () => {
    await says('李主任', '评估 刘小花 低', SHANGHAI('2027-01-10T10:00:00'));
    expect(await database.db.riskAssessment.findMany()).toEqual([expect.objectContaining({ round: '2026-09', level: 'low' })]);
  });

  it('remind weekly only the directors with children still unassessed, once a week, and only in the round month', async () => {
    await run(assessmentRoundStartJob, ROUND_START);
    await says('赵主任', '评估 陈小军 低', SHANGHAI('2026-09-02T10:00:00'));

    expect(await run(assessmentRoundReminderJob, MONDAY_7)).toMatchObject({ prompted: 1, childrenListed: 3 });
    expect(await textsTo('赵主任', { createdAt: MONDAY_7 })).toEqual([]);
    expect(await textsTo('李主任', { createdAt: MONDAY_7 })).toEqual([expect.stringContaining('还有3名孩子未完成')]);

    const once = await outboxSize();
    expect(await run(assessmentRoundReminderJob, MONDAY_7)).toMatchObject({ prompted: 0, alreadyQueued: 1 });
    expect(await outboxSize()).toBe(once);

    for (const name of ['张小明', '王小红']) await says('李主任', `评估 ${name} 低`, SHANGHAI('2026-09-10T10:00:00'));
    await run(assessmentRoundReminderJob, MONDAY_14);
    expect(await textsTo('李主任', { createdAt: MONDAY_14 })).toEqual([expect.stringContaining('还有1名孩子未完成：\n刘小花\n')]);

    await says('李主任', '评估 刘小花 中 最近情绪低落', SHANGHAI('2026-09-15T10:00:00'));
    const done = await outboxSize();
    expect(await run(assessmentRoundReminderJob, SHANGHAI('2026-09-21T09:30:00'))).toMatchObject({ prompted: 0 });
    expect(await run(assessmentRoundReminderJob, SHANGHAI('2026-10-05T09:30:00'))).toEqual({ outsideRound: 1 });
    expect(await outboxSize()).toBe(done);
  });

  it('send the unfinished ones to the township officer on the last day of the month only, once', async () => {
    await run(assessmentRoundStartJob, ROUND_START);
    await says('李主任', '评估 张小明 低', SHANGHAI('2026-09-10T10:00:00'));

    expect(await run(assessmentRoundCloseJob, CLOSE_29)).toEqual({ notClosingDay: 1 });
    expect(await textsTo('周干事')).toEqual([]);

    expect(await run(assessmentRoundCloseJob, CLOSE_30)).toMatchObject({ prompted: 1, childrenListed: 3, unassessed: 3 });
    expect(await textsTo('周干事')).toEqual([
      [
        '【风险评估未完成】2026年9月风险评估本月结束，本镇还有3名孩子未评估：',
        '· 测试村（李主任）：刘小花、王小红',
        '· 东湾村（赵主任）：陈小军',
        '请督促儿童主任尽快完成评估。',
      ].join('\n'),
    ]);
    expect(await textsTo('吴干事')).toEqual([]);
    expect(await textsTo('区干事')).toEqual([]);

    const once = await outboxSize();
    expect(await run(assessmentRoundCloseJob, CLOSE_30)).toMatchObject({ prompted: 0, alreadyQueued: 1 });
    expect(await run(assessmentRoundCloseJob, SHANGHAI('2026-09-30T23:00:00'))).toMatchObject({ prompted: 0 });
    expect(await outboxSize()).toBe(once);
  });

  it('send the township officer nothing when every child was assessed', async () => {
    for (const name of ['张小明', '王小红', '刘小花']) await says('李主任', `评估 ${name} 低`, SHANGHAI('2026-09-10T10:00:00'));
    await says('赵主任', '评估 陈小军 低', SHANGHAI('2026-09-10T10:00:00'));
    expect(await run(assessmentRoundCloseJob, CLOSE_30)).toMatchObject({ prompted: 0, unassessed: 0 });
    expect(await textsTo('周干事')).toEqual([]);
  });

  it('open a high-severity report for 高, filed by the director, and say its number', async () => {
    const at = SHANGHAI('2026-09-05T11:00:00');
    expect(await says('李主任', '评估 王小红 高 父亲服刑 母亲失联', at)).toEqual([
      '已记录：王小红2026年9月风险评估为“高”。本轮还有2名孩子待评估。\n已按高风险自动通报，编号 TV-2026-000001，请及时核实（回复“案件 TV-2026-000001”查看）。',
    ]);
    const wang = await database.db.child.findFirstOrThrow({ where: { name: '王小红' } });
    expect(wang.riskLevel).toBe('high');
    const reports = await database.db.report.findMany({ include: { steps: true } });
    expect(reports).toEqual([
      expect.objectContaining({
        number: 'TV-2026-000001',
        childId: wang.id,
        areaId: village.villageId,
        type: 'other',
        severity: 'high',
        state: 'reported',
        source: 'director',
        reporterId: village.directorId,
        reportedAt: at,
        description: '2026年9月风险评估：王小红为高风险。父亲服刑 母亲失联（儿童主任评估后自动通报）',
      }),
    ]);
    expect(reports[0]!.steps).toEqual([expect.objectContaining({ toState: 'reported', actorId: village.directorId })]);

    // correcting the note of the same 高 files nothing twice; a lower level files nothing
    expect(await says('李主任', '评估 王小红 高 补充：已联系民政', SHANGHAI('2026-09-06T11:00:00'))).toEqual([expect.not.stringContaining('自动通报')]);
    await says('李主任', '评估 张小明 中', SHANGHAI('2026-09-06T11:00:00'));
    expect(await database.db.report.count()).toBe(1);
  });

  it('know a child by given name, sound-alike or pinyin, but not by another family’s full name', async () => {
    const at = SHANGHAI('2026-09-05T11:00:00');
    expect(await says('李主任', '评估 小花 低', at)).toEqual([expect.stringMatching(/^已记录：刘小花2026年9月风险评估为“低”/)]);
    expect(await says('李主任', '评估 王晓红 中', at)).toEqual([expect.stringMatching(/^已记录：王小红2026年9月风险评估为“中”/)]);
    expect(await says('李主任', '评估 zxm 低', at)).toEqual([expect.stringMatching(/^已记录：张小明2026年9月风险评估为“低”/)]);
    expect(await says('李主任', '评估 李小红 低', at)).toEqual(['本村没有名为“李小红”的孩子。']);
    await child('王小花', village.villageId, '2018-01-01');
    expect(await says('李主任', '评估 小花 高', at)).toEqual(['“小花”可能是：刘小花、王小花。请写孩子的全名。']);
    expect(await database.db.riskAssessment.count()).toBe(3);
  });

  it('refuse what it cannot record, writing nothing', async () => {
    await database.db.child.create({ data: { name: '张小明', birthDate: '2019-01-20', areaId: village.villageId } });
    const parent = await person('张伟', 'parent', village.villageId);
    await database.db.childLink.create({ data: { childId: village.childId, personId: parent, kind: 'parent', worksAway: true } });
    const at = SHANGHAI('2026-09-05T11:00:00');

    expect(await says('李主任', '评估 张小明 低', at)).toEqual(['本村有2个名为“张小明”的孩子：\n1. 出生于2016-05-01\n2. 出生于2019-01-20\n聊天中暂时无法区分同名的孩子，请通过管理平台办理。']);
    expect(await says('李主任', '评估 陈小军 低', at)).toEqual(['本村没有名为“陈小军”的孩子。']);
    expect(await says('李主任', '评估 赵小军 低', at)).toEqual(['本村没有名为“赵小军”的孩子。']);
    const usage = '请这样记录：评估 <孩子> 低/中/高 [说明]，例如：评估 张小明 低 学习生活正常';
    expect(await says('李主任', '评估 王小红 很高', at)).toEqual([usage]);
    expect(await says('李主任', '评估 王小红', at)).toEqual([usage]);
    expect(await says('李主任', '评估', at)).toEqual([usage]);
    expect(await says('张伟', '评估 张小明 高', at)).toEqual(['“评估”不是家长可用的指令。发送“帮助”查看您可以做什么。']);

    expect(await database.db.riskAssessment.count()).toBe(0);
    expect(await database.db.report.count()).toBe(0);
    expect(await database.db.auditLog.count({ where: { action: 'assessment.record' } })).toBe(0);
  });
});
