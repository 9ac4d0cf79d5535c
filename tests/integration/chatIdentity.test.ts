import { randomUUID } from 'node:crypto';
import type { InboundMessage } from '../../src/channel';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { createLogger } from '../../src/log';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

describeEachEngine('chat identities', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let inbox: InboxProcessor;
  const now = new Date('2026-11-25T02:00:00Z');

  const message = (from: InboundMessage['from'], text: string): InboundMessage => ({
    channel: 'wechaty',
    botAccount: 'village-a',
    platformMessageId: randomUUID(),
    from,
    text,
    receivedAt: now,
  });
  const answer = async (from: InboundMessage['from'], text: string) => (await inbox.receive(message(from, text))).replies.map((reply) => reply.text);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db, now);
    inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => now });
  });
  afterAll(() => database.drop());

  it('recognise a parent whose WeChat id changed after a re-login, by the remark set when they bound', async () => {
    const invite = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent', now });
    const bound = await inbox.receive(message({ externalId: 'wxid-old' }, `绑定 ${invite.code}`));
    expect(bound.boundTag).toBe(`SW-${invite.personId}`);

    expect(await answer({ externalId: 'wxid-new', tag: bound.boundTag }, '已联系 电话')).toEqual([expect.stringMatching(/^已记录：本周与张小明电话联系/)]);
    const identities = await database.db.chatIdentity.findMany({ where: { personId: invite.personId } });
    expect(identities.map((identity) => identity.externalId)).toEqual(['wxid-new']);
    expect(await answer({ externalId: 'wxid-new' }, '已联系 电话')).toEqual([expect.stringMatching(/这是本周第2次联系/)]);
  });

  it('do not let a stranger claim a person with a made-up remark from another account', async () => {
    expect(await answer({ externalId: 'wxid-other', tag: 'SW-999999' }, '已联系 电话')).toEqual([expect.stringMatching(/^您还没有绑定身份/)]);
  });

  it('bind an invite code only once, and not after it expires', async () => {
    const invite = await invitePerson(database.db, { name: '王奶奶', role: 'guardian', areaId: village.villageId, now });
    expect(await answer({ externalId: 'wxid-grandma' }, `绑定 ${invite.code}`)).toEqual([expect.stringMatching(/^绑定成功！王奶奶/)]);
    expect(await answer({ externalId: 'wxid-someone' }, `绑定 ${invite.code}`)).toEqual(['这个邀请码已经用过了。如需重新绑定，请向村儿童主任申请新的邀请码。']);
    const late = await invitePerson(database.db, { name: '赵老师', role: 'teacher', areaId: village.villageId, now: new Date(now.getTime() - 8 * 86_400_000) });
    expect(await answer({ externalId: 'wxid-teacher' }, `绑定 ${late.code}`)).toEqual(['这个邀请码已过期，请向村儿童主任申请新的邀请码。']);
    expect(await answer({ externalId: 'wxid-teacher' }, '绑定 000000')).toEqual(['邀请码不正确或已失效，请向村儿童主任确认。']);
  });

  it('ask a parent with two children which child they mean, and accept the number of the choice', async () => {
    const second = await database.db.child.create({ data: { name: '张小红', birthDate: '2018-03-01', areaId: village.villageId } });
    const parent = await database.db.person.findFirstOrThrow({ where: { name: '张伟' } });
    await database.db.childLink.create({ data: { childId: second.id, personId: parent.id, kind: 'parent', worksAway: true } });
    expect(await answer({ externalId: 'wxid-new' }, '已联系 视频')).toEqual([
      '您有2个孩子，请说明是哪一个：\n1. 张小明\n2. 张小红\n例如：已联系 张小明 或 已联系 1',
    ]);
    expect(await answer({ externalId: 'wxid-new' }, '已联系 2 视频 15')).toEqual(['已记录：本周与张小红视频联系15分钟。这是本周第1次联系，孩子会很高兴的！']);
  });

  it('give a sender only five tries a day to guess an invite code', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await answer({ externalId: 'wxid-guesser' }, `绑定 ${String(100000 + attempt)}`)).toEqual(['邀请码不正确或已失效，请向村儿童主任确认。']);
    }
    const invite = await invitePerson(database.db, { name: '陈叔叔', role: 'guardian', areaId: village.villageId, now });
    expect(await answer({ externalId: 'wxid-guesser' }, `绑定 ${invite.code}`)).toEqual([
      '今天尝试绑定的次数太多了，请明天再试，或联系村儿童主任核对邀请码。',
    ]);
    expect(await database.db.invite.findUniqueOrThrow({ where: { code: invite.code } })).toMatchObject({ usedAt: null });
  });

  it('renew the code of a person a director invites again, instead of registering them twice', async () => {
    const director = { externalId: 'wxid-director' };
    await answer(director, `绑定 ${village.directorCode}`);
    const code = (text: string) => /邀请码：(\d{6})/.exec(text)![1]!;
    const first = code((await answer(director, '邀请 家长 刘芳 张小明'))[0]!);
    const second = code((await answer(director, '邀请 家长 刘芳 张小明'))[0]!);
    expect(second).not.toBe(first);
    expect(await database.db.person.count({ where: { name: '刘芳' } })).toBe(1);
    expect(await answer({ externalId: 'wxid-liufang' }, `绑定 ${first}`)).toEqual(['邀请码不正确或已失效，请向村儿童主任确认。']);
    expect(await answer({ externalId: 'wxid-liufang' }, `绑定 ${second}`)).toEqual([expect.stringMatching(/^绑定成功！刘芳/)]);
    expect(await answer(director, '邀请 家长 刘芳 张小明')).toEqual(['刘芳已经绑定过了，无需再邀请。']);
  });

  it('make a director say which child is meant when two children of the village share a name, instead of inviting for either', async () => {
    const director = { externalId: 'wxid-director-2' };
    await database.db.chatIdentity.create({ data: { personId: village.directorId, channel: 'wechaty', botAccount: 'village-a', externalId: 'wxid-director-2' } });
    await database.db.child.create({ data: { name: '张小明', birthDate: '2014-02-02', areaId: village.villageId } });
    const people = await database.db.person.count();
    expect(await answer(director, '邀请 家长 赵六 张小明')).toEqual([expect.stringContaining('2014-02-02')]);
    expect(await database.db.person.count()).toBe(people);
  });
});
