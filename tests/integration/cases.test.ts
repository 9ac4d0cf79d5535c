import { randomUUID } from 'node:crypto';
import { catalog } from '../../src/texts/catalog';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { parseCaseDeadlines } from '../../src/domain/caseDeadlines';
import { DomainError } from '../../src/domain/DomainError';
import { findCase, openCasesInArea, type CaseActor } from '../../src/store/cases/cases';
import { moveCase } from '../../src/usecases/moveCase';
import { createLogger } from '../../src/log';
import type { ReportType, Severity } from '../../src/store/db/database';
import { fileReport } from '../../src/store/cases/reports';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const FILED = SHANGHAI('2026-11-28T09:00:00');
const HOUR = 3_600_000;
const later = (hours: number) => new Date(FILED.getTime() + hours * HOUR);

describeEachEngine('cases in chat (案件)', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wechat: SimulatedWechat;
  let people: Record<string, number>;
  let otherVillage: { id: number; path: string };
  let townshipPath: string;

  const says = (name: string, text: string, at: Date) => wechat.says(name, text, at);
  const steps = () => database.db.caseStep.count();
  const audits = () => database.db.auditLog.count({ where: { action: { startsWith: 'case.' } } });

  async function person(name: string, role: 'director' | 'officer' | 'parent' | 'guardian' | 'teacher', areaId: number, link?: 'parent' | 'guardian' | 'teacher') {
    const created = await database.db.person.create({ data: { name, role, areaId } });
    if (link) await database.db.childLink.create({ data: { childId: village.childId, personId: created.id, kind: link, worksAway: link === 'parent' ? true : null } });
    await wechat.bind(created.id, name);
    return created.id;
  }

  /** A report on 张小明 filed by the teacher 陈老师 at `at` (the store's filing, as every channel uses it). */
  async function file(type: ReportType, severity: Severity, description: string, at = FILED) {
    return database.db.$transaction(async (tx) => {
      const report = await fileReport(tx, {
        childId: village.childId,
        areaId: village.villageId,
        type,
        severity,
        description,
        source: 'teacher',
        reporterId: people['陈老师']!,
        now: at,
        timeZone: 'Asia/Shanghai',
      });
      // The case's clock is simulated here: its current step began when it was filed.
      await tx.report.update({ where: { id: report.id }, data: { stateSince: at } });
      return report;
    });
  }

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    wechat = new SimulatedWechat(database, engine, FILED);
    village = await createVillage(database.db, FILED); // 测试区 → 测试镇 → 测试村, 张小明 and 李主任
    await wechat.bind(village.directorId, '李主任');
    const township = await database.db.area.findUniqueOrThrow({ where: { id: village.townshipId } });
    townshipPath = township.path;
    otherVillage = await database.db.area.create({
      data: { code: '880101001002', name: '东湾村', level: 'village', parentId: township.id, path: `${township.path}880101001002/` },
      select: { id: true, path: true },
    });
    people = {
      李主任: village.directorId,
      赵主任: await person('赵主任', 'director', otherVillage.id),
      张伟: await person('张伟', 'parent', village.villageId, 'parent'),
      王奶奶: await person('王奶奶', 'guardian', village.villageId, 'guardian'),
      陈老师: await person('陈老师', 'teacher', village.villageId, 'teacher'),
      周干事: await person('周干事', 'officer', village.townshipId),
    };
  });
  afterEach(() => database.drop());

  it("lists the village's open cases with child, type, state and deadline, marking the overdue", async () => {
    const urgent = await file('abuse_or_injury', 'urgent', '脸上有伤，说是被打的');
    const normal = await file('dropout', 'normal', '连续一周没来上学', later(1));
    expect(await says('李主任', '案件', later(3))).toEqual([
      [
        '本村未结的个案（2件）：',
        `· ${urgent.number} 张小明｜虐待或伤害｜待核实｜期限 11月28日 11:00（已超期）`,
        `· ${normal.number} 张小明｜失学辍学｜待核实｜期限 12月1日 10:00`,
        '回复“案件 <编号>”查看处理经过。',
      ].join('\n'),
    ]);
    expect(await says('赵主任', '案件', later(3))).toEqual([catalog.casesNone]);
  });

  it('shows a case with its reporter and history, and moves it through the whole chain', async () => {
    const { number } = await file('living_hardship', 'high', '家里断粮');
    const [shown] = await says('李主任', `案件 ${number.toLowerCase()}`, later(1));
    expect(shown).toBe(
      [
        `个案 ${number}（较重）`,
        '孩子：张小明（测试村）',
        '类型：生活困难',
        '状态：待核实，期限 11月29日 09:00',
        '报告人：陈老师',
        '情况：家里断粮',
        '处理经过：',
        '· 11月28日 09:00 陈老师报告',
        `下一步可以：案件 ${number} 核实 [说明]；案件 ${number} 驳回 <说明>`,
      ].join('\n'),
    );

    expect(await says('李主任', `案件 ${number} 核实 已上门，情况属实`, later(2))).toEqual([`已核实个案 ${number}，现在已核实。请在 12月1日 11:00 前转介。`]);
    expect(await says('李主任', `案件 ${number} 转介 民政局 申请临时救助`, later(3))).toEqual([`已转介个案 ${number}，现在已转介。`]);
    expect(await says('李主任', `案件 ${number} 帮扶 已发放救助金`, later(30))).toEqual([`已帮扶个案 ${number}，现在帮扶中。`]);
    expect(await says('李主任', `案件 ${number} 结案 生活已有保障`, later(50))).toEqual([`已结案个案 ${number}，现在已结案。`]);
    expect(await says('李主任', `案件 ${number} 重开 家中再次断粮`, later(100))).toEqual([`已重开个案 ${number}，现在已核实。请在 12月5日 13:00 前转介。`]);

    const [history] = await says('李主任', `案件 ${number}`, later(101));
    expect(history).toContain(
      [
        '处理经过：',
        '· 11月28日 09:00 陈老师报告',
        '· 11月28日 11:00 李主任核实：已上门，情况属实',
        '· 11月28日 12:00 李主任转介（民政）：申请临时救助',
        '· 11月29日 15:00 李主任帮扶：已发放救助金',
        '· 11月30日 11:00 李主任结案：生活已有保障',
        '· 12月2日 13:00 李主任重开：家中再次断粮',
      ].join('\n'),
    );

    const report = await database.db.report.findUniqueOrThrow({ where: { number } });
    expect(report).toMatchObject({ state: 'verified', stateSince: later(100), dueAt: later(100 + 72), department: 'civil_affairs', closedAt: null, escalations: 0 });
    const recorded = await database.db.caseStep.findMany({ where: { reportId: report.id }, orderBy: { id: 'asc' } });
    expect(recorded.map((step) => [step.fromState, step.toState, step.actorId, step.department])).toEqual([
      [null, 'reported', people['陈老师'], null],
      ['reported', 'verified', people['李主任'], null],
      ['verified', 'referred', people['李主任'], 'civil_affairs'],
      ['referred', 'assisting', people['李主任'], null],
      ['assisting', 'closed', people['李主任'], null],
      ['closed', 'verified', people['李主任'], null],
    ]);
    const audit = await database.db.auditLog.findMany({ where: { subjectType: 'Report', subjectId: String(report.id) }, orderBy: { id: 'asc' } });
    expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
      ['case.file', `person:${people['陈老师']}`],
      ...['verify', 'refer', 'assist', 'close', 'reopen'].map((action) => [`case.${action}`, `person:${people['李主任']}`]),
    ]);
    expect(audit[2]!.detail).toEqual({
      before: { number, state: 'verified', dueAt: later(2 + 72).toISOString(), department: null },
      after: { number, state: 'referred', dueAt: null, department: 'civil_affairs' },
    });
  });

  it('says what may be done next when a step is refused, and writes nothing', async () => {
    const { number } = await file('dropout', 'normal', '连续一周没来上学');
    const before = [await steps(), await audits()];
    expect(await says('李主任', `案件 ${number} 结案 已返校`, later(1))).toEqual([
      `个案 ${number} 目前待核实，不能这样办理。现在可以：案件 ${number} 核实 [说明]；案件 ${number} 驳回 <说明>`,
    ]);
    expect(await says('李主任', `案件 ${number} 驳回`, later(1))).toEqual([`请写明说明：案件 ${number} 驳回 <说明>`]);
    await says('李主任', `案件 ${number} 核实`, later(2));
    expect(await says('李主任', `案件 ${number} 转介`, later(3))).toEqual([catalog.caseDepartmentUsage(number, null)]);
    expect(await says('李主任', `案件 ${number} 转介 居委会 请关注`, later(3))).toEqual([catalog.caseDepartmentUsage(number, '居委会')]);
    expect(await says('李主任', `案件 ${number} 表扬`, later(3))).toEqual([catalog.caseUnknownAction('表扬')]);
    expect(await says('李主任', '案件 第三个', later(3))).toEqual([catalog.caseBadNumber('第三个')]);
    expect(await says('李主任', 'case TV-2026-999999', later(3))).toEqual([catalog.caseNotFound('TV-2026-999999')]);
    expect(await says('李主任', '案件 TV-2026-999999', later(3))).toEqual([catalog.caseNotFound('TV-2026-999999')]);
    expect([await steps(), await audits()]).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  it("answers a director of another village as if the case did not exist, and writes nothing", async () => {
    const { number } = await file('abuse_or_injury', 'urgent', '脸上有伤');
    const before = [await steps(), await audits()];
    expect(await says('赵主任', `案件 ${number}`, later(1))).toEqual([catalog.caseNotFound(number)]);
    expect(await says('赵主任', `案件 ${number} 核实 已了解`, later(1))).toEqual([catalog.caseNotFound(number)]);
    expect(await says('赵主任', `案件 ${number} 驳回 不属实`, later(1))).toEqual([catalog.caseNotFound(number)]);
    expect([await steps(), await audits()]).toEqual(before);
    expect(await database.db.report.findUniqueOrThrow({ where: { number } })).toMatchObject({ state: 'reported' });
  });

  it('never lets a parent or guardian see cases or learn who filed one', async () => {
    const { number } = await file('abuse_or_injury', 'urgent', '脸上有伤');
    for (const name of ['张伟', '王奶奶']) {
      const role = name === '张伟' ? 'parent' : 'guardian';
      expect(await says(name, '案件', later(1))).toEqual([catalog.hintNotForRole('案件', role)]);
      expect(await says(name, `案件 ${number}`, later(1))).toEqual([catalog.hintNotForRole('案件', role)]);
    }
    await says('李主任', `案件 ${number} 核实 已上门`, later(1));
    await says('李主任', `案件 ${number} 转介 公安 已报警`, later(1.5));
    const family = await database.db.outboxMessage.findMany({ where: { address: { in: ['wxid-张伟', 'wxid-王奶奶'] } } });
    expect(family.length).toBeGreaterThan(0);
    expect(family.filter((message) => message.text.includes('陈老师') || message.text.includes(number))).toEqual([]);
  });

  it("keeps cases out of rooms, where the family may read along", async () => {
    const { number } = await file('abuse_or_injury', 'urgent', '脸上有伤');
    const inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => later(1) });
    for (const text of ['案件', `案件 ${number}`, `案件 ${number} 核实 已上门`]) {
      const result = await inbox.receive({
        channel: 'wechaty',
        botAccount: 'village-a',
        platformMessageId: randomUUID(),
        from: { externalId: 'wxid-李主任' },
        room: { externalId: 'room-张家', mentionsBot: true },
        text,
        receivedAt: later(1),
      });
      expect(result.replies.map((reply) => [reply.address, reply.text])).toEqual([['room-张家', catalog.casesPrivateOnly]]);
    }
    expect(await database.db.report.findUniqueOrThrow({ where: { number } })).toMatchObject({ state: 'reported' });
  });

  describe('through the store, for the admin API', () => {
    async function token(role: 'officer_township' | 'officer_district' | 'auditor' | 'director', areaId: number) {
      const area = await database.db.area.findUniqueOrThrow({ where: { id: areaId } });
      const created = await database.db.apiToken.create({ data: { tokenHash: `hash-${role}-${areaId}`, hint: 'sw_', role, areaId } });
      return { kind: 'token', tokenId: created.id, role, areaPath: area.path } as CaseActor;
    }

    it('lets an officer of the area move a case, recorded as the token, with the configured deadlines', async () => {
      const report = await file('missing_or_trafficked', 'urgent', '放学后没回家');
      const officer = await token('officer_township', village.townshipId);
      const deadlines = parseCaseDeadlines('urgent=1h/6h');
      const moved = await database.db.$transaction((tx) => moveCase(tx, { reportId: report.id, action: 'verify', note: '已联系派出所', actor: officer, now: later(1), deadlines }));
      expect(moved).toMatchObject({ id: report.id, number: report.number, from: 'reported', state: 'verified', dueAt: later(7), department: null });
      const step = await database.db.caseStep.findUniqueOrThrow({ where: { id: moved.stepId } });
      expect(step).toMatchObject({ actorId: null, actorLabel: `token:${officer.kind === 'token' ? officer.tokenId : 0}`, note: '已联系派出所', dueAt: later(7) });
      const entry = await database.db.auditLog.findFirstOrThrow({ where: { action: 'case.verify' } });
      expect(entry.actor).toBe(step.actorLabel);

      const seen = await database.db.$transaction((tx) => findCase(tx, { id: report.id }, officer, later(1)));
      expect(seen?.reporter).toEqual({ id: people['陈老师'], name: '陈老师' });
      expect(seen?.steps.map((s) => [s.toState, s.actor])).toEqual([
        ['reported', { kind: 'person', personId: people['陈老师'], name: '陈老师', role: 'teacher', words: '陈老师（帮扶教师）' }],
        ['verified', { kind: 'token', label: step.actorLabel, name: null, role: 'officer_township', words: '管理平台接口（乡镇工作人员，接口）' }],
      ]);
      expect(await database.db.$transaction((tx) => openCasesInArea(tx, townshipPath))).toMatchObject([{ number: report.number, state: 'verified', villageName: '测试村' }]);
    });

    it('lets an auditor read a case without its reporter, and move nothing', async () => {
      const report = await file('psychological', 'normal', '情绪低落');
      const auditor = await token('auditor', village.districtId);
      const seen = await database.db.$transaction((tx) => findCase(tx, { number: report.number }, auditor, later(1)));
      expect(seen).toMatchObject({ reporter: null, reporterVisible: false });
      expect(seen?.steps.map((s) => s.actor)).toEqual([{ kind: 'withheld', words: '（身份保密）' }]);
      const error = await database.db.$transaction((tx) => moveCase(tx, { reportId: report.id, action: 'verify', actor: auditor, now: later(1) })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('case_move_forbidden');
    });

    it('answers an officer or director outside the area as if the case did not exist', async () => {
      const report = await file('psychological', 'normal', '情绪低落');
      const district = await database.db.area.findUniqueOrThrow({ where: { id: village.districtId } });
      const elsewhere = await database.db.area.create({ data: { code: '880101002', name: '北山镇', level: 'township', parentId: district.id, path: `${district.path}880101002/` } });
      for (const actor of [await token('officer_township', elsewhere.id), await token('director', otherVillage.id)]) {
        const error = await database.db.$transaction((tx) => moveCase(tx, { reportId: report.id, action: 'verify', actor, now: later(1) })).catch((e: unknown) => e);
        expect((error as DomainError).code).toBe('case_not_found');
        // The one case reader answers null, which every door renders as "no such case".
        expect(await database.db.$transaction((tx) => findCase(tx, { id: report.id }, actor, later(1)))).toBeNull();
      }
      expect(await database.db.caseStep.count({ where: { reportId: report.id } })).toBe(1);
    });
  });
});
