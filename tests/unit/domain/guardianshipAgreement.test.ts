import {
  decideOnCapacity,
  defaultValidUntil,
  expiryHorizon,
  isExpired,
  isExpiringWithin,
  isValidOn,
  needsAgreement,
  parseAgreementTerms,
} from '../../../src/domain/guardianshipAgreement';
import { CAPACITY_LEVEL_LABELS } from '../../../src/domain/labels';

const approved = (validFrom: string | null, validUntil: string | null) => ({ status: 'approved' as const, validFrom, validUntil });

describe('guardianship agreements (委托监护责任确认书)', () => {
  it('name the four capacity levels of the Hubei standard in Chinese', () => {
    expect(CAPACITY_LEVEL_LABELS).toEqual({ normal: '正常', insufficient: '不足', improper: '失当', absent: '缺失' });
  });

  it.each([
    ['normal', true, { status: 'approved', report: null, followUp: false }],
    ['insufficient', true, { status: 'approved', report: null, followUp: true }],
    ['improper', true, { status: 'rejected', report: 'high', followUp: false }],
    ['absent', true, { status: 'rejected', report: 'urgent', followUp: false }],
    ['normal', false, { status: 'rejected', report: null, followUp: false }],
    ['absent', false, { status: 'rejected', report: 'urgent', followUp: false }],
  ] as const)('decide on capacity %s (willing: %s)', (level, willing, decision) => {
    expect(decideOnCapacity(level, willing)).toEqual(decision);
  });

  it('are valid from their first to their last day, and only once approved', () => {
    const agreement = approved('2026-09-01', '2027-08-31');
    expect(isValidOn(agreement, '2026-08-31')).toBe(false);
    expect(isValidOn(agreement, '2026-09-01')).toBe(true);
    expect(isValidOn(agreement, '2027-08-31')).toBe(true);
    expect(isValidOn(agreement, '2027-09-01')).toBe(false);
    expect(isValidOn(approved(null, null), '2030-01-01')).toBe(true);
    for (const status of ['pending', 'rejected', 'ended'] as const) {
      expect(isValidOn({ ...agreement, status }, '2027-01-01')).toBe(false);
    }
  });

  it('expire the day after their last day', () => {
    expect(isExpired(approved('2026-09-01', '2027-08-31'), '2027-08-31')).toBe(false);
    expect(isExpired(approved('2026-09-01', '2027-08-31'), '2027-09-01')).toBe(true);
    expect(isExpired({ status: 'ended', validFrom: '2026-09-01', validUntil: '2027-08-31' }, '2027-09-01')).toBe(false);
    expect(isExpired(approved('2026-09-01', null), '2099-01-01')).toBe(false);
  });

  it('are due a reminder from 30 days before their last day', () => {
    const agreement = approved('2026-09-01', '2027-08-31');
    expect(expiryHorizon('2027-08-01')).toBe('2027-08-31');
    expect(isExpiringWithin(agreement, '2027-07-31')).toBe(false);
    expect(isExpiringWithin(agreement, '2027-08-01')).toBe(true);
    expect(isExpiringWithin(agreement, '2027-08-31')).toBe(true);
    expect(isExpiringWithin(agreement, '2027-09-01')).toBe(false);
    expect(isExpiringWithin(agreement, '2027-08-20', 7)).toBe(false);
  });

  it('run one year by default', () => {
    expect(defaultValidUntil('2026-09-01')).toBe('2027-08-31');
    expect(defaultValidUntil('2028-02-29')).toBe('2029-02-28');
    expect(defaultValidUntil('2027-03-01')).toBe('2028-02-29');
    expect(() => defaultValidUntil('2026-13-01')).toThrow('not a YYYY-MM-DD date');
  });

  describe('are needed by a minor whose parents both work away', () => {
    const away = { worksAway: true };
    const home = { worksAway: false };
    const child = { birthDate: '2016-05-01', parents: [away, away], agreements: [] };

    it('with no agreement valid today', () => {
      expect(needsAgreement(child, '2026-11-28')).toBe(true);
      expect(needsAgreement({ ...child, agreements: [approved('2026-01-01', '2026-12-31')] }, '2026-11-28')).toBe(false);
      expect(needsAgreement({ ...child, agreements: [approved('2025-01-01', '2025-12-31')] }, '2026-11-28')).toBe(true);
      expect(needsAgreement({ ...child, agreements: [{ status: 'pending', validFrom: null, validUntil: null }] }, '2026-11-28')).toBe(true);
    });

    it('not when a parent is at home or unknown, nor once the child is 18', () => {
      expect(needsAgreement({ ...child, parents: [away, home] }, '2026-11-28')).toBe(false);
      expect(needsAgreement({ ...child, parents: [away, { worksAway: null }] }, '2026-11-28')).toBe(false);
      expect(needsAgreement({ ...child, parents: [away] }, '2026-11-28')).toBe(false);
      expect(needsAgreement(child, '2034-04-30')).toBe(true);
      expect(needsAgreement(child, '2034-05-01')).toBe(false);
    });
  });

  describe("read a director's one-line assessment", () => {
    const parse = (line: string) => parseAgreementTerms(line.split(' ').filter(Boolean));

    it('by the shape of each item, in any order', () => {
      expect(parse('祖母 68岁 健康良好 愿意 正常 至2027-08-31')).toEqual({
        terms: { relation: '祖母', guardianAge: 68, guardianHealth: '健康良好', guardianWilling: true, capacityLevel: 'normal', validUntil: '2027-08-31' },
      });
      expect(parse('至2027-08-31 不足 腿脚不便 72岁 外婆')).toEqual({
        terms: { relation: '外婆', guardianAge: 72, guardianHealth: '腿脚不便', guardianWilling: true, capacityLevel: 'insufficient', validUntil: '2027-08-31' },
      });
      expect(parse('干妈 不愿意 缺失')).toEqual({
        terms: { relation: '干妈', guardianAge: null, guardianHealth: null, guardianWilling: false, capacityLevel: 'absent', validUntil: null },
      });
    });

    it('with defaults for what is not said: willing, 正常, no relation', () => {
      expect(parse('')).toEqual({
        terms: { relation: null, guardianAge: null, guardianHealth: null, guardianWilling: true, capacityLevel: 'normal', validUntil: null },
      });
      // the first item looks like health, not like a relation
      expect(parse('身体健康 失当')).toEqual({ terms: expect.objectContaining({ relation: null, guardianHealth: '身体健康', capacityLevel: 'improper' }) });
    });

    it('refusing a bad age, a minor, a bad date or an item said twice', () => {
      expect(parse('奶奶 200岁')).toEqual({ problem: { code: 'bad_age', token: '200岁' } });
      expect(parse('奶奶 68')).toEqual({ problem: { code: 'bad_age', token: '68' } });
      expect(parse('哥哥 16岁')).toEqual({ problem: { code: 'minor_guardian', age: 16 } });
      expect(parse('奶奶 至2027-02-30')).toEqual({ problem: { code: 'bad_date', token: '至2027-02-30' } });
      expect(parse('奶奶 至明年')).toEqual({ problem: { code: 'bad_date', token: '至明年' } });
      expect(parse('奶奶 正常 不足')).toEqual({ problem: { code: 'repeated', token: '不足' } });
    });
  });
});
