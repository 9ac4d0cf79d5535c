import type { RunningService } from '../../src/service';
import { CHANNEL_TOKEN, httpChannelClient, startTestService } from '../support/inProcessService';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

describeEachEngine('the HTTP channel', (engine) => {
  let database: TestDatabase;
  let service: RunningService;
  let village: TestVillage;
  let chat: ReturnType<typeof httpChannelClient>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    service = await startTestService(database);
    chat = httpChannelClient(service.url);
  });
  afterAll(async () => {
    await service.stop();
    await database.drop();
  });

  it('binds a director, who invites a parent, who binds and logs this week’s contact', async () => {
    const director = await chat.say('tel:director', `绑定 ${village.directorCode}`);
    expect(director.status).toBe(200);
    expect(director.body.replies).toEqual([{ to: 'tel:director', text: expect.stringMatching(/^绑定成功！李主任，您的身份是儿童主任/) }]);

    const invite = await chat.say('tel:director', '邀请 家长 张伟 张小明');
    const code = /邀请码：(\d{6})/.exec(invite.body.replies[0]!.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);

    expect((await chat.say('tel:parent', `绑定 ${code}`)).body.replies[0]!.text).toMatch(/^绑定成功！张伟，您的身份是家长/);
    const logged = await chat.say('tel:parent', '已联系 视频 20');
    expect(logged.body.replies[0]!.text).toBe('已记录：本周与张小明视频联系20分钟。这是本周第1次联系，孩子会很高兴的！');
    expect(await database.db.contactLog.count({ where: { childId: village.childId, method: 'video', minutes: 20 } })).toBe(1);
  });

  it('acknowledges a repeated message id once: same replies, no second contact log', async () => {
    const first = await chat.say('tel:parent', '已联系 电话', { id: 'gateway-42' });
    const again = await chat.say('tel:parent', '已联系 电话', { id: 'gateway-42' });
    expect(first.body.duplicate).toBe(false);
    expect(again.body).toEqual({ accepted: true, duplicate: true, replies: first.body.replies });
    expect(await database.db.contactLog.count({ where: { method: 'phone' } })).toBe(1);
  });

  it('passes a guardian’s worry to the village director without telling the family who reported', async () => {
    const guardian = await invitePerson(database.db, { name: '王奶奶', role: 'guardian', areaId: village.villageId, childId: village.childId, linkKind: 'guardian' });
    await chat.say('tel:grandma', `绑定 ${guardian.code}`);
    const filed = await chat.say('tel:grandma', '情况 孩子这几天不愿意上学，晚上哭');
    // Replies include everything handling the message queued: the director's notice too.
    expect(filed.body.replies.map((reply) => reply.to).sort()).toEqual(['tel:director', 'tel:grandma']);
    const answer = filed.body.replies.find((reply) => reply.to === 'tel:grandma')!.text;
    expect(answer).toMatch(/^已收到，编号 TV-\d{4}-\d{6}。/);
    const number = /编号 (TV-\d{4}-\d{6})/.exec(answer)![1];
    const report = await database.db.report.findUniqueOrThrow({ where: { number }, include: { steps: true } });
    expect(report).toMatchObject({ severity: 'normal', state: 'reported', source: 'guardian', reporterId: guardian.personId, childId: village.childId });
    expect(report.steps).toHaveLength(1);

    const directorInbox = await chat.outbox('tel:director');
    expect(directorInbox.messages.at(-1)!.text).toContain(`【新情况】${number}`);
    expect(directorInbox.messages.at(-1)!.text).toContain('孩子这几天不愿意上学');
    const parentInbox = await chat.outbox('tel:parent');
    expect(parentInbox.messages.map((message) => message.text).join('\n')).not.toMatch(/王奶奶|不愿意上学/);
  });

  it('lists a person’s messages after a cursor', async () => {
    const all = await chat.outbox('tel:parent');
    expect(all.messages.length).toBeGreaterThanOrEqual(3);
    const later = await chat.outbox('tel:parent', all.messages[0]!.id);
    expect(later.messages).toEqual(all.messages.slice(1));
    expect(later.cursor).toBe(all.cursor);
    expect((await chat.outbox('tel:parent', all.cursor)).messages).toEqual([]);
  });

  it('gives an unbound stranger only the binding hint', async () => {
    const replies = await Promise.all(['已联系 视频', '你好', '情况 有事'].map(async (text) => (await chat.say('tel:stranger', text)).body.replies));
    for (const reply of replies) expect(reply).toEqual([{ to: 'tel:stranger', text: expect.stringMatching(/^您还没有绑定身份。请发送“绑定 邀请码”/) }]);
    expect((await chat.say('tel:stranger', '帮助')).body.replies[0]!.text).toMatch(/请先发送“绑定 邀请码”/);
  });

  it('answers empty, very long, emoji-only, wrong-role and malformed messages with a short Chinese hint, writing nothing else', async () => {
    const counts = async () => ({
      contacts: await database.db.contactLog.count(),
      reports: await database.db.report.count(),
      people: await database.db.person.count(),
    });
    const before = await counts();
    const cases: Array<[string, RegExp]> = [
      ['', /^收到一条空消息/],
      ['   ', /^收到一条空消息/],
      ['好'.repeat(4001), /^消息太长了（超过4000字）/],
      ['😀😀👍', /^收到了表情/],
      ['邀请 家长 某人 张小明', /^“邀请”不是家长可用的指令/],
      ['已联系 张小明 视频 20 多 余', /^请这样记录：已联系/],
      ['已联系 李四', /^没有找到“李四”/],
      ['随便说说', /^没有完全看懂。家长最常用的是/],
    ];
    for (const [text, hint] of cases) {
      const { status, body } = await chat.say('tel:parent', text);
      expect(status).toBe(200);
      expect(body.replies).toHaveLength(1);
      expect(body.replies[0]!.text).toMatch(hint);
      expect(body.replies[0]!.text.length).toBeLessThan(200);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a wrong token with 401 and a malformed body with 400', async () => {
    const wrong = httpChannelClient(service.url, 'not-the-channel-token-at-all');
    const response = await fetch(`${service.url}/channels/http/inbound`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-channel-token-at-all', 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', from: 'tel:x', text: '帮助' }),
    });
    expect(response.status).toBe(401);
    await expect(wrong.outbox('tel:parent')).resolves.toEqual({ error: 'unauthorized' });
    const bad = await fetch(`${service.url}/channels/http/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer test-channel-token-0123456789`, 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'tel:x', text: '帮助' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request', issues: [{ path: 'id' }] });
  });

  it('answers a body that is not a message with 4xx, never 500, and records nothing', async () => {
    const inboxBefore = await database.db.inboxMessage.count();
    const post = (body: string, contentType = 'application/json') =>
      fetch(`${service.url}/channels/http/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CHANNEL_TOKEN}`, 'content-type': contentType },
        body,
      });
    const cases: Array<[string, string, number, string]> = [
      ['not json', 'application/json', 400, 'invalid_json'],
      ['{"id": "x", "from": ', 'application/json', 400, 'invalid_json'],
      ['"a string"', 'application/json', 400, 'invalid_json'],
      ['[{"id":"x","from":"tel:x","text":"帮助"}]', 'application/json', 400, 'invalid_request'],
      ['{"id": 1, "from": {"a": 1}, "text": null}', 'application/json', 400, 'invalid_request'],
      ['id=x&from=tel:x&text=hi', 'text/plain', 400, 'invalid_request'],
      [JSON.stringify({ id: 'big', from: 'tel:x', text: 'x'.repeat(300 * 1024) }), 'application/json', 413, 'body_too_large'],
    ];
    for (const [body, contentType, status, error] of cases) {
      const response = await post(body, contentType);
      expect({ body: body.slice(0, 40), status: response.status, error: ((await response.json()) as { error: string }).error }).toEqual({
        body: body.slice(0, 40),
        status,
        error,
      });
    }
    expect(await database.db.inboxMessage.count()).toBe(inboxBefore);
  });
});
