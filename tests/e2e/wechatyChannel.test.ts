import { Writable } from 'node:stream';
import { FileBox } from 'file-box';
import { types } from 'wechaty';
import { WechatyChannel } from '../../bots/wechaty/wechatyChannel';
import { SendFailure, type ChannelHost, type ChannelStatus, type InboundMessage, type OutboundMessage } from '../../src/channel';
import { createLogger } from '../../src/log';
import { inboxOf, mockAccount, say, until, type ContactMock, type RemarkKeepingPuppet, type RoomMock } from '../support/wechatyMock';

/** Stands in for the service: records what arrives, answers like the inbox (a repeated id is a duplicate). */
class FakeHost implements ChannelHost {
  readonly received: InboundMessage[] = [];
  readonly careRooms = new Set<string>();
  readonly inviteCodes = new Set<string>();
  readonly attachmentMaxBytes = 1024;
  /** Text that binds its sender → the tag the result carries. */
  readonly bindings = new Map<string, string>();
  /** The database is away: the inbox spools, but lookups fail. */
  databaseAway = false;
  private readonly inbox = new Map<string, number>();

  async receive(message: InboundMessage) {
    this.received.push(message);
    const key = `${message.botAccount}/${message.platformMessageId}`;
    const duplicate = this.inbox.has(key);
    if (!duplicate) this.inbox.set(key, this.inbox.size + 1);
    return { inboxId: this.inbox.get(key)!, duplicate, replies: [], boundTag: duplicate ? undefined : this.bindings.get(message.text) };
  }

  async accept(message: InboundMessage) {
    const { inboxId, duplicate } = await this.receive(message);
    return { inboxId, duplicate };
  }

  async hasValidInviteCode(text: string) {
    if (this.databaseAway) throw new Error('connect ECONNREFUSED');
    return [...this.inviteCodes].some((code) => text.includes(code));
  }

  async isCareRoom(channel: string, botAccount: string, roomId: string) {
    if (this.databaseAway) throw new Error('connect ECONNREFUSED');
    return this.careRooms.has(`${channel}/${botAccount}/${roomId}`);
  }
}

function outbound(botAccount: string, address: string, text: string, isRoom = false): OutboundMessage {
  return { id: 1, channel: 'wechaty', botAccount, address, isRoom, text };
}

