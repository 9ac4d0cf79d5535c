import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { wechatMpRoutes } from '../../../bots/wechat-mp/callback';
import { postText, SimulatedMpPlatform } from '../../support/simulatedWechatMp';
import type { ChannelHost } from '../../../src/channel';
import { createLogger } from '../../../src/log';

const NOW = new Date('2026-11-04T02:00:00.000Z');
const ACCOUNT = {
  name: 'city',
  appId: 'wx2c2769f8efd9abc2',
  appSecret: 'very-secret-app-secret',
  token: 'spamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  apiBase: 'http://127.0.0.1:9',
  templates: {},
};
const SECRET_TEXT = '孩子身上有伤';

describe('a refused 服务号 callback', () => {
  const lines: Array<Record<string, unknown>> = [];
  const accepted: unknown[] = [];
  let server: Server;
  let url = '';

  beforeAll(async () => {
    const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const host = { accept: async (message: unknown) => (accepted.push(message), { inboxId: 1, duplicate: false }) } as unknown as ChannelHost;
    // The routes have no database: every push goes to the inbox (or its spool) first.
    const routes = wechatMpRoutes({ accounts: [ACCOUNT], logger, clock: () => NOW, host: () => host, calledBack: () => undefined });
    server = new Koa().use(routes.routes()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('logs one line with the reason, never the body or a secret, and hands nothing on', async () => {
    const platform = new SimulatedMpPlatform(ACCOUNT, () => NOW, () => url);
    const push = platform.signedPush('o-1', { MsgType: 'text', Content: SECRET_TEXT, MsgId: '1', CreateTime: 1 }, { token: 'notourtoken' });
    expect((await postText(push.url, push.body)).status).toBe(403);
    expect((await postText(push.url.replace('/city/', '/nowhere/'), push.body)).status).toBe(404);

    expect(lines.map((line) => [line.msg, line.status, line.reason])).toEqual([
      ['wechat-mp callback refused', 403, 'bad signature'],
      ['wechat-mp callback refused', 404, 'unknown account'],
    ]);
    const logged = JSON.stringify(lines);
    for (const secret of [SECRET_TEXT, ACCOUNT.appSecret, ACCOUNT.token, ACCOUNT.encodingAesKey, 'Encrypt']) expect(logged).not.toContain(secret);
    expect(accepted).toEqual([]);
  });
});
