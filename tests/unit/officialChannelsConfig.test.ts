import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';

const MP = {
  name: 'city',
  appId: 'wx2c2769f8efd9abc2',
  appSecret: 'very-secret-app-secret',
  token: 'spamtest',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const load = (env: Record<string, string>) => loadConfig({ DATABASE_URL: 'file:./data/test.db', ...env });
const inline = (channels: unknown) => load({ SHOUWANG_OFFICIAL_CHANNELS: JSON.stringify(channels) });

describe('official channel configuration', () => {
  it('reads the 服务号 accounts from the environment, with WeChat’s API host by default', () => {
    const config = inline({ wechatMp: [{ ...MP, templates: { 'contact.reminder': { id: 'T1', fields: { thing1: 'child' } } } }] });
    expect(config.officialChannels.wechatMp).toEqual([{ ...MP, apiBase: 'https://api.weixin.qq.com', templates: { 'contact.reminder': { type: 'template', id: 'T1', fields: { thing1: 'child' } } } }]);
    expect(config.officialChannels.wecom).toEqual([]);
  });

  it('reads them from the file one variable names', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'shouwang-config-')), 'channels.json');
    writeFileSync(file, JSON.stringify({ wechatMp: [MP] }));
    expect(load({ SHOUWANG_OFFICIAL_CHANNELS_FILE: file }).officialChannels.wechatMp.map((account) => account.name)).toEqual(['city']);
  });

  it.each([
    [{ wechatMp: [{ ...MP, encodingAesKey: 'short' }] }, 'SHOUWANG_OFFICIAL_CHANNELS wechatMp.0.encodingAesKey must be the 43-character EncodingAESKey from the admin console.'],
    [{ wechatMp: [{ ...MP, templates: { 'contact.remindr': { id: 'T' } } }] }, 'SHOUWANG_OFFICIAL_CHANNELS wechatMp.0.templates.contact.remindr names no message kind'],
    [{ wechatMp: [{ ...MP, templates: { 'contact.reminder': { id: 'T', fields: { thing1: 'week' } } } }] }, 'contact.reminder has no field week (it has parent, child)'],
    [{ wechatMp: [MP, MP] }, 'names an account twice'],
  ])('refuses a bad account in one sentence that names the field and no secret (%#)', (channels, message) => {
    expect(() => inline(channels)).toThrow(message);
    try {
      inline(channels);
    } catch (error) {
      expect((error as Error).message).not.toContain(MP.appSecret);
    }
  });

  it('refuses JSON that does not parse without quoting it', () => {
    expect(() => load({ SHOUWANG_OFFICIAL_CHANNELS: `{"appSecret": "${MP.appSecret}"` })).toThrow(/^Configuration error: SHOUWANG_OFFICIAL_CHANNELS is not valid JSON\.$/);
  });
});
