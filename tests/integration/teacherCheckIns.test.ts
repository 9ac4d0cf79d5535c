import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { parseCheckInReply } from '../../src/chat/commands/teacherCheckIn';
import type { Job } from '../../src/jobs/job';
import { teacherCheckInJob } from '../../src/jobs/teacherCheckIn';
import { teacherCheckInReminderJob } from '../../src/jobs/teacherCheckInReminder';
import { createLogger } from '../../src/log';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

// Asia/Shanghai (UTC+8), November 2026: W45 (odd) has Wednesday 11-04, W46 (even) 11-11, W47 11-18, W48 11-25.
const SHANGHAI = (local: string) => new Date(`${local}+08:00`);
const WEDNESDAY = {
  w45: SHANGHAI('2026-11-04T16:30:00'),
  w46: SHANGHAI('2026-11-11T16:30:00'),
  w47: SHANGHAI('2026-11-18T16:30:00'),
  w48: SHANGHAI('2026-11-25T16:30:00'),
};
const DAILY = {
  thursday: SHANGHAI('2026-11-12T16:30:00'),
  friday: SHANGHAI('2026-11-13T16:30:00'),
  saturday: SHANGHAI('2026-11-14T16:30:00'),
};
const LINKED_SINCE = SHANGHAI('2026-10-01T00:00:00');

const PROMPT = [
  '赵敏老师您好，又到定期交流的时候了。请回复您帮扶的孩子近两周的情况：',
  '1. 刘小花',
  '2. 张小明',
  '3. 王小军',
  '回复格式：序号 正常/关注/紧急 [说明]，可以一次发多行，例如：',
  '1 正常',
  '2 关注 情绪低落',
  '“正常”和“关注”的说明会转告孩子的家长；“紧急”只告知村儿童主任。',
].join('\n');

