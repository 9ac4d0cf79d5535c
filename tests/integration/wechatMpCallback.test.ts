import type { RunningService } from '../../src/service';
import { startTestService } from '../support/inProcessService';
import { postText, SimulatedMpPlatform } from '../support/simulatedWechatMp';
import { encryptMessage, wechatSignature } from '../../bots/weixin/msgCrypt';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

const NOW = new Date('2026-11-04T02:00:00.000Z');
const PREVIOUS_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const ACCOUNT = {
  name: 'city',
  appId: 'wx2c2769f8efd9abc2',
  appSecret: 'simulated-app-secret',
  token: 'spamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const TEXT = { MsgType: 'text', Content: '帮助', MsgId: '1001', CreateTime: Math.floor(NOW.getTime() / 1000) };

describe('the 服务号 callback refuses what WeChat did not send', () => {
  let database: TestDatabase;
  let platform: SimulatedMpPlatform;
  let service: RunningService;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    platform = new SimulatedMpPlatform(ACCOUNT, () => NOW, () => service.url);
    const apiBase = await platform.start();
    const config = { wechatMp: [{ ...ACCOUNT, previousEncodingAesKey: PREVIOUS_KEY, apiBase }] };
    service = await startTestService(database, { SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify(config) }, { clock: () => NOW, jobs: [], manualDispatch: true });
  });
  afterAll(async () => {
    await service.stop();
    await platform.stop();
    await database.drop();
  });
  afterEach(() => service.inbox.settled());

  const inboxSize = () => database.db.inboxMessage.count();

  it('answers WeChat’s URL check with its echostr, and only when signed with our token', async () => {
    const query = (token: string) => new URLSearchParams({ signature: wechatSignature(token, String(NOW.getTime() / 1000), '42'), timestamp: String(NOW.getTime() / 1000), nonce: '42', echostr: 'echo-5729' });
    const good = await fetch(`${service.url}/channels/wechat-mp/city/callback?${query(ACCOUNT.token)}`);
    expect([good.status, await good.text()]).toEqual([200, 'echo-5729']);
    const bad = await fetch(`${service.url}/channels/wechat-mp/city/callback?${query('another')}`);
    expect(bad.status).toBe(403);
  });

  it.each([
    ['a signature made with another token', { token: 'notourtoken' }, 403],
    ['a timestamp more than five minutes old', { timestamp: NOW.getTime() / 1000 - 301 }, 403],
    ['a body encrypted for another appid', { appId: 'wx0000000000000000' }, 403],
    ['a body encrypted under an unknown key', { aesKey: 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ' }, 403],
  ])('refuses %s, writing nothing', async (_case, options, status) => {
    const before = await inboxSize();
    expect((await platform.signedPush('o-1', TEXT, options).post()).status).toBe(status);
    expect(await inboxSize()).toBe(before);
  });

  it('refuses a tampered msg_signature, malformed XML, a body over 1 MB and an unknown account', async () => {
    const before = await inboxSize();
    const push = platform.signedPush('o-1', TEXT);
    expect((await postText(push.url.replace(/msg_signature=[0-9a-f]{4}/, 'msg_signature=0000'), push.body)).status).toBe(403);
    expect((await postText(push.url, '<xml><Encrypt>unclosed</xml>')).status).toBe(400);
    expect((await postText(push.url, `<xml><Encrypt>${'A'.repeat(1024 * 1024)}</Encrypt></xml>`)).status).toBe(413);
    expect((await postText(push.url.replace('/city/', '/nowhere/'), push.body)).status).toBe(404);
    expect(await inboxSize()).toBe(before);
  });

  it('accepts a plaintext push signed with the token (明文 and 兼容 modes)', async () => {
    const before = await inboxSize();
    expect(await platform.signedPush('o-4', { ...TEXT, MsgId: '1004' }, { aesKey: '' }).post()).toEqual({ status: 200, text: 'success' });
    expect(await inboxSize()).toBe(before + 1);
  });

  it('reads the JSON push format, plaintext and encrypted, and refuses malformed JSON', async () => {
    const before = await inboxSize();
    const json = { ToUserName: 'gh_simulated', FromUserName: 'o-5', CreateTime: Math.floor(NOW.getTime() / 1000), MsgType: 'text', Content: '帮助', MsgId: 1005 };
    const plain = platform.signedPush('o-5', TEXT, { aesKey: '' });
    expect(await postText(plain.url, JSON.stringify(json))).toEqual({ status: 200, text: 'success' });
    const encrypted = encryptMessage(ACCOUNT.encodingAesKey, JSON.stringify({ ...json, MsgId: 1006 }), ACCOUNT.appId);
    const timestamp = String(NOW.getTime() / 1000);
    const query = new URLSearchParams({
      signature: wechatSignature(ACCOUNT.token, timestamp, '7'),
      timestamp,
      nonce: '7',
      encrypt_type: 'aes',
      msg_signature: wechatSignature(ACCOUNT.token, timestamp, '7', encrypted),
    });
    const url = `${service.url}/channels/wechat-mp/city/callback?${query}`;
    expect(await postText(url, JSON.stringify({ ToUserName: 'gh_simulated', Encrypt: encrypted }))).toEqual({ status: 200, text: 'success' });
    expect((await postText(plain.url, '{"MsgType": "text",')).status).toBe(400);
    expect(await inboxSize()).toBe(before + 2);
  });

  it('accepts the previous EncodingAESKey while the key is being changed', async () => {
    const before = await inboxSize();
    expect(await platform.signedPush('o-2', { ...TEXT, MsgId: '1002' }, { aesKey: PREVIOUS_KEY }).post()).toEqual({ status: 200, text: 'success' });
    expect(await inboxSize()).toBe(before + 1);
  });

  it('shows the account’s token state and last callback on /healthz, never a secret, and counts platform calls on /metrics', async () => {
    await platform.follower('o-3').says('帮助');
    await service.inbox.settled();
    await service.dispatcher.runOnce();
    const health = await (await fetch(`${service.url}/healthz`)).text();
    expect(JSON.parse(health).channels).toContainEqual({
      channel: 'wechat-mp',
      accounts: [{ name: 'city', state: 'logged_in', token: 'valid', tokenExpiresAt: new Date(NOW.getTime() + 7_200_000).toISOString(), lastCallbackAt: NOW.toISOString(), quotaUsedUntil: null }],
    });
    for (const secret of [ACCOUNT.appSecret, ACCOUNT.encodingAesKey, 'TOKEN-1']) expect(health).not.toContain(secret);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('shouwang_platform_calls_total{channel="wechat-mp",method="custom",errcode="0"} 1');
  });
});