describe('WeChat through Wechaty (wechaty-puppet-mock)', () => {
  const host = new FakeHost();
  const logLines: Array<Record<string, unknown> & { msg: string }> = [];
  let qrOutput = '';
  const a = mockAccount('village-a');
  const b = mockAccount('village-b');
  const puppets: Record<string, RemarkKeepingPuppet> = { 'village-a': a.puppet, 'village-b': b.puppet };
  const channel = new WechatyChannel({
    puppet: 'wechaty-puppet-mock',
    accounts: [{ name: 'village-a' }, { name: 'village-b' }],
    logger: createLogger(
      'debug',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(JSON.parse(chunk.toString()));
          done();
        },
      }),
    ),
    puppetFactory: (account) => puppets[account]!,
    qrOutput: { write: (text: string) => (qrOutput += text) },
  });
  const states: ChannelStatus[] = [];

  const logged = (msg: string, match: Record<string, unknown> = {}) =>
    until(`log "${msg}"`, () => logLines.find((line) => line.msg === msg && Object.entries(match).every(([key, value]) => line[key] === value)));

  beforeAll(async () => {
    states.push(channel.status());
    await channel.start(host);
    states.push(channel.status());
    a.mocker.scan('https://login.weixin.qq.com/l/mock-qr', types.ScanStatus.Waiting);
    await until('the QR code', () => qrOutput);
    states.push(channel.status());
    a.mocker.login(a.botUser);
    b.mocker.login(b.botUser);
    await until('both logins', () => channel.status().accounts.every((account) => account.state === 'logged_in'));
    states.push(channel.status());
  });

  afterAll(async () => {
    await channel.stop();
    expect(channel.status().accounts.map((account) => account.state)).toEqual(['stopped', 'stopped']);
  });

  it('shows the login QR code and reports each account from start to login', () => {
    expect(channel.accounts()).toEqual(['village-a', 'village-b']);
    expect(states.map((status) => status.accounts.map((account) => account.state))).toEqual([
      ['stopped', 'stopped'],
      ['starting', 'starting'],
      ['waiting_for_login', 'starting'],
      ['logged_in', 'logged_in'],
    ]);
    expect(states[3]!.accounts[0]).toEqual({ name: 'village-a', state: 'logged_in', user: '守望助手village-a' });
    expect(qrOutput).toContain('village-a');
    expect(qrOutput).toMatch(/[▀▄█]/);
    expect(logLines.find((line) => line.msg === 'scan the QR code to log in')).toMatchObject({
      account: 'village-a',
      qrcodeUrl: expect.stringContaining(encodeURIComponent('https://login.weixin.qq.com/l/mock-qr')),
    });
  });

  it('delivers a direct message to the host, and the reply sent through send() reaches the contact', async () => {
    const parent = a.mocker.createContact({ name: '李芳' });
    const heard = inboxOf(parent, a.botUser);
    const id = say(parent, '已联系 小明 视频 20', a.botUser);

    const message = await until('the message', () => host.received.find((received) => received.platformMessageId === id));
    expect(message).toEqual({
      channel: 'wechaty',
      botAccount: 'village-a',
      platformMessageId: id,
      kind: 'message',
      from: { externalId: parent.id, name: '李芳', tag: undefined },
      room: undefined,
      text: '已联系 小明 视频 20',
      receivedAt: expect.any(Date),
    });
    expect(Math.abs(message.receivedAt.getTime() - Date.now())).toBeLessThan(5000);

    await channel.send(outbound('village-a', parent.id, '已记录：本周与小明视频 20 分钟。'));
    expect(heard).toEqual(['已记录：本周与小明视频 20 分钟。']);
    // The bot hears its own reply from the platform and must not treat it as input.
    const next = say(parent, '近况 小明', a.botUser);
    await until('the next message', () => host.received.find((received) => received.platformMessageId === next));
    expect(host.received.filter((received) => received.from.externalId === a.botUser.id)).toEqual([]);
  });

  it('handles a room message only when the bot is mentioned, or in a bound care room', async () => {
    const teacher = a.mocker.createContact({ name: '张老师' });
    const director = a.mocker.createContact({ name: '周主任' });
    const room = a.mocker.createRoom({
      id: 'parents-1@chatroom',
      topic: '清河村家长群',
      memberIdList: [a.botUser.id, teacher.id, director.id],
    });

    const unmentioned = say(teacher, '大家好', room);
    await logged('room message without a mention ignored', { messageId: unmentioned });

    const mentioned = say(teacher, `@${a.botUser.payload.name} 帮助`, room, [a.botUser]);
    const message = await until('the mention', () => host.received.find((received) => received.platformMessageId === mentioned));
    expect(message).toMatchObject({
      botAccount: 'village-a',
      from: { externalId: teacher.id, name: '张老师' },
      room: { externalId: 'parents-1@chatroom', topic: '清河村家长群' },
      text: '帮助',
    });
    expect(host.received.some((received) => received.platformMessageId === unmentioned)).toBe(false);

    const careRoom = a.mocker.createRoom({ id: 'care-xiaoming@chatroom', topic: '小明的家', memberIdList: [a.botUser.id, director.id] });
    host.careRooms.add('wechaty/village-a/care-xiaoming@chatroom');
    const inCareRoom = say(director, '孩子今天发烧了', careRoom);
    expect(await until('the care-room message', () => host.received.find((received) => received.platformMessageId === inCareRoom))).toMatchObject({
      from: { externalId: director.id },
      room: { externalId: 'care-xiaoming@chatroom', topic: '小明的家' },
      text: '孩子今天发烧了',
    });

    const heard = inboxOf(careRoom, a.botUser);
    await channel.send(outbound('village-a', 'care-xiaoming@chatroom', '已转告儿童主任。', true));
    expect(heard).toEqual(['已转告儿童主任。']);
  });

  it('hands a private photo or video over with its bytes, only the size of one over the limit, and nothing said in a room', async () => {
    const director = a.mocker.createContact({ name: '孙主任' });
    const sent = (file: FileBox, to: ContactMock | RoomMock = a.botUser) => {
      const count = host.received.length;
      director.say(file).to(to);
      return until('the file', () => host.received.slice(count).find((received) => received.from.externalId === director.id));
    };
    const photo = Buffer.from('small photo bytes');
    expect(await sent(FileBox.fromBase64(photo.toString('base64'), 'photo.jpg'))).toMatchObject({
      text: '',
      attachment: { kind: 'image', name: 'photo.jpg', mimeType: 'image/jpeg', data: photo },
    });
    // (the mock types a voice note's FileBox as unknown: it knows no media type for .silk)
    expect(await sent(FileBox.fromBase64(Buffer.from('video').toString('base64'), 'clip.mp4'))).toMatchObject({ attachment: { kind: 'video', name: 'clip.mp4', mimeType: 'video/mp4' } });
    const big = await sent(FileBox.fromBase64(Buffer.alloc(host.attachmentMaxBytes + 1).toString('base64'), 'big.png'));
    expect(big.attachment).toEqual({ kind: 'image', name: 'big.png', mimeType: 'image/png', size: host.attachmentMaxBytes + 1 });

    const room = a.mocker.createRoom({ id: 'family-photos@chatroom', topic: '孙家', memberIdList: [a.botUser.id, director.id] });
    host.careRooms.add('wechaty/village-a/family-photos@chatroom');
    const count = host.received.length;
    director.say(FileBox.fromBase64(photo.toString('base64'), 'family.jpg')).to(room);
    say(director, '照片发群里了', room);
    await until('the room text', () => host.received.slice(count).find((received) => received.text === '照片发群里了'));
    expect(host.received.slice(count).filter((received) => received.attachment)).toEqual([]);
  });

  it('keeps the tag of a newly bound person as the contact remark, and reports it on later messages', async () => {
    const guardian = a.mocker.createContact({ name: '王奶奶' });
    host.bindings.set('绑定 123456', 'SW-G-0001');
    say(guardian, '绑定 123456', a.botUser);
    await logged('bound person tagged with a contact remark', { contact: guardian.id });
    expect(a.mocker.contactPayload(guardian.id).alias).toBe('SW-G-0001');

    const later = say(guardian, '帮助', a.botUser);
    expect(await until('the next message', () => host.received.find((received) => received.platformMessageId === later))).toMatchObject({
      from: { externalId: guardian.id, name: '王奶奶', tag: 'SW-G-0001' },
    });
  });

  it('accepts a friend request carrying a valid invite code once, tags the person, and leaves a request without a code', async () => {
    const accepted = jest.spyOn(a.puppet, 'friendshipAccept');
    host.inviteCodes.add('654321');
    host.bindings.set('我是小明的爸爸 654321', 'SW-P-0002');
    const request = async (friendshipId: string, contact: ContactMock, hello: string) => {
      await a.puppet.friendshipPayload(friendshipId, {
        id: friendshipId,
        contactId: contact.id,
        hello,
        ticket: 'mock-ticket',
        timestamp: Date.now(),
        type: types.Friendship.Receive,
      });
      a.puppet.emit('friendship', { friendshipId });
    };

    const invited = a.mocker.createContact({ name: '刘强', friend: false });
    await request('friendship-1', invited, '我是小明的爸爸 654321');
    await logged('friend request accepted', { friendshipId: 'friendship-1' });
    expect(accepted.mock.calls).toEqual([['friendship-1']]);
    await logged('bound person tagged with a contact remark', { contact: invited.id });
    expect(a.mocker.contactPayload(invited.id).alias).toBe('SW-P-0002');
    expect(host.received.find((received) => received.platformMessageId === 'friendship:friendship-1')).toMatchObject({
      botAccount: 'village-a',
      kind: 'friendship',
      from: { externalId: invited.id, name: '刘强' },
      text: '我是小明的爸爸 654321',
    });

    const stranger = a.mocker.createContact({ name: '推销员', friend: false });
    await request('friendship-2', stranger, '你好，加个好友');
    const ignored = await logged('friend request without a valid invite code ignored', { friendshipId: 'friendship-2' });
    expect(JSON.stringify(ignored)).not.toContain('加个好友');

    // A puppet may replay the event after a reconnect: the inbox calls it a duplicate.
    a.puppet.emit('friendship', { friendshipId: 'friendship-1' });
    await logged('friend request already handled', { friendshipId: 'friendship-1' });
    expect(accepted.mock.calls).toEqual([['friendship-1']]);
    accepted.mockRestore();
  });

  it('hands room messages and friend requests to the inbox while the database is away, rather than losing them to a lookup', async () => {
    const accepted = jest.spyOn(a.puppet, 'friendshipAccept');
    const director = a.mocker.createContact({ name: '吴主任' });
    const room = a.mocker.createRoom({ id: 'away-1@chatroom', topic: '吴家', memberIdList: [a.botUser.id, director.id] });
    host.databaseAway = true;
    try {
      // Whether the room is a care room is decided when the message is handled.
      const unmentioned = say(director, '孩子今天发烧了', room);
      expect(await until('the room message', () => host.received.find((received) => received.platformMessageId === unmentioned))).toMatchObject({
        room: { externalId: 'away-1@chatroom', mentionsBot: false },
        text: '孩子今天发烧了',
      });

      const request = async (friendshipId: string, contact: ContactMock, hello: string) => {
        await a.puppet.friendshipPayload(friendshipId, { id: friendshipId, contactId: contact.id, hello, ticket: 'mock-ticket', timestamp: Date.now(), type: types.Friendship.Receive });
        a.puppet.emit('friendship', { friendshipId });
      };
      // A greeting with a code is accepted (binding checks the code); one without is recorded and left.
      await request('friendship-away-1', a.mocker.createContact({ name: '周丽', friend: false }), '我是小红的妈妈 112233');
      await logged('friend request accepted', { friendshipId: 'friendship-away-1' });
      await request('friendship-away-2', a.mocker.createContact({ name: '路人', friend: false }), '你好');
      await logged('friend request without a valid invite code ignored', { friendshipId: 'friendship-away-2' });
      expect(accepted.mock.calls).toEqual([['friendship-away-1']]);
      expect(host.received.filter((received) => received.kind === 'friendship' && received.platformMessageId.includes('away')).map((received) => received.text)).toEqual(['我是小红的妈妈 112233', '你好']);
    } finally {
      host.databaseAway = false;
      accepted.mockRestore();
    }
  });

  it('fails a send to an unknown contact for retry (the puppet may recover), and to an unknown account for good', async () => {
    const failure = await channel.send(outbound('village-a', 'nobody-here', '你好')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SendFailure);
    expect(failure).toMatchObject({ permanent: false });

    await expect(channel.send(outbound('village-z', 'nobody-here', '你好'))).rejects.toMatchObject({
      name: 'SendFailure',
      permanent: true,
    });
  });

  it('runs two accounts side by side, each receiving and sending through its own bot', async () => {
    const parentOfB = b.mocker.createContact({ name: '陈军' });
    const heard = inboxOf(parentOfB, b.botUser);
    const id = say(parentOfB, '近况 小红', b.botUser);
    expect(await until('the message to account b', () => host.received.find((received) => received.platformMessageId === id))).toMatchObject({
      botAccount: 'village-b',
      from: { externalId: parentOfB.id, name: '陈军' },
    });

    await channel.send(outbound('village-b', parentOfB.id, '小红本周一切正常。'));
    expect(heard).toEqual(['小红本周一切正常。']);
    // Account a's WeChat does not know account b's contacts.
    await expect(channel.send(outbound('village-a', parentOfB.id, '小红本周一切正常。'))).rejects.toMatchObject({ name: 'SendFailure' });
    expect(heard).toHaveLength(1);
  });

  it('reports a send while the account is not logged in as retryable', async () => {
    const idle = mockAccount('idle');
    const idleChannel = new WechatyChannel({
      puppet: 'wechaty-puppet-mock',
      accounts: [{ name: 'idle' }],
      logger: createLogger('silent'),
      puppetFactory: () => idle.puppet,
    });
    await idleChannel.start(new FakeHost());
    try {
      const contact = idle.mocker.createContact({ name: '李芳' });
      await expect(idleChannel.send(outbound('idle', contact.id, '你好'))).rejects.toMatchObject({ name: 'SendFailure', permanent: false });
    } finally {
      await idleChannel.stop();
    }
  });
});
