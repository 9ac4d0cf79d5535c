import type { Channel, ChannelStatus, OutboundMessage } from '../../src/channel';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { agreementExpiryJob } from '../../src/jobs/agreementExpiry';
import { agreementMissingJob } from '../../src/jobs/agreementMissing';
import { Dispatcher } from '../../src/jobs/dispatcher';
import { JOBS } from '../../src/jobs/jobRegistry';
import { parseQuietHours } from '../../src/domain/quietHours';
import { createLogger } from '../../src/log';
import { childrenMissingAgreement, listAgreements } from '../../src/store/agreements/guardianshipAgreements';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const REGISTERED = SHANGHAI('2026-08-01T10:00:00');
/** Tuesday 1 September 2026, when the village assesses the grandmother. */
const ASSESSED = SHANGHAI('2026-09-01T10:00:00');
const MONDAY = (day: string) => SHANGHAI(`${day}T09:00:00`);

/** Collects what the dispatcher sends, as WeChat would deliver it. */
class RecordingWechat implements Channel {
  readonly delivered: OutboundMessage[] = [];
  readonly name = 'wechaty';
  accounts(): string[] {
    return ['village-a'];
  }
  async send(message: OutboundMessage): Promise<void> {
    this.delivered.push(message);
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): ChannelStatus {
    return { channel: this.name, accounts: [{ name: 'village-a', state: 'logged_in' }] };
  }
}

