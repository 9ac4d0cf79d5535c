import { referralOverdueJob } from '../../src/jobs/referralOverdue';
import { JOBS } from '../../src/jobs/jobRegistry';
import type { Department } from '../../src/domain/departments';
import { areaPath } from '../../src/domain/areaScope';
import { fileReport } from '../../src/store/cases/reports';
import { referralTexts } from '../../src/texts/referralTexts';
import { startApiServer, tokenFor, type ApiTestServer } from '../support/adminApi';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const START = SHANGHAI('2026-11-30T09:00:00');
const HOUR = 3_600_000;
const later = (hours: number) => new Date(START.getTime() + hours * HOUR);
const TZ = 'Asia/Shanghai';

describeEachEngine('referrals to departments', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wechat: SimulatedWechat;
  let api: ApiTestServer;
  let now: Date;
  /** Department tokens: education and police of the village's district, education of another district. */
  let education: string;
  let police: string;
  let elsewhereEducation: string;

  async function staff(name: string, areaId: number, department: Department | null) {
    const person = await database.db.person.create({ data: { name, role: 'officer', areaId, department } });
    await wechat.bind(person.id, name);
  }

  /** A report filed by the director, verified and referred in chat, as the director does it. */
  async function referInChat(type: 'dropout' | 'abuse_or_injury', departmentWord: string, request: string): Promise<string> {
    const { number } = await database.db.$transaction((tx) =>
      fileReport(tx, { childId: village.childId, areaId: village.villageId, type, severity: 'high', description: '连续两周未到校', source: 'director', reporterId: village.directorId, now: START, timeZone: TZ }),
    );
    await wechat.says('李主任', `案件 ${number} 核实 已上门核实`, START);
    const replies = await wechat.says('李主任', `案件 ${number} 转介 ${departmentWord} ${request}`, START);
    expect(replies.join('')).toContain('已转介');
    return number;
  }

  const referralOf = async (number: string) => (await database.db.referral.findFirstOrThrow({ where: { report: { number } } })).id;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    now = START;
    wechat = new SimulatedWechat(database, engine, START);
    village = await createVillage(database.db, START); // 测试区 880101 → 测试镇 → 测试村, 张小明 and 李主任
    await wechat.bind(village.directorId, '李主任');
    const other = await database.db.area.create({ data: { code: '880102', name: '邻区', level: 'district', path: areaPath(null, '880102'), casePrefix: 'LQ' } });
    await staff('教育局王老师', village.districtId, 'education');
    await staff('派出所刘警官', village.districtId, 'police');
    await staff('邻区教育局', other.id, 'education');
    await staff('周干事', village.townshipId, null);
    education = await tokenFor(database.db, 'department', '880101', 'education');
    police = await tokenFor(database.db, 'department', '880101', 'police');
    elsewhereEducation = await tokenFor(database.db, 'department', '880102', 'education');
    api = await startApiServer(database, () => now);
  });
  afterEach(async () => {
    await api.stop();
    await database.drop();
  });

  it('hands a dropout case to education, which sees only it, accepts, answers, and the director hears each step', async () => {
    const number = await referInChat('dropout', '教育', '请劝返复学');
    const other = await referInChat('abuse_or_injury', '公安', '请出警调查');
    const id = await referralOf(number);
    const dueAt = later(7 * 24);

    // The department's staff hear of it at once; nobody else does.
    expect(await wechat.promptsTo('教育局王老师')).toEqual([referralTexts.sent('education', number, '测试村', '请劝返复学', dueAt, TZ)]);
    expect(await wechat.promptsTo('邻区教育局')).toEqual([]);
    expect(await wechat.promptsTo('派出所刘警官')).toHaveLength(1);
    // Keyed, so the official channels can send it as a template outside their free-text window.
    const sent = await database.db.outboxMessage.findFirstOrThrow({ where: { address: 'wxid-教育局王老师' } });
    expect(sent).toMatchObject({ messageKey: 'referral.sent', params: { number, village: '测试村', department: '教育', due: '12月7日 09:00' } });

    // Education sees its referral: the child, what is asked, the director to contact; never the reporter.
    const list = await api.call('GET', '/referrals', { token: education });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const [item] = list.body.items;
    expect(item).toMatchObject({
      id,
      caseNumber: number,
      department: 'education',
      state: 'sent',
      request: '请劝返复学',
      dueAt: dueAt.toISOString(),
      child: { name: '张小明', village: '测试村' },
      directors: [{ name: '李主任', phone: null }],
    });
    expect(JSON.stringify(item)).not.toMatch(/reporter/i);
    // Reading a referral reads the child's details: it is audited, as a case read is.
    expect((await api.call('GET', `/referrals/${id}`, { token: education })).status).toBe(200);
    const reads = await database.db.auditLog.findMany({ where: { subjectType: 'Referral', action: { in: ['referral.list', 'referral.read'] } }, orderBy: { id: 'asc' } });
    expect(reads.map((read) => [read.action, read.subjectId])).toEqual([
      ['referral.list', String(id)],
      ['referral.read', String(id)],
    ]);

    // Nothing else: not the police's case, not the case itself, not the registry.
    const policeReferral = await referralOf(other);
    for (const path of [`/referrals/${policeReferral}`, `/cases/${number}`, '/cases', `/children/${village.childId}`, '/children', '/people', '/ledgers/cases', '/tokens']) {
      expect({ path, status: (await api.call('GET', path, { token: education })).status }).toEqual({ path, status: 404 });
    }
    // Police never see a case referred to education; another district's education staff neither.
    expect((await api.call('GET', `/referrals/${id}`, { token: police })).status).toBe(404);
    expect((await api.call('GET', `/referrals/${id}`, { token: elsewhereEducation })).status).toBe(404);
    expect((await api.call('POST', `/referrals/${id}/accept`, { token: elsewhereEducation, body: {} })).status).toBe(404);
    expect((await api.call('GET', '/referrals', { token: elsewhereEducation })).body.items).toEqual([]);

    // Answering before accepting is refused; accept, report progress, answer.
    now = later(2);
    expect((await api.call('POST', `/referrals/${id}/feedback`, { token: education, body: { note: '已复学' } })).body.error).toBe('referral_action_refused');
    expect((await api.call('POST', `/referrals/${id}/accept`, { token: education, body: {} })).body.state).toBe('accepted');
    now = later(24);
    expect((await api.call('POST', `/referrals/${id}/progress`, { token: education, body: { note: '已联系学校和家长' } })).status).toBe(200);
    now = later(48);
    const answered = await api.call('POST', `/referrals/${id}/feedback`, { token: education, body: { note: '孩子已返校复学' } });
    expect(answered.body).toMatchObject({ state: 'answered', feedback: '孩子已返校复学', answeredAt: later(48).toISOString() });

    expect(await wechat.promptsTo('李主任')).toEqual([
      referralTexts.accepted('education', number),
      referralTexts.progress('education', number, '已联系学校和家长'),
      referralTexts.answered('education', number, '孩子已返校复学'),
    ]);
    // Recorded as steps of the case, whose own state stays where the workflow put it.
    const report = await database.db.report.findUniqueOrThrow({ where: { number }, include: { steps: { orderBy: { id: 'asc' } } } });
    expect(report.state).toBe('referred');
    expect(report.steps.filter((s) => s.referralEvent !== null).map((s) => [s.referralEvent, s.note, s.fromState, s.toState])).toEqual([
      ['accepted', null, 'referred', 'referred'],
      ['progress', '已联系学校和家长', 'referred', 'referred'],
      ['answered', '孩子已返校复学', 'referred', 'referred'],
    ]);
    // The director reads the answer in the case's history, in chat and over the API.
    expect((await wechat.says('李主任', `案件 ${number}`, later(49))).join('\n')).toMatch(/反馈.*孩子已返校复学/);
    const director = await tokenFor(database.db, 'director', '880101001001');
    const detail = await api.call('GET', `/cases/${number}`, { token: director });
    expect(detail.body.steps.map((s: { referralEvent: string | null }) => s.referralEvent)).toEqual([null, null, null, 'accepted', 'progress', 'answered']);
    // Referral timeliness per department, for the district's officers (and its exports).
    const officer = await tokenFor(database.db, 'officer_district', '880101');
    const ledger = await api.call('GET', '/ledgers/referral-timeliness?area=880101', { token: officer });
    expect(ledger.body.rows).toEqual([
      { department: '教育', referred: 1, accepted: 1, answered: 1, answeredOnTime: 1, onTimeRate: 100, averageAnswerHours: 48, returned: 0, open: 0, openOverdue: 0 },
      { department: '公安', referred: 1, accepted: 0, answered: 0, answeredOnTime: 0, onTimeRate: null, averageAnswerHours: null, returned: 0, open: 1, openOverdue: 0 },
    ]);
    // An answered referral takes no further action.
    expect((await api.call('POST', `/referrals/${id}/return`, { token: education, body: { note: '误转' } })).status).toBe(422);
  });

  it('refers one case to several departments, each with its own referral, but not twice to one still owing its answer', async () => {
    const number = await referInChat('dropout', '教育', '请劝返复学');
    expect((await wechat.says('李主任', `案件 ${number} 转介 民政 申请临时救助`, later(1))).join('')).toContain('已转介');
    expect((await wechat.says('李主任', `案件 ${number} 转介 教育局 再次转介`, later(2))).join('')).toBe(`个案 ${number} 已转介教育部门，正在等待反馈，不必重复转介。`);
    const referrals = await database.db.referral.findMany({ where: { report: { number } }, orderBy: { id: 'asc' } });
    expect(referrals.map((r) => [r.department, r.state, r.request])).toEqual([
      ['education', 'sent', '请劝返复学'],
      ['civil_affairs', 'sent', '申请临时救助'],
    ]);
    const report = await database.db.report.findUniqueOrThrow({ where: { number }, include: { steps: { orderBy: { id: 'asc' } } } });
    expect(report.state).toBe('referred');
    // The refused one left no step on the case.
    expect(report.steps.map((s) => s.department)).toEqual([null, null, 'education', 'civil_affairs']);
  });

  it('lets a department hand a referral back with a reason, and tells the director', async () => {
    const number = await referInChat('dropout', '教育局', '请劝返复学');
    const id = await referralOf(number);
    expect((await api.call('POST', `/referrals/${id}/return`, { token: education, body: {} })).status).toBe(400);
    const returned = await api.call('POST', `/referrals/${id}/return`, { token: education, body: { note: '孩子已随父母转学外省' } });
    expect(returned.body).toMatchObject({ state: 'returned', returnReason: '孩子已随父母转学外省' });
    expect(await wechat.promptsTo('李主任')).toEqual([referralTexts.returned('education', number, '孩子已随父母转学外省')]);
  });

  it('reminds the department of an unanswered referral at its deadline, then tells the township at twice it', async () => {
    expect(JOBS).toContain(referralOverdueJob);
    const number = await referInChat('dropout', '教育', '请劝返复学');
    const dueAt = later(7 * 24);
    const run = (hours: number) => wechat.run(referralOverdueJob, later(hours));

    expect(await run(7 * 24 - 1)).toMatchObject({ overdue: 0 });
    expect(await run(7 * 24)).toMatchObject({ overdue: 1, departmentsReminded: 1, townshipsTold: 0 });
    expect((await wechat.promptsTo('教育局王老师')).slice(1)).toEqual([referralTexts.overdueForDepartment('education', number, dueAt, TZ)]);
    expect(await wechat.promptsTo('周干事')).toEqual([]);
    expect(await run(7 * 24 + 1)).toMatchObject({ overdue: 0 });

    expect(await run(14 * 24)).toMatchObject({ overdue: 1, townshipsTold: 1 });
    expect(await wechat.promptsTo('周干事')).toEqual([referralTexts.overdueForTownship('education', number, '测试村', dueAt, TZ)]);
    // Neither the police nor the other district's staff hear of it; a re-run sends nothing twice.
    expect(await wechat.promptsTo('派出所刘警官')).toEqual([]);
    expect(await wechat.promptsTo('邻区教育局')).toEqual([]);
    const size = await wechat.outboxSize();
    expect(await run(15 * 24)).toMatchObject({ overdue: 0 });
    expect(await wechat.outboxSize()).toBe(size);
  });

  it('gives the police three days on a mandatory report', async () => {
    const number = await referInChat('abuse_or_injury', '派出所', '请出警调查');
    expect((await database.db.referral.findFirstOrThrow({ where: { report: { number } } })).dueAt).toEqual(later(72));
  });
});
