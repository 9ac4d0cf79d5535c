import type { Channel, ChannelStatus, OutboundMessage } from '../../src/channel';
import type { Config } from '../../src/config';
import { areaPath } from '../../src/domain/areaScope';
import { Dispatcher } from '../../src/jobs/dispatcher';
import { parseQuietHours } from '../../src/domain/quietHours';
import { createLogger } from '../../src/log';
import { SimulatedWechat } from '../support/simulatedWechat';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

class RecordingChannel implements Channel {
  readonly delivered: Array<{ to: string; text: string }> = [];
  readonly name = 'wechaty';
  accounts(): string[] {
    return ['village-a'];
  }
  async send(message: OutboundMessage): Promise<void> {
    this.delivered.push({ to: message.address, text: message.text });
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): ChannelStatus {
    return { channel: this.name, accounts: [{ name: 'village-a', state: 'logged_in' }] };
  }
}

const NO_LIMITS: Config['sending'] = { intervalMs: 0, jitterMs: 0, dailyCap: 10_000, maxAttempts: 3, retryBaseMs: 1000 };
/** Friday 6 March 2026, 22:00 in Shanghai: quiet hours (21:30-08:00). */
const FRIDAY_2200 = new Date('2026-03-06T14:00:00.000Z');
const SATURDAY_0800 = new Date('2026-03-07T00:00:00.000Z');

/**
 * Who hears of a report, and when: a director (李主任) files, a second director of the village
 * (周主任), the township officer (镇民政员), the district's hotline person (热线) and the child's
 * parent (张伟) and guardian (王奶奶) are bound.
 */
