import { randomBytes } from 'node:crypto';
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
});
