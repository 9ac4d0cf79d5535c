import {
  assessmentRoundByKey,
  assessmentRoundOf,
  isInRoundWindow,
  isReminderDue,
  isRoundClosingDay,
  roundLabel,
} from '../../../src/domain/assessmentRound';

const SHANGHAI = (local: string) => new Date(`${local}+08:00`);

describe('assessment rounds (March and September)', () => {
  it.each([
    ['2026-03-01T00:00:00', '2026-03'],
    ['2026-05-20T12:00:00', '2026-03'],
    ['2026-08-31T23:59:59', '2026-03'],
    ['2026-09-01T00:00:00', '2026-09'],
    ['2026-12-31T23:59:59', '2026-09'],
    ['2027-01-15T10:00:00', '2026-09'],
    ['2027-02-28T23:59:59', '2026-09'],
    ['2027-03-01T00:00:00', '2027-03'],
  ])('put %s (Asia/Shanghai) in round %s', (local, key) => {
    expect(assessmentRoundOf(SHANGHAI(local), 'Asia/Shanghai').key).toBe(key);
  });

  it('decide the round by the local date, not UTC', () => {
    // 1 March 00:30 in Shanghai is still 28 February in UTC
    expect(assessmentRoundOf(new Date('2026-02-28T16:30:00Z'), 'Asia/Shanghai').key).toBe('2026-03');
    expect(assessmentRoundOf(new Date('2026-02-28T16:30:00Z'), 'UTC').key).toBe('2025-09');
  });

  it('span the round month as its window, in local time', () => {
    const round = assessmentRoundByKey('2026-09', 'Asia/Shanghai');
    expect(round.start.toISOString()).toBe('2026-08-31T16:00:00.000Z');
    expect(round.windowEnd.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(isInRoundWindow(SHANGHAI('2026-09-01T00:00:00'), round)).toBe(true);
    expect(isInRoundWindow(SHANGHAI('2026-09-30T23:59:59'), round)).toBe(true);
    expect(isInRoundWindow(SHANGHAI('2026-10-01T00:00:00'), round)).toBe(false);
    expect(isInRoundWindow(SHANGHAI('2026-08-31T23:59:59'), round)).toBe(false);
    expect(roundLabel(round)).toBe('2026年9月');
  });

  it('close only on the last day of the round month (31 March, 30 September)', () => {
    const march = assessmentRoundByKey('2026-03');
    expect(isRoundClosingDay(SHANGHAI('2026-03-31T20:00:00'), march)).toBe(true);
    expect(isRoundClosingDay(SHANGHAI('2026-03-30T20:00:00'), march)).toBe(false);
    expect(isRoundClosingDay(SHANGHAI('2026-05-31T20:00:00'), march)).toBe(false);
    const september = assessmentRoundByKey('2026-09');
    expect(isRoundClosingDay(SHANGHAI('2026-09-30T20:00:00'), september)).toBe(true);
    expect(isRoundClosingDay(SHANGHAI('2026-09-29T20:00:00'), september)).toBe(false);
  });

  it('remind only inside the round month and after the first days', () => {
    const round = assessmentRoundByKey('2027-03');
    expect(isReminderDue(SHANGHAI('2027-03-01T09:30:00'), round)).toBe(false); // a Monday: the list went out at 09:00
    expect(isReminderDue(SHANGHAI('2027-03-08T09:30:00'), round)).toBe(true);
    expect(isReminderDue(SHANGHAI('2027-04-05T09:30:00'), round)).toBe(false);
  });

  it('reject malformed round keys', () => {
    expect(() => assessmentRoundByKey('2026-04')).toThrow('malformed');
    expect(() => assessmentRoundByKey('26-03')).toThrow('malformed');
    expect(() => assessmentRoundOf(new Date(), 'Mars/Base')).toThrow();
  });
});
