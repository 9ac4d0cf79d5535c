import {
  birthDateFromNationalId,
  isValidNationalId,
  maskNationalId,
  normalizeNationalId,
} from '../../../src/domain/nationalId';

// check characters worked out by hand with the GB 11643-1999 weights
const boyBorn2010 = '420102201003150029';
const withCheckX = '42010220080101123X';
const bornLeapDay = '420102201602290015';

describe('validating resident ID numbers', () => {
  it('accepts numbers whose check character matches', () => {
    expect(isValidNationalId(boyBorn2010)).toBe(true);
    expect(isValidNationalId(bornLeapDay)).toBe(true);
    expect(isValidNationalId('11010519491231002X')).toBe(true);
  });

  it('accepts a check character X, also when typed in lower case or with spaces around it', () => {
    expect(isValidNationalId(withCheckX)).toBe(true);
    expect(isValidNationalId(' 42010220080101123x ')).toBe(true);
  });

  // one number for each of the eleven possible check characters, 0 to 9 and X
  it.each([
    '420102201207080050',
    '420102201207080181',
    '420102201207080042',
    '420102201207080093',
    '420102201207080034',
    '420102201207080085',
    '420102201207080026',
    '420102201207080077',
    '420102201207080018',
    '420102201207080069',
    '42010220120708000X',
  ])('accepts %s and no other check character for its first 17 digits', (id) => {
    expect(isValidNationalId(id)).toBe(true);
    const body = id.slice(0, 17);
    const others = [...'0123456789X'].filter((c) => c !== id[17]);
    expect(others.filter((c) => isValidNationalId(body + c))).toEqual([]);
  });

  it('rejects a number with a mistyped digit', () => {
    expect(isValidNationalId('420102201003150039')).toBe(false);
    expect(isValidNationalId('420102200801011234')).toBe(false);
  });

  it('rejects a number with two swapped digits', () => {
    expect(isValidNationalId('420102201003510029')).toBe(false);
  });

  it('rejects numbers of the wrong shape', () => {
    expect(isValidNationalId('42010220100315002')).toBe(false);
    expect(isValidNationalId('4201022010031500290')).toBe(false);
    expect(isValidNationalId('42010220100315X029')).toBe(false);
    expect(isValidNationalId('')).toBe(false);
  });

  it('rejects a number whose birth date does not exist, even with a matching check character', () => {
    // 2015 was not a leap year; 0018 is the right check character for this body
    expect(isValidNationalId('420102201502290018')).toBe(false);
  });

  it('rejects a birth year before 1900', () => {
    expect(isValidNationalId('420102189912310019')).toBe(false);
  });

  it('rejects a birth date in the future when told what day it is', () => {
    const born = '420102202601150015';
    expect(isValidNationalId(born)).toBe(true);
    expect(isValidNationalId(born, new Date('2026-01-14T23:00:00+08:00'))).toBe(false);
    expect(isValidNationalId(born, new Date('2026-01-15T00:00:00+08:00'))).toBe(true);
  });
});

describe('reading the birth date from an ID number', () => {
  it('reads YYYY-MM-DD from a valid number', () => {
    expect(birthDateFromNationalId(boyBorn2010)).toBe('2010-03-15');
    expect(birthDateFromNationalId(bornLeapDay)).toBe('2016-02-29');
    expect(birthDateFromNationalId('42010220080101123x')).toBe('2008-01-01');
  });

  it('gives nothing for an invalid number', () => {
    expect(birthDateFromNationalId('420102201003150039')).toBeNull();
    expect(birthDateFromNationalId('not an id')).toBeNull();
  });
});

describe('masking ID numbers for lists and logs', () => {
  it('keeps the first four and last four characters and stars the rest', () => {
    expect(maskNationalId('420102200801011234')).toBe('4201**********1234');
    expect(maskNationalId(withCheckX)).toBe('4201**********123X');
  });

  it('keeps the length of odd-length input', () => {
    expect(maskNationalId('123456789')).toBe('1234*6789');
    expect(maskNationalId('420102801011234')).toBe('4201*******1234');
  });

  it('stars short input entirely so nothing of it leaks', () => {
    expect(maskNationalId('12345678')).toBe('********');
    expect(maskNationalId('42')).toBe('**');
    expect(maskNationalId('')).toBe('');
  });
});

describe('normalizing ID numbers', () => {
  it('trims spaces and upper-cases the check character', () => {
    expect(normalizeNationalId(' 42010220080101123x\n')).toBe(withCheckX);
  });
});
