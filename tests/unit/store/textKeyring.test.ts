import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { keyIdOf, TextKeyring } from '../../../src/store/crypto/textKeyring';

describe('sealing a batch of texts at once', () => {
  const keyring = new TextKeyring([randomBytes(32)]);

  it('seals each text and JSON value as sealing them one by one does, each with its own IV', () => {
    const texts = ['本周还没有和张小明联系', '本周还没有和张小明联系', '张伟您好，张小明的寒假1月20日开始'];
    const sealed = keyring.sealAll(texts);
    expect(sealed.map((value) => keyring.open(value))).toEqual(texts);
    expect(sealed.every((value) => value.startsWith('st1:') && keyIdOf(value) === keyring.currentId)).toBe(true);
    expect(new Set(sealed).size).toBe(texts.length); // the same text twice is sealed differently
    expect(sealed.join()).not.toContain('张小明');

    const params = [{ child: '张小明' }, { child: '张小红', vacation: '寒假' }];
    const sealedParams = keyring.sealJsonAll(params);
    expect(sealedParams.map((value) => keyring.open(value))).toEqual(params);
    expect(sealedParams.every((value) => value.startsWith('sj1:'))).toBe(true);
    expect(keyring.sealAll([])).toEqual([]);
  });

  it('never gives two values the same IV, however many are sealed one by one, in batches or as files', () => {
    const ivOf = (sealed: string) => Buffer.from(sealed.slice(sealed.lastIndexOf(':') + 1), 'base64').subarray(0, 12).toString('hex');
    const ivs: string[] = [];
    for (let round = 0; round < 300; round += 1) {
      ivs.push(ivOf(keyring.seal('本周还没有和张小明联系')));
      ivs.push(...keyring.sealAll(['寒假', '暑假', '春节']).map(ivOf));
      ivs.push(ivOf(keyring.sealJson({ child: '张小明' })));
      const file = keyring.sealBytes(Buffer.from('照片'));
      ivs.push(file.subarray(16, 28).toString('hex'));
      expect(keyring.openBytes(file).toString()).toBe('照片');
    }
    expect(ivs).toHaveLength(1800); // several times the IVs drawn from the generator at once
    expect(new Set(ivs).size).toBe(ivs.length);
  });
});

describe('the sealed format', () => {
  const key = randomBytes(32);
  const keyring = new TextKeyring([key]);
  /** Opened by hand as the format says, not through the ring: what older and newer code read alike. */
  const openByHand = (sealed: string, prefix: string): string => {
    expect(sealed.startsWith(`${prefix}${keyring.currentId}:`)).toBe(true);
    const bytes = Buffer.from(sealed.slice(prefix.length + keyring.currentId.length + 1), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'shouwang sensitive text', 32)), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  };

  it('is the prefix, the key id, then base64 of the iv, the tag and the ciphertext, however long the value', () => {
    const long = '张'.repeat(3000); // past the scratch buffer
    const texts = ['', '本周还没有和张小明联系', long, 'a'];
    expect(keyring.sealAll(texts).map((sealed) => openByHand(sealed, 'st1:'))).toEqual(texts);
    expect(openByHand(keyring.seal(long), 'st1:')).toBe(long);
    const params = [{ child: '张小明' }, { child: long }];
    expect(keyring.sealJsonAll(params).map((sealed) => JSON.parse(openByHand(sealed, 'sj1:')) as unknown)).toEqual(params);
    expect(JSON.parse(openByHand(keyring.sealJson(params[0]), 'sj1:'))).toEqual(params[0]);
  });
});
