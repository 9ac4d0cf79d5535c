import { AREA_LEVELS, areaPath, childLevel, isWithinArea, validateAreaCode } from '../../../src/domain/areaScope';
import { DomainError } from '../../../src/domain/DomainError';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
  return undefined;
}

const city = { path: '/420100/' };
const district = { path: '/420100/420102/' };
const township = { path: '/420100/420102/420102001/' };
const village = { path: '/420100/420102/420102001/420102001001/' };
const otherDistrict = { path: '/420100/420103/' };

describe('area paths', () => {
  it('builds a village path from the codes of its city, district and township', () => {
    const districtPath = areaPath(areaPath(null, '420100'), '420102');
    const townshipPath = areaPath(districtPath, '420102001');
    expect(districtPath).toBe('/420100/420102/');
    expect(areaPath(townshipPath, '420102001001')).toBe('/420100/420102/420102001/420102001001/');
  });

  it('gives a top-level area a path of its own code', () => {
    expect(areaPath(null, '420100')).toBe('/420100/');
  });

  it('refuses a malformed parent path', () => {
    for (const parent of ['420100', '/420100', '420100/', '/', '', '/420100//', '/4201/']) {
      expect(errorCode(() => areaPath(parent, '420102'))).toBe('bad_area_path');
    }
  });

  it('refuses a malformed code', () => {
    expect(errorCode(() => areaPath('/420100/', '42-01'))).toBe('bad_area_code');
  });
});

describe('area codes', () => {
  it('accepts district, township and village codes', () => {
    expect(() => validateAreaCode('420102')).not.toThrow();
    expect(() => validateAreaCode('420102001')).not.toThrow();
    expect(() => validateAreaCode('420102001001')).not.toThrow();
  });

  it.each(['42010', '4201020010011', '42010a', ' 420102', '４２０１０２', ''])('refuses the code %j', (code) => {
    expect(errorCode(() => validateAreaCode(code))).toBe('bad_area_code');
  });
});

describe('whether an area lies within another', () => {
  it('lets a district officer see a village in their district', () => {
    expect(isWithinArea(village, district)).toBe(true);
  });

  it('lets a city officer see every level below the city', () => {
    expect(isWithinArea(district, city)).toBe(true);
    expect(isWithinArea(township, city)).toBe(true);
    expect(isWithinArea(village, city)).toBe(true);
  });

  it('counts an area as within itself', () => {
    expect(isWithinArea(township, township)).toBe(true);
  });

  it('does not let a village director see the whole township', () => {
    expect(isWithinArea(township, village)).toBe(false);
  });

  it('does not let one district see into a neighbouring district', () => {
    expect(isWithinArea(village, otherDistrict)).toBe(false);
  });

  it('compares whole codes, so a code that is a prefix of another does not contain it', () => {
    expect(isWithinArea({ path: '/420100/4201020/' }, { path: '/420100/420102/' })).toBe(false);
    expect(isWithinArea({ path: '/420100/420102001/' }, { path: '/420100/420102/' })).toBe(false);
  });

  it('grants nothing for a malformed path', () => {
    expect(isWithinArea(village, { path: '' })).toBe(false);
    expect(isWithinArea(village, { path: '/' })).toBe(false);
    expect(isWithinArea(village, { path: '/420100' })).toBe(false);
    expect(isWithinArea({ path: '/420100/420102' }, city)).toBe(false);
  });
});

describe('area levels', () => {
  it('lists the levels from city down to village', () => {
    expect(AREA_LEVELS).toEqual(['city', 'district', 'township', 'village']);
  });

  it('goes one level down: city, district, township, village, then nothing', () => {
    expect(childLevel('city')).toBe('district');
    expect(childLevel('district')).toBe('township');
    expect(childLevel('township')).toBe('village');
    expect(childLevel('village')).toBeNull();
  });
});
