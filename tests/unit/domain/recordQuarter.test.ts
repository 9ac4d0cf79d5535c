import { nextRecordQuarter, previousRecordQuarter, quarterLabel, recordQuarterByKey, recordQuarterOf } from '../../../src/domain/recordQuarter';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);

describe('record quarters', () => {
  it.each([
    ['2026-01-01T00:00:00', '2026-Q1'],
    ['2026-03-31T23:59:59', '2026-Q1'],
    ['2026-04-01T00:00:00', '2026-Q2'],
    ['2026-09-30T12:00:00', '2026-Q3'],
    ['2026-10-01T00:00:00', '2026-Q4'],
    ['2026-12-31T23:59:59', '2026-Q4'],
  ])('put %s (Asia/Shanghai) in %s', (local, key) => {
    expect(recordQuarterOf(SHANGHAI(local), 'Asia/Shanghai').key).toBe(key);
  });

  it('use local dates: 1 January 00:30 in Shanghai is already the new quarter', () => {
    expect(recordQuarterOf(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai').key).toBe('2027-Q1');
    expect(recordQuarterOf(new Date('2026-12-31T16:30:00Z'), 'UTC').key).toBe('2026-Q4');
  });

  it('give the bounds and the neighbours, across the year', () => {
    const q4 = recordQuarterByKey('2026-Q4', 'Asia/Shanghai');
    expect(q4.start.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(q4.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(nextRecordQuarter(q4).key).toBe('2027-Q1');
    expect(previousRecordQuarter(recordQuarterByKey('2027-Q1')).key).toBe('2026-Q4');
    expect(previousRecordQuarter(recordQuarterOf(SHANGHAI('2027-01-01T01:00:00'))).key).toBe('2026-Q4');
    expect(quarterLabel(q4)).toBe('2026年第4季度');
  });

  it('reject malformed keys', () => {
    expect(() => recordQuarterByKey('2026-Q5')).toThrow('malformed');
    expect(() => recordQuarterByKey('2026Q1')).toThrow('malformed');
  });
});
