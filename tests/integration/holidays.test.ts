import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { areaPath } from '../../src/domain/areaScope';
import { holidayPromptJob } from '../../src/jobs/holidayPrompt';
import { createLogger } from '../../src/log';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
/** Daily runs at 10:00 in Shanghai. The default winter vacation of 2027 starts on 2027-01-20. */
const RUN = (day: string) => SHANGHAI(`${day}T10:00:00`);
const LINKED_SINCE = SHANGHAI('2026-09-01T00:00:00');

describeEachEngine('holidays (寒暑假)', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: InboxProcessor;
  let clock: Date;

  const run = (now: Date) => holidayPromptJob.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });

  const child = async (name: string, birthDate: string, areaId = village.villageId) => (await database.db.child.create({ data: { name, birthDate, areaId } })).id;

  /** A parent with a bound WeChat (wxid-<name>), linked to children. */
  async function parent(name: string, childIds: number[], options: { worksAway?: boolean; chat?: boolean; areaId?: number } = {}) {
    const created = await database.db.person.create({ data: { name, role: 'parent', areaId: options.areaId ?? village.villageId } });
    for (const childId of childIds) {
      await database.db.childLink.create({ data: { childId, personId: created.id, kind: 'parent', worksAway: options.worksAway ?? true, startedAt: LINKED_SINCE } });
    }
    if (options.chat ?? true) {
      await database.db.chatIdentity.create({ data: { personId: created.id, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${name}`, lastSeenAt: LINKED_SINCE } });
    }
    return created.id;
  }

  /** Someone writes to the bot at a simulated time; the replies to them. */
  async function says(name: string, text: string, at: Date): Promise<string[]> {
    clock = at;
    const handled = await inbox.receive({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId: `wxid-${name}` }, text, receivedAt: at });
    return handled.replies.filter((reply) => reply.address === `wxid-${name}`).map((reply) => reply.text);
  }

  const textsTo = async (address: string) => (await database.db.outboxMessage.findMany({ where: { address }, orderBy: { id: 'asc' } })).map((message) => message.text);

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, LINKED_SINCE); // 测试区 → 测试镇 → 测试村, 张小明 (2016-05-01), director 李主任
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'wechaty', botAccount: 'village-a', externalId: 'wxid-李主任' } });
    clock = LINKED_SINCE;
    inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => clock });
  });
  afterEach(() => database.drop());

  describe('the prompt', () => {
    it('asks an away parent 14 days before the vacation (not 15), once, and keeps the plan on the default calendar', async () => {
      const zhang = await parent('张伟', [village.childId]);
      await parent('李娜', [village.childId], { worksAway: false });
      await parent('周勇', [village.childId], { chat: false });

      expect(await run(RUN('2027-01-05'))).toMatchObject({ asked: 0 });
      expect(await database.db.outboxMessage.count()).toBe(0);

      expect(await run(RUN('2027-01-06'))).toMatchObject({ parents: 1, asked: 1 });
      expect(await textsTo('wxid-张伟')).toEqual([
        [
          '张伟您好，张小明的寒假1月20日开始，2月20日结束。这个假期您打算怎么安排？请回复：',
          '· 回家 1月20日 —— 您哪天回家陪孩子',
          '· 接走 1月20日 —— 您哪天把孩子接到身边',
          '· 不能 —— 都做不到，村儿童主任会帮忙安排照护',
        ].join('\n'),
      ]);
      const message = await database.db.outboxMessage.findFirstOrThrow({ where: { address: 'wxid-张伟' } });
      expect(message.dedupeKey).toBe(`holiday-prompt:${zhang}:${village.childId}:2027-winter`);
      expect(message.createdAt).toEqual(RUN('2027-01-06'));

      // No area set its own dates: the defaults are stored once, on the top area of the path.
      const plans = await database.db.holidayPlan.findMany({ include: { calendar: true } });
      expect(plans).toHaveLength(1);
      expect(plans[0]).toMatchObject({ parentId: zhang, childId: village.childId, answer: null, askedAt: RUN('2027-01-06') });
      expect(plans[0]!.calendar).toMatchObject({ areaId: village.districtId, year: 2027, vacation: 'winter', startsOn: '2027-01-20', endsOn: '2027-02-20' });

      expect(await run(RUN('2027-01-06'))).toMatchObject({ asked: 0, alreadyAsked: 1 });
      expect(await run(RUN('2027-01-07'))).toMatchObject({ asked: 0, alreadyAsked: 1 });
      expect(await run(RUN('2027-01-19'))).toMatchObject({ asked: 0, alreadyAsked: 1 });
      expect(await run(RUN('2027-01-20'))).toMatchObject({ due: 0, asked: 0 });
      expect(await textsTo('wxid-张伟')).toHaveLength(1);
      expect(await database.db.holidayPlan.count()).toBe(1);
    });

    it('skips a parent who paused or stopped prompts without counting them asked: resumed before the vacation, they are asked', async () => {
      const zhang = await parent('张伟', [village.childId]);
      const liu = await parent('刘芳', [village.childId]);
      await database.db.person.update({ where: { id: zhang }, data: { promptsPausedUntil: RUN('2027-01-08') } });
      await database.db.person.update({ where: { id: liu }, data: { promptsPausedUntil: new Date('9999-12-31T00:00:00Z') } }); // 退订
      expect(await run(RUN('2027-01-06'))).toMatchObject({ asked: 0, paused: 2 });
      expect(await database.db.holidayPlan.count()).toBe(0);
      expect(await run(RUN('2027-01-08'))).toMatchObject({ asked: 1, paused: 1 }); // 张伟's pause ended this morning
      expect(await textsTo('wxid-张伟')).toHaveLength(1);
      expect(await textsTo('wxid-刘芳')).toEqual([]);
    });

    it('a re-run leaves the answered plan as it was', async () => {
      await parent('张伟', [village.childId]);
      expect(await run(RUN('2027-01-06'))).toMatchObject({ asked: 1 });
      expect(await says('张伟', '回家 1月22日', RUN('2027-01-06'))).toEqual([expect.stringMatching(/已记录/)]);
      await database.db.outboxMessage.deleteMany({ where: { dedupeKey: { not: null } } });
      expect(await run(RUN('2027-01-07'))).toMatchObject({ asked: 0, alreadyAsked: 1 });
      expect(await database.db.holidayPlan.findFirstOrThrow()).toMatchObject({ answer: 'coming_home', date: '2027-01-22', askedAt: RUN('2027-01-06') });
    });

    it('asks on the 12th day when the daily runs before were missed, and asks about the summer too', async () => {
      await parent('张伟', [village.childId]);
      expect(await run(RUN('2027-01-08'))).toMatchObject({ asked: 1 });
      expect(await run(RUN('2027-06-25'))).toMatchObject({ asked: 0 }); // 15 days before 07-10
      expect(await run(RUN('2027-06-26'))).toMatchObject({ asked: 1 });
      expect((await textsTo('wxid-张伟'))[1]).toMatch(/^张伟您好，张小明的暑假7月10日开始，8月31日结束。/);
    });

    it("uses the village's calendar over its township's, the township's over the defaults", async () => {
      const otherVillage = await database.db.area.create({
        data: { code: '880101001002', name: '邻村', level: 'village', parentId: village.townshipId, path: areaPath('/880101/880101001/', '880101001002') },
      });
      const neighbour = await child('刘小花', '2015-09-01', otherVillage.id);
      await parent('张伟', [village.childId]);
      await parent('刘芳', [neighbour], { areaId: otherVillage.id });
      await database.db.schoolCalendar.create({ data: { areaId: village.townshipId, year: 2027, vacation: 'winter', startsOn: '2027-01-15', endsOn: '2027-02-25' } });
      await database.db.schoolCalendar.create({ data: { areaId: village.villageId, year: 2027, vacation: 'winter', startsOn: '2027-01-25', endsOn: '2027-02-28' } });

      expect(await run(RUN('2027-01-01'))).toMatchObject({ asked: 1 }); // township: 14 days before 01-15
      expect(await textsTo('wxid-刘芳')).toEqual([expect.stringMatching(/^刘芳您好，刘小花的寒假1月15日开始，2月25日结束。/)]);
      expect(await run(RUN('2027-01-06'))).toMatchObject({ asked: 0 }); // the default 01-20 applies to nobody
      expect(await run(RUN('2027-01-10'))).toMatchObject({ asked: 0 });
      expect(await run(RUN('2027-01-11'))).toMatchObject({ asked: 1 }); // village: 14 days before 01-25
      expect(await textsTo('wxid-张伟')).toEqual([expect.stringMatching(/^张伟您好，张小明的寒假1月25日开始，2月28日结束。/)]);
      const calendars = await database.db.holidayPlan.findMany({ include: { calendar: true }, orderBy: { id: 'asc' } });
      expect(calendars.map((plan) => plan.calendar.areaId)).toEqual([village.townshipId, village.villageId]);
      expect(await database.db.schoolCalendar.count()).toBe(2); // no default row was needed
    });

    it('asks a parent of two children about each, naming the child in the examples', async () => {
      const sister = await child('张小红', '2018-03-01');
      await parent('张伟', [village.childId, sister]);
      expect(await run(RUN('2027-01-06'))).toMatchObject({ asked: 2 });
      const texts = await textsTo('wxid-张伟');
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain('· 回家 张小明 1月20日');
      expect(texts[1]).toContain('· 不能 张小红 ——');
    });
  });

  describe('answers and the director’s list', () => {
    const ASKED = RUN('2027-01-06');
    const LATER = RUN('2027-01-07');

    it('records 回家 and 接走 with their dates and 不能 (telling the director), and lists them all with 未回复', async () => {
      const sister = await child('张小红', '2018-03-01');
      const wangChild = await child('王小军', '2019-01-01');
      const zhaoChild = await child('赵小丽', '2020-01-01');
      await parent('张伟', [village.childId, sister]);
      await parent('王强', [wangChild]);
      await parent('赵刚', [zhaoChild]);
      await run(ASKED);

      expect(await says('张伟', '回家 1月25日', LATER)).toEqual(['您有2个孩子，请说明是哪一个：\n1. 张小明\n2. 张小红\n例如：回家 张小明 或 回家 1']);
      expect(await says('张伟', '回家 张小明 1月25日', LATER)).toEqual(['已记录：寒假您1月25日回家陪张小明。孩子一定很期待！']);
      expect(await says('张伟', '接走 2 2027-01-22', LATER)).toEqual(['已记录：寒假您1月22日把张小红接到身边。出发前请和监护人、学校说一声，路上注意安全。']);
      const directorBefore = (await textsTo('wxid-李主任')).length;
      expect(await says('王强', '不能 工地走不开', LATER)).toEqual(['已记录：这个寒假您不能回家，也不能接王小军。已请村儿童主任帮忙安排假期照护，有空多和孩子视频。']);
      expect((await textsTo('wxid-李主任')).slice(directorBefore)).toEqual(['【假期照护】王强回复：寒假（1月20日—2月20日）不能回家，也不能接走王小军。请联系监护人，安排好王小军假期的照护。']);
      // saying it again tells the director nothing new
      await says('王强', '不能', LATER);
      expect((await textsTo('wxid-李主任')).slice(directorBefore)).toHaveLength(1);

      const plans = await database.db.holidayPlan.findMany({ orderBy: { childId: 'asc' }, select: { childId: true, answer: true, date: true, answeredAt: true } });
      expect(plans).toEqual([
        { childId: village.childId, answer: 'coming_home', date: '2027-01-25', answeredAt: LATER },
        { childId: sister, answer: 'taking_child', date: '2027-01-22', answeredAt: LATER },
        { childId: wangChild, answer: 'cannot', date: null, answeredAt: LATER },
        { childId: zhaoChild, answer: null, date: null, answeredAt: null },
      ]);

      expect(await says('李主任', '假期', LATER)).toEqual([
        [
          '寒假（1月20日—2月20日）本村孩子的假期安排：',
          '· 张小明（张伟）：回家 1月25日',
          '· 张小红（张伟）：接走 1月22日',
          '· 王小军（王强）：不能（需安排照护）',
          '· 赵小丽（赵刚）：未回复',
          '回家1 · 接走1 · 不能1 · 未回复1',
        ].join('\n'),
      ]);
    });

    it('reads a free-text answer with a bare day as a day of the vacation, and a bare number as which child', async () => {
      const sister = await child('张小红', '2018-03-01');
      await parent('张伟', [village.childId, sister]);
      await run(ASKED);

      expect(await says('张伟', '28号我来接', LATER)).toEqual(['您有2个孩子，请说明是哪一个：\n1. 张小明\n2. 张小红\n例如：接走 张小明 或 接走 1']);
      expect(await says('张伟', '2', LATER)).toEqual(['已记录：寒假您1月28日把张小红接到身边。出发前请和监护人、学校说一声，路上注意安全。']);
      expect(await says('张伟', '不能', LATER)).toEqual(['您有2个孩子，请说明是哪一个：\n1. 张小明\n2. 张小红\n例如：不能 张小明 或 不能 1']);
      expect(await says('张伟', '第一个', LATER)).toEqual([expect.stringMatching(/^已记录：这个寒假您不能回家，也不能接张小明/)]);
      const plans = await database.db.holidayPlan.findMany({ orderBy: { childId: 'asc' }, select: { answer: true, date: true } });
      expect(plans).toEqual([
        { answer: 'cannot', date: null },
        { answer: 'taking_child', date: '2027-01-28' },
      ]);
    });

    it('reads the keyword’s date said in words — lunar days, festivals, days of next week — and a nickname for the child', async () => {
      const sister = await child('张小红', '2018-03-01');
      await parent('张伟', [village.childId, sister]);
      await run(ASKED);

      expect(await says('张伟', '回家 腊月二十六', LATER)).toEqual([expect.stringMatching(/^您有2个孩子，请说明是哪一个/)]);
      expect(await says('张伟', '回家 小明 腊月二十六', LATER)).toEqual([expect.stringMatching(/^已记录：寒假您2月2日回家陪张小明/)]);
      expect(await says('张伟', '接走 红红 除夕', LATER)).toEqual([expect.stringMatching(/^已记录：寒假您2月5日把张小红接到身边/)]);
      expect(await says('张伟', '接走 红红 下周六', LATER)).toEqual([expect.stringMatching(/^已记录：寒假您1月16日把张小红接到身边/)]);
      expect(await says('张伟', '回家 小明 中秋', LATER)).toEqual(['没有看懂日期“中秋”。请写成 1月25日、1-25 或 2027-01-25，例如：回家 1月25日']);
      const plans = await database.db.holidayPlan.findMany({ orderBy: { childId: 'asc' }, select: { answer: true, date: true } });
      expect(plans).toEqual([
        { answer: 'coming_home', date: '2027-02-02' },
        { answer: 'taking_child', date: '2027-01-16' },
      ]);
    });

    it('undoes a free-text holiday answer with 撤销, telling the director when a 不能 is taken back', async () => {
      await parent('张伟', [village.childId]);
      await run(ASKED);

      expect(await says('张伟', '25号回来', LATER)).toEqual(['已记录：寒假您1月25日回家陪张小明。孩子一定很期待！\n不对请回复“撤销”。']);
      expect(await says('张伟', '今年过年回不去了', LATER)).toEqual([expect.stringMatching(/^已记录：这个寒假您不能回家.*\n不对请回复“撤销”。$/s)]);
      const directorBefore = (await textsTo('wxid-李主任')).length;
      expect(await says('张伟', '撤销', LATER)).toEqual(['已撤销：张小明的这次假期回复。']);
      expect((await textsTo('wxid-李主任')).slice(directorBefore)).toEqual(['【假期照护】张伟撤回了“不能回家、不能接走张小明”的回复。']);
      expect(await database.db.holidayPlan.findFirstOrThrow({ select: { answer: true, date: true } })).toEqual({ answer: 'coming_home', date: '2027-01-25' });
      expect(await says('张伟', '撤销', LATER)).toEqual([expect.stringMatching(/^没有可以撤销的记录/)]);
    });

    it('lets a parent change an answer; changing to 不能 tells the director', async () => {
      await parent('张伟', [village.childId]);
      await run(ASKED);
      await says('张伟', '回家 1-25', LATER);
      expect(await textsTo('wxid-李主任')).toEqual([]);
      await says('张伟', '不能', RUN('2027-01-12'));
      expect(await textsTo('wxid-李主任')).toEqual([expect.stringMatching(/^【假期照护】张伟回复：寒假/)]);
      expect(await says('张伟', '接走 12月30日', RUN('2027-01-12'))).toEqual([expect.stringMatching(/^已记录：寒假您12月30日把张小明接到身边/)]);
      expect(await database.db.holidayPlan.findFirstOrThrow()).toMatchObject({ answer: 'taking_child', date: '2026-12-30' });
    });

    it('give a hint for a bad or missing date and record nothing', async () => {
      await parent('张伟', [village.childId]);
      await run(ASKED);
      const hint = (text: string) => `没有看懂日期“${text}”。请写成 1月25日、1-25 或 2027-01-25，例如：回家 1月25日`;
      expect(await says('张伟', '回家 1月32日', LATER)).toEqual([hint('1月32日')]);
      expect(await says('张伟', '回家 2月30号', LATER)).toEqual([hint('2月30号')]);
      expect(await says('张伟', '回家 过年前', LATER)).toEqual([hint('过年前')]);
      expect(await says('张伟', '接走 13-01', LATER)).toEqual(['没有看懂日期“13-01”。请写成 1月25日、1-25 或 2027-01-25，例如：接走 1月25日']);
      expect(await says('张伟', '回家', LATER)).toEqual(['请这样回复假期安排：回家 1月25日、接走 1月22日 或 不能；有几个孩子时加上名字，例如：回家 张小明 1月25日']);
      expect(await database.db.holidayPlan.findFirstOrThrow()).toMatchObject({ answer: null, answeredAt: null });
    });

    it('tell a parent with nothing to answer, and a director with nobody asked, so', async () => {
      await parent('张伟', [village.childId]);
      expect(await says('张伟', '回家 1月25日', LATER)).toEqual(['目前没有需要回复的假期安排。寒暑假开始前两周会询问您。']);
      expect(await says('李主任', '假期', LATER)).toEqual(['近期的寒暑假还没有询问过家长（假期开始前14天自动询问）。']);
      // after the vacation ends, its plans are no longer open
      await run(ASKED);
      expect(await says('张伟', '回家 2月1日', RUN('2027-02-21'))).toEqual(['目前没有需要回复的假期安排。寒暑假开始前两周会询问您。']);
    });

    it('do not take 假期 from a parent', async () => {
      await parent('张伟', [village.childId]);
      expect(await says('张伟', '假期', LATER)).toEqual(['“假期”不是家长可用的指令。发送“帮助”查看您可以做什么。']);
    });
  });
});
