import { randomBytes } from 'node:crypto';
import { NationalIdCipher } from '../../../src/store/crypto/nationalIdCipher';

const ID = '42010220080101123X';

describe('national ID encryption', () => {
  const cipher = new NationalIdCipher(randomBytes(32));

  it('stores the number only encrypted, and reads it back with the same key', () => {
    const sealed = cipher.seal(ID);
    expect(sealed.cipher).not.toContain(ID);
    expect(sealed.cipher).not.toContain('20080101');
    expect(cipher.open(sealed.cipher)).toBe(ID);
  });

  it('shows only the masked form in lists', () => {
    expect(cipher.seal(ID).masked).toBe('4201**********123X');
  });

  it('encrypts the same number differently each time, but finds it by the same digest', () => {
    const first = cipher.seal(ID);
    const second = cipher.seal(` ${ID.toLowerCase()} `);
    expect(first.cipher).not.toBe(second.cipher);
    expect(first.digest).toBe(second.digest);
    expect(cipher.digest(ID)).toBe(first.digest);
  });

  it('cannot be read with another key', () => {
    const other = new NationalIdCipher(randomBytes(32));
    expect(() => other.open(cipher.seal(ID).cipher)).toThrow();
    expect(other.digest(ID)).not.toBe(cipher.digest(ID));
  });
});