describeEachEngine('entrusted guardianship (委托)', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wechat: SimulatedWechat;
  let people: Record<'father' | 'mother' | 'grandma' | 'grandpa' | 'officer' | 'otherDirector' | 'teacher', number>;
  let otherVillageId: number;

  const says = (name: string, text: string, at: Date) => wechat.says(name, text, at);
  const promptsTo = (name: string, where: { createdAt?: Date } = {}) => wechat.promptsTo(name, where);
  const textsTo = async (name: string) =>
    (await database.db.outboxMessage.findMany({ where: { address: `wxid-${name}` }, orderBy: { id: 'asc' } })).map((message) => message.text);
  async function person(name: string, role: 'director' | 'officer' | 'guardian' | 'teacher', areaId: number) {
    const created = await database.db.person.create({ data: { name, role, areaId } });
    await wechat.bind(created.id, name);
    return created.id;
  }
  async function linked(name: string, role: 'parent' | 'guardian' | 'teacher', childId: number) {
    const { personId } = await invitePerson(database.db, { name, role, areaId: village.villageId, childId, linkKind: role, now: REGISTERED });
    await wechat.bind(personId, name);
    return personId;
  }
  const agreements = () => database.db.guardianshipAgreement.findMany({ orderBy: { id: 'asc' } });
  const audit = (action: string) => database.db.auditLog.findMany({ where: { action }, orderBy: { id: 'asc' } });

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    wechat = new SimulatedWechat(database, engine, REGISTERED);
    village = await createVillage(database.db, REGISTERED); // 测试区 → 测试镇 → 测试村, 张小明 (born 2016-05-01) and 李主任
    await wechat.bind(village.directorId, '李主任');
    people = {
      father: await linked('张伟', 'parent', village.childId),
      mother: await linked('王芳', 'parent', village.childId),
      grandma: await linked('张奶奶', 'guardian', village.childId),
      grandpa: await person('刘爷爷', 'guardian', village.villageId),
      teacher: await linked('陈老师', 'teacher', village.childId),
      officer: await person('周干事', 'officer', village.townshipId),
      otherDirector: 0,
    };
    const township = await database.db.area.findUniqueOrThrow({ where: { id: village.townshipId } });
    otherVillageId = (
      await database.db.area.create({ data: { code: '880101001002', name: '东湾村', level: 'village', parentId: township.id, path: `${township.path}880101001002/` } })
    ).id;
    people.otherDirector = await person('赵主任', 'director', otherVillageId);
  });
  afterEach(() => database.drop());

  it('are two registered jobs with the documented default schedules', () => {
    expect(JOBS).toEqual(expect.arrayContaining([agreementMissingJob, agreementExpiryJob]));
    expect([agreementMissingJob.defaultSchedule, agreementExpiryJob.defaultSchedule]).toEqual(['0 9 * * 1', '30 9 * * *']);
  });

  it('a director records an approved agreement with the assessment, the signing away parent and an audit row', async () => {
    expect(await says('李主任', '委托 张小明 张奶奶 祖母 68岁 健康良好 愿意 正常 至2027-08-31', ASSESSED)).toEqual([
      '已确认委托监护：张小明由张奶奶（祖母）监护，监护能力“正常”，有效期2026-09-01至2027-08-31。外出务工的家长须每周与孩子联系。',
    ]);
    const [agreement] = await agreements();
    expect(agreement).toEqual(
      expect.objectContaining({
        childId: village.childId,
        parentId: people.father,
        guardianId: people.grandma,
        status: 'approved',
        relation: '祖母',
        guardianAge: 68,
        guardianHealth: '健康良好',
        guardianWilling: true,
        capacityLevel: 'normal',
        weeklyContactDuty: true,
        requestedById: null,
        approvedById: village.directorId,
        approvedAt: ASSESSED,
        validFrom: '2026-09-01',
        validUntil: '2027-08-31',
      }),
    );
    expect(await audit('agreement.approve')).toEqual([
      expect.objectContaining({
        at: ASSESSED,
        actor: `person:${village.directorId}`,
        subjectType: 'GuardianshipAgreement',
        subjectId: String(agreement!.id),
        detail: { after: expect.objectContaining({ status: 'approved', childId: village.childId, guardianId: people.grandma, capacityLevel: 'normal', validUntil: '2027-08-31' }) },
      }),
    ]);

    // A guardian registered in the village but not the child's: approved with the defaults (愿意, 正常,
    // one year), linked to the child, and the grandmother's agreement ends: one guardian at a time.
    expect(await says('李主任', '委托 张小明 刘爷爷 祖父', SHANGHAI('2026-10-08T10:00:00'))).toEqual([
      '已确认委托监护：张小明由刘爷爷（祖父）监护，监护能力“正常”，有效期2026-10-08至2027-10-07。外出务工的家长须每周与孩子联系。',
    ]);
    expect((await agreements()).map((row) => [row.guardianId, row.status])).toEqual([
      [people.grandma, 'ended'],
      [people.grandpa, 'approved'],
    ]);
    expect(await database.db.childLink.findFirst({ where: { childId: village.childId, personId: people.grandpa } })).toEqual(
      expect.objectContaining({ kind: 'guardian', relation: '祖父', endedAt: null }),
    );
    expect((await audit('agreement.end')).map((row) => row.subjectId)).toEqual([String(agreement!.id)]);
    // Linking the approved guardian takes the one linking path (src/usecases/linkPerson.ts): its entry is child.link.
    expect((await audit('child.link')).map((row) => (row.detail as { after: { kind: string } }).after.kind)).toEqual(['guardian']);

    // what the admin API reads
    const township = await database.db.area.findUniqueOrThrow({ where: { id: village.townshipId } });
    const within = { path: township.path };
    expect((await listAgreements(database.db, { within, childId: village.childId, limit: 10 })).map((row) => [row.guardian.name, row.status])).toEqual([
      ['张奶奶', 'ended'],
      ['刘爷爷', 'approved'],
    ]);
    expect(await listAgreements(database.db, { within, status: 'approved', limit: 10 })).toEqual([
      expect.objectContaining({ child: { id: village.childId, name: '张小明', area: { code: '880101001001', name: '测试村' } }, parent: { id: people.father, name: '张伟' }, validUntil: '2027-10-07' }),
    ]);
  });

  it('a parent asks, the directors are told, and the director approves that request', async () => {
    const asked = SHANGHAI('2026-08-20T20:00:00');
    expect(await says('张伟', '委托 张奶奶 祖母', asked)).toEqual([
      '【委托监护申请】家长张伟申请委托张奶奶（祖母）监护张小明。请上门评估监护能力后回复，例如：委托 张小明 张奶奶 祖母 68岁 健康良好 愿意 正常',
      '已提交：委托张奶奶监护张小明。村儿童主任会评估张奶奶的监护能力，确认后会通知您。',
    ]);
    expect(await textsTo('李主任')).toEqual([expect.stringMatching(/^【委托监护申请】家长张伟/)]);
    expect(await agreements()).toEqual([expect.objectContaining({ status: 'pending', parentId: people.father, requestedById: people.father, guardianId: people.grandma, relation: '祖母' })]);
    expect(await says('张伟', '委托 张小明 张奶奶', asked)).toEqual(['您已申请委托张奶奶监护张小明，正在等待村儿童主任评估确认。']);

    // the relation comes from the request; the parent who asked is told
    expect(await says('李主任', '委托 张小明 张奶奶 68岁 身体健康 愿意 正常', ASSESSED)).toEqual([
      '您申请的委托监护已确认：张小明由张奶奶监护，有效期至2027-08-31。请每周至少与孩子联系一次。',
      expect.stringMatching(/^已确认委托监护：张小明由张奶奶（祖母）监护/),
    ]);
    const [agreement] = await agreements();
    expect(await agreements()).toHaveLength(1);
    expect(agreement).toEqual(expect.objectContaining({ status: 'approved', requestedById: people.father, approvedById: village.directorId, guardianAge: 68, relation: '祖母' }));
    expect((await audit('agreement.request')).map((row) => row.actor)).toEqual([`person:${people.father}`]);
    expect(await audit('agreement.approve')).toEqual([
      expect.objectContaining({ detail: { before: expect.objectContaining({ status: 'pending' }), after: expect.objectContaining({ status: 'approved' }) } }),
    ]);

    expect(await says('王芳', '委托 张奶奶', ASSESSED)).toEqual(['张小明委托张奶奶监护的确认书已经有效（至2027-08-31），不用再申请。']);
  });

  it('缺失 refuses the agreement and files an urgent 监护缺失 report that reaches the township officer at once, even at night', async () => {
    const night = SHANGHAI('2026-09-01T23:00:00');
    const reply =
      '委托未通过：监护能力评估为“缺失”，张奶奶不能作为张小明的受委托监护人。\n已按“监护缺失”紧急通报，编号 TV-2026-000001，乡镇工作人员已同时收到。请立即安排孩子的临时照护。';
    const alert = [
      '【紧急·监护缺失】TV-2026-000001',
      '孩子：张小明',
      '委托监护评估：张奶奶对张小明的监护能力为“缺失”（卧病在床），委托未通过，孩子缺少有效监护（儿童主任评估后自动通报）。',
      '请立即核实并安排临时照护（回复“案件 TV-2026-000001”查看）。',
    ].join('\n');
    // the township officer at once; the filing director has the number in the reply
    expect(await says('李主任', '委托 张小明 张奶奶 祖母 82岁 卧病在床 缺失', night)).toEqual([alert, reply]);
    expect(await agreements()).toEqual([expect.objectContaining({ status: 'rejected', capacityLevel: 'absent', approvedById: null, validUntil: null })]);
    const [report] = await database.db.report.findMany();
    expect(report).toEqual(
      expect.objectContaining({ number: 'TV-2026-000001', childId: village.childId, type: 'guardianship_gap', severity: 'urgent', source: 'director', reporterId: village.directorId }),
    );
    expect(await audit('report.file.guardianship_gap')).toEqual([expect.objectContaining({ detail: { after: { reportId: report!.id, number: 'TV-2026-000001' } } })]);
    expect(await audit('agreement.reject')).toHaveLength(1);
    // the family hears nothing of the report
    expect(await textsTo('张伟')).toEqual([]);

    const sent = new RecordingWechat();
    const dispatcher = new Dispatcher({
      db: database.db,
      engine,
      channels: [sent],
      sending: { intervalMs: 0, jitterMs: 0, dailyCap: 10_000, maxAttempts: 3, retryBaseMs: 1000 },
      timeZone: 'Asia/Shanghai',
      instanceId: 'instance-1',
      logger: createLogger('silent'),
      clock: () => night,
      quietHours: parseQuietHours('21:30-08:00'),
    });
    await dispatcher.runOnce();
    expect(sent.delivered.filter((message) => message.address === 'wxid-周干事').map((message) => message.text)).toEqual([alert]);
    expect(sent.delivered.filter((message) => message.address === 'wxid-李主任').map((message) => message.text)).toEqual([reply]);
    expect(sent.delivered.filter((message) => message.address === 'wxid-赵主任')).toEqual([]);
  });

  it('失当 refuses and files a high-severity report; 不足 approves with a follow-up; 不愿意 refuses', async () => {
    expect(await says('李主任', '委托 张小明 张奶奶 祖母 失当', ASSESSED)).toEqual([
      '委托未通过：监护能力评估为“失当”，张奶奶不能作为张小明的受委托监护人。\n已按“监护缺失”通报，编号 TV-2026-000001，请及时核实处置（回复“案件 TV-2026-000001”查看）。',
    ]);
    expect(await database.db.report.findMany()).toEqual([expect.objectContaining({ type: 'guardianship_gap', severity: 'high' })]);
    expect(await textsTo('周干事')).toEqual([]);

    expect(await says('李主任', '委托 张小明 刘爷爷 祖父 75岁 不愿意', ASSESSED)).toEqual([
      '委托未通过：监护人不愿意接受委托，刘爷爷不能作为张小明的受委托监护人。\n请与张小明的家长商量另选受委托监护人。',
    ]);
    expect(await says('李主任', '委托 张小明 刘爷爷 祖父 75岁 腿脚不便 不足', ASSESSED)).toEqual([
      '已确认委托监护：张小明由刘爷爷（祖父）监护，监护能力“不足”，有效期2026-09-01至2027-08-31。外出务工的家长须每周与孩子联系。\n刘爷爷的监护能力不足：请定期上门走访，指导监护人照料孩子，并督促家长多与孩子联系。',
    ]);
    expect((await agreements()).map((row) => [row.guardianId, row.status, row.capacityLevel])).toEqual([
      [people.grandma, 'rejected', 'improper'],
      [people.grandpa, 'rejected', 'normal'],
      [people.grandpa, 'approved', 'insufficient'],
    ]);
    expect(await database.db.report.count()).toBe(1);
  });

  it('a child whose parents both work away is listed weekly until an agreement is approved', async () => {
    // 王小红: one parent away, the other at home: no agreement needed
    const other = await database.db.child.create({ data: { name: '王小红', birthDate: '2015-03-02', areaId: village.villageId } });
    const away = await database.db.person.create({ data: { name: '王强', role: 'parent', areaId: village.villageId } });
    const home = await database.db.person.create({ data: { name: '李梅', role: 'parent', areaId: village.villageId } });
    await database.db.childLink.createMany({
      data: [
        { childId: other.id, personId: away.id, kind: 'parent', worksAway: true },
        { childId: other.id, personId: home.id, kind: 'parent', worksAway: false },
      ],
    });

    expect(await wechat.run(agreementMissingJob, MONDAY('2026-09-07'))).toMatchObject({ directors: 2, prompted: 1, childrenListed: 1 });
    expect(await promptsTo('李主任')).toEqual([
      [
        '【委托监护】本村有1名孩子父母都在外务工，还没有有效的委托监护确认书：',
        '张小明',
        '请与家长确定受委托监护人，上门评估后回复：委托 <孩子> <监护人> [关系] …，例如：委托 张小明 张奶奶 祖母 68岁 健康良好 愿意 正常',
      ].join('\n'),
    ]);
    expect(await promptsTo('赵主任')).toEqual([]);
    const township = await database.db.area.findUniqueOrThrow({ where: { id: village.townshipId } });
    expect(await childrenMissingAgreement(database.db, { areaPath: township.path }, '2026-09-07')).toEqual([
      { id: village.childId, name: '张小明', areaId: village.villageId, birthDate: '2016-05-01' },
    ]);

    const once = await wechat.outboxSize();
    expect(await wechat.run(agreementMissingJob, SHANGHAI('2026-09-08T09:00:00'))).toMatchObject({ prompted: 0, alreadyQueued: 1 });
    expect(await wechat.outboxSize()).toBe(once);

    expect(await wechat.run(agreementMissingJob, MONDAY('2026-09-14'))).toMatchObject({ prompted: 1 });
    await says('李主任', '委托 张小明 张奶奶 祖母', SHANGHAI('2026-09-15T10:00:00'));
    expect(await wechat.run(agreementMissingJob, MONDAY('2026-09-21'))).toMatchObject({ prompted: 0, childrenListed: 0 });
    expect(await promptsTo('李主任', { createdAt: MONDAY('2026-09-21') })).toEqual([]);
  });

  it('an agreement is reminded once 30 days before it ends, and ends after its last day', async () => {
    await says('李主任', '委托 张小明 张奶奶 祖母', ASSESSED); // valid to 2027-08-31
    const daily = (day: string) => wechat.run(agreementExpiryJob, SHANGHAI(`${day}T09:30:00`));

    expect(await daily('2027-07-31')).toEqual({ ended: 0, reminded: 0, notices: 0, unreachable: 0 });
    expect(await daily('2027-08-01')).toEqual({ ended: 0, reminded: 1, notices: 1, unreachable: 0 });
    expect(await promptsTo('李主任')).toEqual(['【委托监护到期提醒】张小明委托张奶奶监护的确认书2027-08-31到期。请与家长续签：重新评估后回复“委托 张小明 张奶奶 …”。']);
    expect(await daily('2027-08-02')).toMatchObject({ reminded: 0, notices: 0 });
    expect(await daily('2027-08-31')).toMatchObject({ ended: 0, reminded: 0 });
    const [reminded] = await agreements();
    expect(reminded).toEqual(expect.objectContaining({ status: 'approved', expiryRemindedAt: SHANGHAI('2027-08-01T09:30:00') }));
    expect(await audit('agreement.expiry_remind')).toHaveLength(1);
    expect(await childrenMissingAgreement(database.db, { villageIds: [village.villageId] }, '2027-08-31')).toEqual([]);

    expect(await daily('2027-09-01')).toEqual({ ended: 1, reminded: 0, notices: 1, unreachable: 0 });
    expect(await agreements()).toEqual([expect.objectContaining({ status: 'ended' })]);
    expect(await audit('agreement.end')).toEqual([
      expect.objectContaining({ actor: 'system', detail: { before: expect.objectContaining({ status: 'approved' }), after: expect.objectContaining({ status: 'ended', reason: 'expired' }) } }),
    ]);
    expect((await promptsTo('李主任')).at(-1)).toBe('【委托监护已到期】张小明委托张奶奶监护的确认书已于2027-08-31到期终止。请尽快与家长续签，或另选受委托监护人。');
    expect(await daily('2027-09-02')).toEqual({ ended: 0, reminded: 0, notices: 0, unreachable: 0 });

    expect(await wechat.run(agreementMissingJob, MONDAY('2027-09-06'))).toMatchObject({ prompted: 1, childrenListed: 1 });
  });

  it('a director of another village cannot record one, and bad input gets a clear reply with nothing written', async () => {
    expect(await says('赵主任', '委托 张小明 张奶奶 祖母', ASSESSED)).toEqual(['本村没有名为“张小明”的孩子。']);

    const usage = expect.stringMatching(/^请这样确认委托监护：委托 <孩子> <监护人>/);
    expect(await says('李主任', '委托', ASSESSED)).toEqual([usage]);
    expect(await says('李主任', '委托 张小明', ASSESSED)).toEqual([usage]);
    expect(await says('李主任', '委托 张小明 张奶奶 祖母 16岁', ASSESSED)).toEqual(['监护人只有16岁。受委托的监护人须年满18周岁，请另选成年人。']);
    expect(await says('李主任', '委托 张小明 张奶奶 祖母 至2026-08-01', ASSESSED)).toEqual([
      '有效期“至2026-08-01”已经过去了，请写一个今天以后的日期，或不写（默认一年）。',
    ]);
    expect(await says('李主任', '委托 张小明 张奶奶 至下个月', ASSESSED)).toEqual(['没有看懂有效期“至下个月”，请写成“至2027-08-31”。']);
    expect(await says('李主任', '委托 张小明 孙阿姨 邻居', ASSESSED)).toEqual([
      '本村还没有登记监护人“孙阿姨”。请先发送：邀请 监护人 孙阿姨 张小明\n对方绑定后，再发送“委托 张小明 孙阿姨 …”。',
    ]);
    // a parent is not a guardian
    expect(await says('李主任', '委托 张小明 张伟', ASSESSED)).toEqual([expect.stringMatching(/^本村还没有登记监护人“张伟”/)]);
    const inRoom = await new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent') }).receive({
      channel: 'wechaty',
      botAccount: 'village-a',
      platformMessageId: 'room-1',
      from: { externalId: 'wxid-李主任' },
      room: { externalId: 'room-zhang', mentionsBot: true },
      text: '委托 张小明 张奶奶 缺失',
      receivedAt: ASSESSED,
    });
    expect(inRoom.replies.map((reply) => [reply.address, reply.text])).toEqual([['room-zhang', '委托监护的评估请在私聊中发给我，不要发在群里。']]);
    expect(await says('陈老师', '委托 张小明 张奶奶', ASSESSED)).toEqual(['“委托”不是帮扶教师可用的指令。发送“帮助”查看您可以做什么。']);

    expect(await says('张伟', '委托', ASSESSED)).toEqual([expect.stringMatching(/^请这样申请委托监护：委托 <监护人> \[关系\]/)]);
    expect(await says('张伟', '委托 孙阿姨', ASSESSED)).toEqual([
      '村里还没有登记监护人“孙阿姨”。请联系村儿童主任，请他发送“邀请 监护人 孙阿姨 张小明”登记后，您再申请。',
    ]);

    expect(await database.db.guardianshipAgreement.count()).toBe(0);
    expect(await database.db.report.count()).toBe(0);
    expect(await database.db.auditLog.count()).toBe(0);
  });

  it('a parent of several children names the child; a parent at home cannot ask', async () => {
    const second = await database.db.child.create({ data: { name: '张小丽', birthDate: '2018-04-04', areaId: village.villageId } });
    await database.db.childLink.create({ data: { childId: second.id, personId: people.father, kind: 'parent', worksAway: true } });
    expect(await says('张伟', '委托 张奶奶 祖母', ASSESSED)).toEqual(['您有2个孩子，请写上孩子的名字：\n1. 张小明\n2. 张小丽\n例如：委托 张小明 <监护人> [关系]']);
    expect(await says('张伟', '委托 张小丽 张奶奶 祖母', ASSESSED)).toEqual([expect.stringMatching(/^【委托监护申请】家长张伟申请委托张奶奶（祖母）监护张小丽。/), expect.stringMatching(/^已提交：委托张奶奶监护张小丽/)]);
    expect(await agreements()).toEqual([expect.objectContaining({ childId: second.id, guardianId: people.grandma, status: 'pending' })]);

    await database.db.childLink.updateMany({ where: { personId: people.mother }, data: { worksAway: false } });
    expect((await says('王芳', '帮助', ASSESSED))[0]).toContain('· 委托 [孩子] <监护人> [关系] —— 申请委托监护，由村儿童主任评估确认，例如：委托 张奶奶 祖母');
    expect((await says('李主任', '帮助', ASSESSED))[0]).toContain('· 委托 <孩子> <监护人> [关系] [年龄] [健康] [愿意/不愿意] [正常/不足/失当/缺失] [至日期] —— 确认委托监护');
    expect(await says('王芳', '委托 张奶奶', ASSESSED)).toEqual(['委托监护由外出务工的家长申请。如果您已外出务工，请联系村儿童主任更新登记。']);
  });
});
