import type { RunningService } from '../../src/service';
import { httpChannelClient, startTestService } from '../support/inProcessService';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

/** People writing in their own words through the HTTP channel, one story per role. */
describeEachEngine('free text through the HTTP channel', (engine) => {
  let database: TestDatabase;
  let service: RunningService;
  let village: TestVillage;
  let chat: ReturnType<typeof httpChannelClient>;
  /** What the bot answered the writer (alerts to staff are among the replies too, addressed to them). */
  const textOf = async (from: string, text: string) =>
    (await chat.say(from, text)).body.replies
      .filter((reply) => reply.to === from)
      .map((reply) => reply.text)
      .join('\n');

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    const sister = await database.db.child.create({ data: { name: '张小红', birthDate: '2013-02-01', gender: 'female', areaId: village.villageId } });
    const parent = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent' });
    await database.db.childLink.create({ data: { childId: sister.id, personId: parent.personId, kind: 'parent', worksAway: true } });
    const guardian = await invitePerson(database.db, { name: '张奶奶', role: 'guardian', areaId: village.villageId, childId: village.childId, linkKind: 'guardian' });
    const teacher = await invitePerson(database.db, { name: '王老师', role: 'teacher', areaId: village.villageId, childId: village.childId, linkKind: 'teacher' });
    service = await startTestService(database);
    chat = httpChannelClient(service.url);
    await chat.say('tel:director', `绑定 ${village.directorCode}`);
    await chat.say('tel:parent', `绑定 ${parent.code}`);
    await chat.say('tel:guardian', `绑定 ${guardian.code}`);
    await chat.say('tel:teacher', `绑定 ${teacher.code}`);
  });
  afterAll(async () => {
    await service.stop();
    await database.drop();
  });

  it('a parent logs a video call in her own words, answers “which child” with a bare 1, and undoes it', async () => {
    expect(await textOf('tel:parent', '今天和孩子视频了20分钟')).toBe('请问是哪个孩子？回复序号：\n1. 张小红\n2. 张小明');
    const logged = await textOf('tel:parent', '1');
    expect(logged).toMatch(/^已记录：本周与张小红视频联系20分钟。/);
    expect(logged).toMatch(/不对请回复“撤销”。$/);
    expect(await database.db.contactLog.count()).toBe(1);

    expect(await textOf('tel:parent', '撤销')).toBe('已撤销：本周与张小红的这次联系记录。');
    expect(await database.db.contactLog.count()).toBe(0);
    expect(await textOf('tel:parent', '撤销')).toMatch(/^没有可以撤销的记录/);
  });

  it('a keyword command’s “which child” is answered with 第二个, and its child may be a nickname', async () => {
    expect(await textOf('tel:parent', '已联系 视频')).toMatch(/^您有2个孩子，请说明是哪一个：\n1\. 张小红\n2\. 张小明/);
    expect(await textOf('tel:parent', '第二个')).toMatch(/^已记录：本周与张小明视频联系。/);
    expect(await textOf('tel:parent', '已联系 红红 电话 10')).toMatch(/^已记录：本周与张小红电话联系10分钟。/);
    expect(await textOf('tel:parent', '已联系 小红 电话 十来分钟')).toMatch(/^已记录：本周与张小红电话联系10分钟。/);
    expect(await textOf('tel:parent', '已联系 明明 视频 一个半小时')).toMatch(/^已记录：本周与张小明视频联系90分钟。/);
  });

  it('a visit the bot is less sure of is asked back as yes or no first', async () => {
    const before = await database.db.contactLog.count();
    expect(await textOf('tel:parent', '周末回家看了红红')).toBe('您是说本周已与张小红见面联系吗？回复“是”记录，“不是”不记录。');
    expect(await database.db.contactLog.count()).toBe(before);
    expect(await textOf('tel:parent', '是')).toMatch(/^已记录：本周与张小红见面联系。/);
    expect(await database.db.contactLog.count()).toBe(before + 1);
    expect(await textOf('tel:parent', '这周回去看了明明')).toMatch(/^您是说/);
    expect(await textOf('tel:parent', '不是')).toBe('好的，没有记录。');
    expect(await database.db.contactLog.count()).toBe(before + 1);
  });

  it('a parent calls a child by nickname and chats without getting the manual', async () => {
    expect(await textOf('tel:parent', '跟明明打了一刻钟电话')).toMatch(/^已记录：本周与张小明电话联系15分钟。/);
    expect(await textOf('tel:parent', '小红最近怎么样')).toMatch(/^张小红的近况：/);
    expect(await textOf('tel:parent', '你好')).toBe('张伟您好！有事直接跟我说就行，比如“今天和孩子视频了20分钟”。');
    expect(await textOf('tel:parent', '谢谢🙏')).toBe('不客气，有需要随时找我！');
    const unknown = await textOf('tel:parent', '今天好热');
    expect(unknown.split('\n')).toHaveLength(4);
    expect(unknown).toMatch(/^没有完全看懂。家长最常用的是：/);
  });

  it('a parent’s worry the bot is unsure of is passed on to the director only when she says yes', async () => {
    expect(await textOf('tel:parent', '明明最近迷上了篮球 天天去球场')).toBe('要把这件事转告村儿童主任，请他们关注张小明吗？回复“是”转告，“不是”不转告。');
    expect(await textOf('tel:parent', '是')).toMatch(/^收到，已转告村儿童主任（编号 TV-\d{4}-\d{6}），会尽快跟进。/);
    const report = await database.db.report.findFirstOrThrow({ where: { source: 'parent' }, orderBy: { id: 'desc' } });
    expect(report).toMatchObject({ severity: 'normal', childId: village.childId, description: '明明最近迷上了篮球 天天去球场' });
  });

  it('danger said indirectly by a parent is an urgent report at once, with what to do now', async () => {
    const before = (await chat.outbox('tel:director')).cursor;
    const answer = await textOf('tel:parent', '小红说有个男的老是摸她 她不敢跟奶奶讲');
    expect(answer).toMatch(/^已按紧急情况报告村儿童主任和乡镇，编号 TV-\d{4}-\d{6}/);
    expect(answer).toContain('110');
    expect(answer).toContain('12355');
    const report = await database.db.report.findFirstOrThrow({ where: { source: 'parent' }, orderBy: { id: 'desc' } });
    expect(report).toMatchObject({ severity: 'urgent', suspected: true, type: 'sexual_abuse_or_pregnancy', subjectName: null });
    const alerts = await chat.outbox('tel:director', before);
    expect(alerts.messages.map((message) => message.text).join('\n')).toContain('紧急');
  });

  it('a grandmother’s “not home for two days” is urgent too', async () => {
    expect(await textOf('tel:guardian', '伢两天冇回来了 到处找不到')).toMatch(/^已按紧急情况报告/);
    const report = await database.db.report.findFirstOrThrow({ where: { source: 'guardian' }, orderBy: { id: 'desc' } });
    expect(report).toMatchObject({ severity: 'urgent', type: 'missing_or_trafficked', childId: village.childId });
  });

  it('a grandmother confirms the father’s call in her words, and a teacher answers the check-in with “都正常”', async () => {
    expect(await textOf('tel:guardian', '他爸昨天打了视频来的')).toMatch(/^已记录：张伟本周已与张小明联系。/);

    const teacher = await database.db.person.findFirstOrThrow({ where: { name: '王老师' } });
    await database.db.teacherCheckIn.create({ data: { childId: village.childId, teacherId: teacher.id, round: '2026-11-25', position: 1 } });
    expect(await textOf('tel:teacher', '都正常👌')).toMatch(/已记录/);
    expect(await database.db.teacherCheckIn.findFirstOrThrow({ where: { teacherId: teacher.id } })).toMatchObject({ status: 'normal' });
  });

  it('a teacher’s 紧急 typed on one line without spaces is filed urgent, and so is danger in a note marked 关注', async () => {
    const teacher = await database.db.person.findFirstOrThrow({ where: { name: '王老师' } });
    const sister = await database.db.child.findFirstOrThrow({ where: { name: '张小红' } });
    const ask = async (round: string) => {
      await database.db.teacherCheckIn.create({ data: { childId: village.childId, teacherId: teacher.id, round, position: 1 } });
      await database.db.teacherCheckIn.create({ data: { childId: sister.id, teacherId: teacher.id, round, position: 2 } });
    };
    const urgentReportOf = async (round: string) => {
      const checkIn = await database.db.teacherCheckIn.findFirstOrThrow({ where: { teacherId: teacher.id, round, position: 2 }, include: { report: true } });
      return { status: checkIn.status, severity: checkIn.report?.severity };
    };

    await ask('2026-12-09');
    expect(await textOf('tel:teacher', '1正常2紧急 说有个男的老在校门口等她')).toContain('2. 张小红：紧急');
    expect(await urgentReportOf('2026-12-09')).toEqual({ status: 'urgent', severity: 'urgent' });

    await ask('2026-12-23');
    expect(await textOf('tel:teacher', '小明正常小红关注 说她后爸天天打她 身上有伤')).toContain('2. 张小红：紧急');
    expect(await urgentReportOf('2026-12-23')).toEqual({ status: 'urgent', severity: 'urgent' });
  });

  it('a teacher who writes something the bot does not know gets the two likeliest commands', async () => {
    const answer = await textOf('tel:teacher', '明天开家长会');
    expect(answer).toMatch(/^没有完全看懂。帮扶教师最常用的是：/);
    expect(answer.split('\n').filter((line) => line.startsWith('· '))).toHaveLength(2);
  });

  it('a director’s account of a visit becomes the report draft, filed with one word', async () => {
    const draft = await textOf('tel:director', '今天走访发现张小明的爷爷中风了 奶奶一个人照顾不过来');
    expect(draft).toContain('孩子：张小明');
    expect(draft).toContain('类型：监护缺失');
    expect(draft).toMatch(/回复“确认”提交/);
    expect(await textOf('tel:director', '确认')).toMatch(/^已提交报告，编号 TV-\d{4}-\d{6}（一般）/);
  });

  it('a director who writes of danger in her own words files it urgent at once and is told it went to the township', async () => {
    const answer = await textOf('tel:director', '今天去张小明家看了，他爸打他，身上有伤');
    expect(answer).toMatch(/^已按紧急情况立案，编号 TV-\d{4}-\d{6}，乡镇和救助热线已同时收到。/);
    expect(answer).not.toContain('报告村儿童主任');
  });
});