describeEachEngine('alerts on a filed report', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let wechat: SimulatedWechat;
  let now: Date;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    now = FRIDAY_2200;
    wechat = new SimulatedWechat(database, engine, now);
    const township = await database.db.area.findUniqueOrThrow({ where: { id: village.townshipId } });
    const eastVillage = await database.db.area.create({
      data: { code: '880101001002', name: '东山村', level: 'village', parentId: township.id, path: areaPath(township.path, '880101001002') },
    });
    const otherDistrict = await database.db.area.create({ data: { code: '880102', name: '外区', level: 'district', path: areaPath(null, '880102') } });
    const people = [
      { name: '李主任', role: 'director', areaId: village.villageId },
      { name: '周主任', role: 'director', areaId: village.villageId },
      { name: '镇民政员', role: 'officer', areaId: village.townshipId },
      { name: '热线', role: 'hotline', areaId: village.districtId },
      { name: '张伟', role: 'parent', areaId: village.villageId },
      { name: '王奶奶', role: 'guardian', areaId: village.villageId },
      // Not of this village's alert: a director of the next village, the district's officer, another district's hotline.
      { name: '东山村主任', role: 'director', areaId: eastVillage.id },
      { name: '区民政员', role: 'officer', areaId: village.districtId },
      { name: '外区热线', role: 'hotline', areaId: otherDistrict.id },
    ] as const;
    for (const person of people) {
      const id =
        person.name === '李主任' ? village.directorId : (await database.db.person.create({ data: { name: person.name, role: person.role, areaId: person.areaId } })).id;
      await wechat.bind(id, person.name, now);
    }
  });
  afterEach(() => database.drop());

  const dispatcher = (channel: Channel) =>
    new Dispatcher({
      db: database.db,
      engine,
      channels: [channel],
      sending: NO_LIMITS,
      timeZone: 'Asia/Shanghai',
      instanceId: 'instance-1',
      logger: createLogger('silent'),
      clock: () => now,
      quietHours: parseQuietHours('21:30-08:00'),
    });

  it('sends an urgent report at once, in quiet hours, to the other director, the township officer and the hotline', async () => {
    // what handling the message queued: the alerts, then the answer to the reporter
    const reply = (await wechat.says('李主任', '报告 张小明 家暴 胳膊上有新的淤青', now)).at(-1);
    const { number } = await database.db.report.findFirstOrThrow();
    expect(reply).toBe(`已提交报告，编号 ${number}（紧急）。已立即通知乡镇工作人员和热线联络人。请及时核实处置，回复“案件 ${number}”查看。`);

    const wechatChannel = new RecordingChannel();
    await dispatcher(wechatChannel).runOnce();
    const to = (name: string) => wechatChannel.delivered.filter((message) => message.to === `wxid-${name}`).map((message) => message.text);
    const forStaff = [
      `【紧急报告】${number}`,
      '孩子：张小明',
      '类型：虐待或伤害（紧急）',
      '情况：胳膊上有新的淤青',
      '报告人：李主任（儿童主任）',
      `请立即核实处置（回复“案件 ${number}”查看）。`,
    ].join('\n');
    expect(to('周主任')).toEqual([forStaff]);
    expect(to('镇民政员')).toEqual([forStaff]);
    expect(to('热线')).toEqual([
      [`【紧急报告】${number}`, '孩子：张小明', '类型：虐待或伤害（紧急）', '情况：胳膊上有新的淤青', '地点：测试村', '请立即与测试村儿童主任联系跟进。'].join('\n'),
    ]);
    // The reporter hears the number, not an alert of their own report; the family hears nothing.
    expect(to('李主任')).toEqual([reply]);
    expect(to('张伟')).toEqual([]);
    expect(to('王奶奶')).toEqual([]);
    for (const outsider of ['东山村主任', '区民政员', '外区热线']) expect(to(outsider)).toEqual([]);
  });

  it('holds a normal report for the other director until quiet hours end, and tells the township and hotline nothing', async () => {
    await wechat.says('李主任', '报告 张小明 辍学 这学期一直没去学校', now);
    const { number } = await database.db.report.findFirstOrThrow();
    const wechatChannel = new RecordingChannel();
    const sender = dispatcher(wechatChannel);
    await sender.runOnce();
    expect(wechatChannel.delivered.map((message) => message.to)).toEqual(['wxid-李主任']);

    now = SATURDAY_0800;
    await sender.runOnce();
    expect(wechatChannel.delivered.slice(1)).toEqual([
      {
        to: 'wxid-周主任',
        text: [`【新报告】${number}`, '孩子：张小明', '类型：失学辍学（一般）', '情况：这学期一直没去学校', '报告人：李主任（儿童主任）', `请及时核实（回复“案件 ${number}”查看）。`].join('\n'),
      },
    ]);
  });

  it('tells both directors of a guardian’s 情况, held by quiet hours, and nobody else', async () => {
    const guardianId = (await database.db.person.findFirstOrThrow({ where: { name: '王奶奶' } })).id;
    await database.db.childLink.create({ data: { childId: village.childId, personId: guardianId, kind: 'guardian' } });
    await wechat.says('王奶奶', '情况 孩子这几天不愿意上学', now);
    const rows = await database.db.outboxMessage.findMany({ where: { inboxMessageId: { not: null } }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.address, row.urgent])).toEqual([
      ['wxid-李主任', false],
      ['wxid-周主任', false],
      ['wxid-王奶奶', true],
    ]);
  });

  it('marks 疑似 reports suspected and keeps the draft for 30 minutes only', async () => {
    await wechat.says('李主任', '报告', now);
    await wechat.says('李主任', '张小明', new Date(now.getTime() + 29 * 60_000));
    // 30 minutes after the last answer the draft is gone; the message is handled as usual.
    const later = new Date(now.getTime() + 59 * 60_000 + 1);
    expect(await wechat.says('李主任', '帮助', later)).toEqual([
      '您之前填写的报告超过30分钟没有继续，草稿已作废，需要时请重新发送“报告”。',
      expect.stringMatching(/^李主任您好，您是儿童主任。/),
    ]);
    expect(await database.db.chatDialog.count()).toBe(0);

    await wechat.says('李主任', '报告 张小明 意外 疑似溺水，已送医', later);
    expect(await database.db.report.findFirstOrThrow()).toMatchObject({ type: 'illness_or_accident', suspected: true, severity: 'normal' });
  });

  it('answers a malformed report with how to write it, and files nothing', async () => {
    expect(await wechat.says('李主任', '报告 张小明', now)).toEqual([expect.stringMatching(/^请这样报告：报告 <孩子> <类型> <描述>/)]);
    expect(await wechat.says('李主任', '报告 张小明 打架 和同学打架了', now)).toEqual([expect.stringMatching(/^看不懂类型“打架”。可以用的类型（回复名称或序号）：\n1\. 性侵害或怀孕\n2\. 虐待或伤害/)]);
    expect(await wechat.says('李主任', '报告 张小明 打骂 伤', now)).toEqual(['描述太短了，请多写几个字：发生了什么、什么时候、在哪里。']);
    expect(await wechat.says('李主任', '报告 李小红 打骂 脸上有伤', now)).toEqual(['本村没有名为“李小红”的孩子。']);
    expect(await database.db.report.count()).toBe(0);
    expect(await database.db.chatDialog.count()).toBe(0);
  });
});
