import { types } from 'wechaty';
import type { RunningService } from '../../src/service';
import { startTestService } from '../support/inProcessService';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';
import { inboxOf, mockAccount, say, until, type ContactMock } from '../support/wechatyMock';

/** The whole service with WeChat served by wechaty-puppet-mock: what families and directors see. */
describeEachEngine('the bot on WeChat', (engine) => {
  let database: TestDatabase;
  let service: RunningService;
  let village: TestVillage;
  const wechat = mockAccount('village');

  /** Says `text` and waits for the bot's next answer in that chat. */
  async function ask(contact: ContactMock, seen: string[], text: string): Promise<string> {
    const before = seen.length;
    say(contact, text, wechat.botUser);
    return until(`an answer to "${text}"`, () => seen[before]);
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    service = await startTestService(
      database,
      { WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_ACCOUNTS: 'village', SHOUWANG_SEND_INTERVAL_MS: '0', SHOUWANG_SEND_JITTER_MS: '0' },
      { wechatyPuppet: () => wechat.puppet },
    );
    wechat.mocker.login(wechat.botUser);
    await until('login', () => service.channels.find((channel) => channel.name === 'wechaty')!.status().accounts[0]!.state === 'logged_in');
  });
  afterAll(async () => {
    await service.stop();
    await database.drop();
  });

  it('lets a parent add the bot with an invite code, bind, log contact and get the confirmation', async () => {
    const invite = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent' });
    const parent = wechat.mocker.createContact({ name: '张伟', friend: false });
    const accepted = jest.spyOn(wechat.puppet, 'friendshipAccept');
    await wechat.puppet.friendshipPayload('request-1', {
      id: 'request-1',
      contactId: parent.id,
      hello: `我是张小明的爸爸，邀请码 ${invite.code}`,
      ticket: 'ticket',
      timestamp: Date.now(),
      type: types.Friendship.Receive,
    });
    wechat.puppet.emit('friendship', { friendshipId: 'request-1' });
    await until('the friend request to be accepted', () => accepted.mock.calls.length === 1);

    const chat = inboxOf(parent, wechat.botUser);
    expect(await ask(parent, chat, `绑定 ${invite.code}`)).toMatch(/^绑定成功！张伟，您的身份是家长/);
    await until('the contact remark', () => wechat.mocker.contactPayload(parent.id).alias === `SW-${invite.personId}`);
    expect(await ask(parent, chat, '已联系 视频 20')).toBe('已记录：本周与张小明视频联系20分钟。这是本周第1次联系，孩子会很高兴的！');
    expect(await database.db.contactLog.count({ where: { parentId: invite.personId } })).toBe(1);
  });

  it('logs one contact when WeChat delivers the same message twice', async () => {
    const parentId = (await database.db.person.findFirstOrThrow({ where: { name: '张伟' } })).id;
    const identity = await database.db.chatIdentity.findFirstOrThrow({ where: { personId: parentId } });
    const parent = wechat.mocker.ContactMock.load(identity.externalId);
    const chat = inboxOf(parent, wechat.botUser);
    const received = jest.spyOn(service.inbox, 'receive');
    const messageId = say(parent, '已联系 电话', wechat.botUser);
    await until('the confirmation', () => chat[0]);
    wechat.puppet.emit('message', { messageId });
    const deliveries = () => received.mock.calls.filter(([message]) => message.platformMessageId === messageId);
    await until('the repeated delivery', () => deliveries().length === 2);
    await Promise.all(received.mock.results.map((result) => result.value));
    expect(await received.mock.results.at(-1)!.value).toMatchObject({ duplicate: true });
    received.mockRestore();
    expect(await database.db.inboxMessage.count({ where: { platformMessageId: messageId } })).toBe(1);
    expect(await database.db.contactLog.count({ where: { parentId, method: 'phone' } })).toBe(1);
    expect(chat).toHaveLength(1);
  });

  it('brings a guardian’s 情况 to the village director’s chat', async () => {
    const director = wechat.mocker.createContact({ name: '李主任' });
    const directorChat = inboxOf(director, wechat.botUser);
    expect(await ask(director, directorChat, `绑定 ${village.directorCode}`)).toMatch(/^绑定成功！李主任/);

    const guardianInvite = await invitePerson(database.db, { name: '王奶奶', role: 'guardian', areaId: village.villageId, childId: village.childId, linkKind: 'guardian' });
    const guardian = wechat.mocker.createContact({ name: '王奶奶' });
    const guardianChat = inboxOf(guardian, wechat.botUser);
    await ask(guardian, guardianChat, `绑定 ${guardianInvite.code}`);
    expect(await ask(guardian, guardianChat, '情况 孩子发烧两天了')).toMatch(/^已收到，编号 TV-\d{4}-\d{6}。/);
    const notice = await until('the director’s notice', () => directorChat.find((text) => text.startsWith('【新情况】')));
    expect(notice).toContain('孩子：张小明');
    expect(notice).toContain('孩子发烧两天了');
  });

  it('answers an unbound stranger with the binding hint and nothing else', async () => {
    const stranger = wechat.mocker.createContact({ name: '路人' });
    const chat = inboxOf(stranger, wechat.botUser);
    expect(await ask(stranger, chat, '你好')).toMatch(/^您还没有绑定身份。请发送“绑定 邀请码”/);
    expect(await ask(stranger, chat, '已联系 视频')).toMatch(/^您还没有绑定身份。/);
    expect(await database.db.chatIdentity.count({ where: { displayName: '路人' } })).toBe(0);
  });

  it('lets the director make a room the family’s care room, which then hears the family’s news without @-mentions', async () => {
    const director = wechat.mocker.ContactMock.load((await database.db.chatIdentity.findFirstOrThrow({ where: { personId: village.directorId } })).externalId);
    const parentId = (await database.db.person.findFirstOrThrow({ where: { name: '张伟' } })).id;
    const parent = wechat.mocker.ContactMock.load((await database.db.chatIdentity.findFirstOrThrow({ where: { personId: parentId } })).externalId);
    const room = wechat.mocker.createRoom({ topic: '张小明家', memberIdList: [wechat.botUser.id, director.id, parent.id] });
    const roomChat = inboxOf(room, wechat.botUser);

    // What the channel made of each message, by platform id: a room message without a mention ends there.
    const channel = service.channels.find((each) => each.name === 'wechaty')! as unknown as { onMessage(...args: unknown[]): Promise<void> };
    const taken = new Map<string, Promise<void>>();
    const onMessage = channel.onMessage.bind(channel);
    jest.spyOn(channel, 'onMessage').mockImplementation((...args: unknown[]) => {
      const done = onMessage(...args);
      taken.set((args[2] as { id: string }).id, done);
      return done;
    });
    const unmentioned = say(director, '绑定群 张小明', room);
    await until('the channel to take the unmentioned command', () => taken.has(unmentioned));
    await taken.get(unmentioned);
    expect(await database.db.outboxMessage.count({ where: { address: room.id } })).toBe(0);
    expect(roomChat).toEqual([]);
    say(director, `@${wechat.botUser.payload.name} 绑定群 张小明`, room, [wechat.botUser]);
    expect(await until('the room to be bound', () => roomChat[0])).toBe('本群已设为张小明的关爱群，提醒和老师的情况会同时发到这里。');

    say(parent, '已联系 见面', wechat.botUser);
    expect(await until('the family news in the room', () => roomChat[1])).toBe('张伟本周已和张小明见面联系了。');
    say(parent, '孩子今天考试考得不错', room);
    say(parent, '帮助', room);
    expect(await until('an answer in the bound room without a mention', () => roomChat[2])).toMatch(/^张伟您好，您是家长。/);
    // The chatter before it got no hint: the help was the next thing the bot said.
    expect(roomChat).toHaveLength(3);
  });
});