describeEachEngine('teacher check-ins', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: InboxProcessor;
  let clock: Date;
  let teacherId: number;
  let children: { liu: number; zhang: number; wang: number };

  const run = (job: Job, now: Date) => job.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });

  async function person(name: string, role: 'parent' | 'teacher', childIds: number[], options: { chat?: boolean } = {}) {
    const created = await database.db.person.create({ data: { name, role, areaId: village.villageId } });
    for (const childId of childIds) {
      await database.db.childLink.create({ data: { childId, personId: created.id, kind: role, worksAway: role === 'parent' ? true : null, startedAt: LINKED_SINCE } });
    }
    if (options.chat ?? true) {
      await database.db.chatIdentity.create({ data: { personId: created.id, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${name}`, boundAt: LINKED_SINCE, lastSeenAt: LINKED_SINCE } });
    }
    return created.id;
  }

  const child = async (name: string, birthDate: string) => (await database.db.child.create({ data: { name, birthDate, areaId: village.villageId } })).id;

  /** Someone writes to the bot at a simulated time; returns what the bot answered them. */
  async function says(name: string, text: string, at: Date): Promise<string[]> {
    clock = at;
    const result = await inbox.receive({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId: `wxid-${name}` }, text, receivedAt: at });
    return result.replies.filter((reply) => reply.address === `wxid-${name}`).map((reply) => reply.text);
  }

  const textsTo = async (address: string) => (await database.db.outboxMessage.findMany({ where: { address }, orderBy: { id: 'asc' } })).map((message) => message.text);
  const checkIns = async () =>
    (await database.db.teacherCheckIn.findMany({ orderBy: [{ round: 'asc' }, { position: 'asc' }], include: { child: { select: { name: true } } } })).map(
      ({ round, position, status, note, child: { name } }) => ({ round, position, child: name, status, note }),
    );

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, LINKED_SINCE); // 张小明 (born 2016-05-01) and 李主任, director of 测试村
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'wechaty', botAccount: 'village-a', externalId: 'wxid-李主任' } });
    children = { liu: await child('刘小花', '2015-09-01'), zhang: village.childId, wang: await child('王小军', '2017-01-01') };
    teacherId = await person('赵敏', 'teacher', [children.liu, children.zhang, children.wang]);
    await person('张伟', 'parent', [children.zhang]);
    await database.db.careRoom.create({ data: { childId: children.zhang, channel: 'wechaty', botAccount: 'village-a', externalId: 'room-张家@chatroom', boundById: village.directorId } });
    clock = LINKED_SINCE;
    inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => clock });
  });
  afterEach(() => database.drop());

  describe('the Wednesday prompt', () => {
    it("send each teacher one numbered list of their children, on even-week Wednesdays only, once per round", async () => {
      expect(await run(teacherCheckInJob, WEDNESDAY.w45)).toMatchObject({ offWeek: 1, prompted: 0 });
      expect(await database.db.outboxMessage.count()).toBe(0);

      expect(await run(teacherCheckInJob, WEDNESDAY.w46)).toMatchObject({ offWeek: 0, teachers: 1, prompted: 1, checkIns: 3 });
      expect(await textsTo('wxid-赵敏')).toEqual([PROMPT]);
      expect(await checkIns()).toEqual([
        { round: '2026-11-11', position: 1, child: '刘小花', status: 'pending', note: null },
        { round: '2026-11-11', position: 2, child: '张小明', status: 'pending', note: null },
        { round: '2026-11-11', position: 3, child: '王小军', status: 'pending', note: null },
      ]);
      const rows = await database.db.teacherCheckIn.findMany();
      expect(rows.every((row) => row.teacherId === teacherId && row.promptedAt.getTime() === WEDNESDAY.w46.getTime())).toBe(true);
      const outbox = await database.db.outboxMessage.findMany();
      expect(outbox.map((row) => row.dedupeKey)).toEqual([`teacher-checkin:${teacherId}:2026-11-11`]);

      // the same occurrence again, and a re-run the next day, write nothing
      expect(await run(teacherCheckInJob, WEDNESDAY.w46)).toMatchObject({ prompted: 0, alreadyPrompted: 1 });
      expect(await run(teacherCheckInJob, DAILY.thursday)).toMatchObject({ prompted: 0, alreadyPrompted: 1 });
      expect(await database.db.outboxMessage.count()).toBe(1);
      expect(await database.db.teacherCheckIn.count()).toBe(3);

      expect(await run(teacherCheckInJob, WEDNESDAY.w47)).toMatchObject({ offWeek: 1 });
      expect(await run(teacherCheckInJob, WEDNESDAY.w48)).toMatchObject({ prompted: 1, checkIns: 3 });
      expect(await textsTo('wxid-赵敏')).toEqual([PROMPT, PROMPT]);
      expect((await checkIns()).filter((row) => row.round === '2026-11-25')).toHaveLength(3);
    });

    it('list only children still in the registry and still assigned, and skip teachers without a bound chat', async () => {
      await database.db.child.update({ where: { id: children.wang }, data: { archivedAt: LINKED_SINCE } });
      await database.db.childLink.updateMany({ where: { personId: teacherId, childId: children.liu }, data: { endedAt: LINKED_SINCE } });
      await person('钱老师', 'teacher', [children.liu], { chat: false });

      expect(await run(teacherCheckInJob, WEDNESDAY.w46)).toMatchObject({ teachers: 1, prompted: 1, checkIns: 1 });
      expect(await textsTo('wxid-赵敏')).toEqual([expect.stringContaining('情况：\n1. 张小明\n回复格式')]);
      expect(await checkIns()).toEqual([{ round: '2026-11-11', position: 1, child: '张小明', status: 'pending', note: null }]);
    });
  });

  describe("the teacher's reply", () => {
    beforeEach(async () => {
      await run(teacherCheckInJob, WEDNESDAY.w46);
    });

    it('record several lines at once, and tell the parent only that the child needs care, never the 关注 note', async () => {
      const reply = await says('赵敏', '1 正常\n2、关注 情绪低落，上课走神。\n３ 正常 成绩进步了', SHANGHAI('2026-11-11T18:00:00'));
      expect(reply).toEqual([
        ['已记录3个孩子的情况：', '1. 刘小花：正常', '2. 张小明：需关注（情绪低落，上课走神），已告知儿童主任', '3. 王小军：正常（成绩进步了）'].join('\n'),
      ]);
      expect(await checkIns()).toEqual([
        { round: '2026-11-11', position: 1, child: '刘小花', status: 'normal', note: null },
        { round: '2026-11-11', position: 2, child: '张小明', status: 'concern', note: '情绪低落，上课走神' },
        { round: '2026-11-11', position: 3, child: '王小军', status: 'normal', note: '成绩进步了' },
      ]);
      const answered = await database.db.teacherCheckIn.findMany();
      expect(answered.every((row) => row.answeredAt?.getTime() === SHANGHAI('2026-11-11T18:00:00').getTime())).toBe(true);

      // The note may be about the family itself: the parent hears only that the child needs care,
      // the care room (where the guardian is) hears nothing of it, and 近况 does not show it either.
      const familyText = '赵敏老师反馈：张小明近期需要家人多关心，请多和孩子聊聊。';
      expect(await textsTo('wxid-张伟')).toEqual([familyText]);
      expect(await textsTo('room-张家@chatroom')).toEqual([]);
      expect(familyText).not.toMatch(/报告|通报|案件|编号|情绪低落/);
      const news = await says('张伟', '近况', SHANGHAI('2026-11-12T09:00:00'));
      expect(news[0]).toContain('赵敏老师：需关注');
      expect(news[0]).not.toContain('情绪低落');
    });

    it('file a normal-severity report for 关注 and tell the director', async () => {
      await says('赵敏', '2 关注 情绪低落', SHANGHAI('2026-11-11T18:00:00'));
      const reports = await database.db.report.findMany();
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ childId: children.zhang, severity: 'normal', type: 'other', source: 'teacher', reporterId: teacherId, state: 'reported' });
      expect(reports[0]!.description).toContain('情绪低落');
      const row = await database.db.teacherCheckIn.findFirstOrThrow({ where: { childId: children.zhang } });
      expect(row.reportId).toBe(reports[0]!.id);

      const toDirector = await database.db.outboxMessage.findMany({ where: { address: 'wxid-李主任' } });
      expect(toDirector.map((message) => message.text)).toEqual([
        `【教师反馈·需关注】${reports[0]!.number}\n孩子：张小明\n帮扶教师赵敏：情绪低落\n请及时核实（回复“案件 ${reports[0]!.number}”查看）。`,
      ]);
      expect(toDirector[0]!.urgent).toBe(false);
    });

    it('file an urgent report for 紧急, tell the director at once, and tell the family nothing', async () => {
      const reply = await says('赵敏', '2 紧急 身上有多处伤痕', SHANGHAI('2026-11-11T22:00:00'));
      expect(reply[0]).toMatch(/^已记录1个孩子的情况：\n2\. 张小明：紧急（身上有多处伤痕），已告知儿童主任/);

      const reports = await database.db.report.findMany();
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ childId: children.zhang, severity: 'urgent', source: 'teacher', reporterId: teacherId });
      const toDirector = await database.db.outboxMessage.findMany({ where: { address: 'wxid-李主任' } });
      expect(toDirector).toHaveLength(1);
      expect(toDirector[0]).toMatchObject({ urgent: true });
      expect(toDirector[0]!.text).toMatch(/^【紧急】TV-2026-\d{6}\n孩子：张小明\n帮扶教师赵敏报告紧急情况：身上有多处伤痕/);
      expect(await textsTo('wxid-张伟')).toEqual([]);
      expect(await textsTo('room-张家@chatroom')).toEqual([]);
      // Nor does the parent find it by asking for the latest news.
      const news = await says('张伟', '近况', SHANGHAI('2026-11-12T09:00:00'));
      expect(news).toEqual(['张小明的近况：\n暂无新的记录。']);
    });

    it('record the good lines and name each bad one: no number, unknown status word, number not in the list', async () => {
      const reply = await says('赵敏', '1 正常\n第二个 正常\n2 很好\n7 关注 不认识的孩子\n0 正常', SHANGHAI('2026-11-11T18:00:00'));
      expect(reply).toEqual([
        [
          '已记录1个孩子的情况：',
          '1. 刘小花：正常',
          '',
          '以下4行没有记录：',
          '· “第二个 正常”：请以名单上的序号开头，例如：1 正常',
          '· “2 很好”：看不懂“很好”，请写“正常”“关注”或“紧急”',
          '· “7 关注 不认识的孩子”：名单里没有第7号（本次共3个孩子）',
          '· “0 正常”：名单里没有第0号（本次共3个孩子）',
          '',
          '还没有回复（2个）：',
          '2. 张小明',
          '3. 王小军',
        ].join('\n'),
      ]);
      expect((await checkIns()).map((row) => row.status)).toEqual(['normal', 'pending', 'pending']);
      expect(await database.db.report.count()).toBe(0);
    });

    it('answer a reply with no good line with the format, and a line without a status with a hint', async () => {
      const reply = await says('赵敏', '2', SHANGHAI('2026-11-11T18:00:00'));
      expect(reply).toEqual([
        ['以下1行没有记录：', '· “2”：缺少情况，请写“正常”“关注”或“紧急”', '', '请按“序号 正常/关注/紧急 [说明]”回复，可以一次发多行，例如：\n1 正常\n2 关注 情绪低落'].join('\n'),
      ]);
      expect((await checkIns()).map((row) => row.status)).toEqual(['pending', 'pending', 'pending']);
    });

    it('let the teacher correct an answer: the same line again changes nothing, 关注 then 紧急 escalates', async () => {
      await says('赵敏', '2 正常', SHANGHAI('2026-11-11T18:00:00'));
      await says('赵敏', '2 正常', SHANGHAI('2026-11-11T18:05:00'));
      expect(await textsTo('wxid-张伟')).toEqual(['赵敏老师反馈：张小明近期情况正常。']);

      await says('赵敏', '2 关注 情绪低落', SHANGHAI('2026-11-11T19:00:00'));
      await says('赵敏', '2 关注 情绪低落', SHANGHAI('2026-11-11T19:05:00'));
      expect(await database.db.report.count()).toBe(1);
      expect(await textsTo('wxid-张伟')).toHaveLength(2);

      await says('赵敏', '2 紧急 今天没来上学，联系不上家人', SHANGHAI('2026-11-11T20:00:00'));
      const reports = await database.db.report.findMany({ orderBy: { id: 'asc' } });
      expect(reports.map((report) => report.severity)).toEqual(['normal', 'urgent']);
      const row = await database.db.teacherCheckIn.findFirstOrThrow({ where: { childId: children.zhang } });
      expect(row).toMatchObject({ status: 'urgent', note: '今天没来上学，联系不上家人', reportId: reports[1]!.id });
      expect(await textsTo('wxid-张伟')).toHaveLength(2);
    });

    it("match the reply against the teacher's latest round", async () => {
      await says('赵敏', '1 正常', SHANGHAI('2026-11-11T18:00:00'));
      await run(teacherCheckInJob, WEDNESDAY.w48);
      await says('赵敏', '2 正常', SHANGHAI('2026-11-25T18:00:00'));
      expect((await checkIns()).map((row) => `${row.round}#${row.position}:${row.status}`)).toEqual([
        '2026-11-11#1:normal',
        '2026-11-11#2:pending',
        '2026-11-11#3:pending',
        '2026-11-25#1:pending',
        '2026-11-25#2:normal',
        '2026-11-25#3:pending',
      ]);
    });

    it('leave messages starting with a digit alone for other roles, and tell a teacher with no list', async () => {
      expect(await says('张伟', '1 正常', SHANGHAI('2026-11-11T18:00:00'))).toEqual([expect.stringMatching(/^没有完全看懂。家长最常用的是/)]);
      await person('孙老师', 'teacher', [children.zhang]);
      expect(await says('孙老师', '1 正常', SHANGHAI('2026-11-11T18:00:00'))).toEqual([
        '目前没有需要回复的定期交流名单。名单发出后，请按“序号 正常/关注/紧急 [说明]”回复。',
      ]);
      expect((await checkIns()).map((row) => row.status)).toEqual(['pending', 'pending', 'pending']);
    });
  });

  describe('the reminder', () => {
    it('remind a teacher once, two days after the prompt, of the children still unanswered', async () => {
      await run(teacherCheckInJob, WEDNESDAY.w46);
      await says('赵敏', '1 正常', SHANGHAI('2026-11-12T09:00:00'));

      expect(await run(teacherCheckInReminderJob, WEDNESDAY.w46)).toMatchObject({ reminded: 0 });
      expect(await run(teacherCheckInReminderJob, DAILY.thursday)).toMatchObject({ reminded: 0 });
      expect(await run(teacherCheckInReminderJob, DAILY.friday)).toMatchObject({ teachers: 1, reminded: 1, checkIns: 2 });
      expect(await run(teacherCheckInReminderJob, DAILY.friday)).toMatchObject({ reminded: 0 });
      expect(await run(teacherCheckInReminderJob, DAILY.saturday)).toMatchObject({ reminded: 0 });

      const reminders = await database.db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: 'teacher-checkin-reminder:' } } });
      expect(reminders.map((message) => [message.address, message.dedupeKey])).toEqual([['wxid-赵敏', `teacher-checkin-reminder:${teacherId}:2026-11-11`]]);
      expect(reminders.map((message) => message.text)).toEqual([
        ['赵敏老师您好，定期交流还有2个孩子没有回复：', '2. 张小明', '3. 王小军', '请回复：序号 正常/关注/紧急 [说明]，例如：2 正常'].join('\n'),
      ]);
      const rows = await database.db.teacherCheckIn.findMany({ orderBy: { position: 'asc' } });
      expect(rows.map((row) => row.remindedAt?.toISOString() ?? null)).toEqual([null, DAILY.friday.toISOString(), DAILY.friday.toISOString()]);
    });

    it('remind nobody when every check-in is answered', async () => {
      await run(teacherCheckInJob, WEDNESDAY.w46);
      await says('赵敏', '1 正常\n2 正常\n3 正常', SHANGHAI('2026-11-11T18:00:00'));
      expect(await run(teacherCheckInReminderJob, DAILY.friday)).toMatchObject({ teachers: 0, reminded: 0 });
    });
  });

  it('parse replies: separators, full-width digits, semicolons', () => {
    expect(parseCheckInReply('1.正常；2：关注情绪低落\n\n３、紧急 …')).toEqual([
      { kind: 'answer', line: '1.正常', position: 1, status: 'normal', note: null },
      { kind: 'answer', line: '2：关注情绪低落', position: 2, status: 'concern', note: '情绪低落' },
      { kind: 'answer', line: '3、紧急 …', position: 3, status: 'urgent', note: '…' },
    ]);
    expect(parseCheckInReply('好的 正常')).toEqual([{ kind: 'bad_number', line: '好的 正常' }]);
    expect(parseCheckInReply('1正常2正常 3、关注 考了100分4紧急 说有人摸她')).toEqual([
      { kind: 'answer', line: '1正常', position: 1, status: 'normal', note: null },
      { kind: 'answer', line: '2正常', position: 2, status: 'normal', note: null },
      { kind: 'answer', line: '3、关注 考了100分', position: 3, status: 'concern', note: '考了100分' },
      { kind: 'answer', line: '4紧急 说有人摸她', position: 4, status: 'urgent', note: '说有人摸她' },
    ]);
  });
});
