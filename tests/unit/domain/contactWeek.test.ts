import {
  contactWeekByKey,
  contactWeekOf,
  inZone,
  localDateIn,
  nextContactWeek,
  previousContactWeek,
} from '../../../src/domain/contactWeek';
import { DomainError } from '../../../src/domain/DomainError';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
  return undefined;
}

describe('contact weeks (Monday 00:00 to Sunday 24:00, Asia/Shanghai)', () => {
  it('puts a contact logged at 23:59 on Sunday night in Shanghai into that week, not the next', () => {
    // 2026-11-29 is a Sunday; 23:59:59 in Shanghai is 15:59:59 UTC
    const week = contactWeekOf(new Date('2026-11-29T15:59:59Z'));
    expect(week.key).toBe('2026-W48');
    expect(week.start.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(week.zone).toBe('Asia/Shanghai');
  });

  it('starts a new week at Monday 00:00 in Shanghai, which is still Sunday afternoon in UTC', () => {
    const week = contactWeekOf(new Date('2026-11-29T16:00:00Z'));
    expect(week.key).toBe('2026-W49');
    expect(week.start.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-12-06T16:00:00.000Z');
  });

  it('puts a contact on Monday morning in Shanghai into the new week even though UTC still says Sunday', () => {
    expect(contactWeekOf(new Date('2026-11-29T17:30:00Z')).key).toBe('2026-W49');
  });

  it('keeps New Year\u2019s Eve and New Year\u2019s Day 2027 in the same week, 2026-W53', () => {
    const eve = contactWeekOf(new Date('2026-12-31T12:00:00+08:00'));
    const newYear = contactWeekOf(new Date('2027-01-01T09:00:00+08:00'));
    expect(eve.key).toBe('2026-W53');
    expect(newYear.key).toBe('2026-W53');
    expect(newYear.start.toISOString()).toBe('2026-12-27T16:00:00.000Z');
  });

  it('names the week from the first Monday of 2027 as 2027-W01', () => {
    expect(contactWeekOf(new Date('2027-01-04T00:00:00+08:00')).key).toBe('2027-W01');
  });

  it('counts 31 December 2024 as part of the first week of 2025 (2025-W01)', () => {
    const week = contactWeekOf(new Date('2024-12-31T10:00:00+08:00'));
    expect(week.key).toBe('2025-W01');
    expect(week.start.toISOString()).toBe('2024-12-29T16:00:00.000Z');
  });

  it('counts a Sunday in January 2021 as part of the last week of 2020 (2020-W53)', () => {
    expect(contactWeekOf(new Date('2021-01-03T20:00:00+08:00')).key).toBe('2020-W53');
  });

  it('uses another time zone when one is configured', () => {
    // Monday 00:30 in Shanghai, but still Sunday 16:30 in UTC
    const instant = new Date('2026-11-29T16:30:00Z');
    expect(contactWeekOf(instant, 'Asia/Shanghai').key).toBe('2026-W49');
    const utcWeek = contactWeekOf(instant, 'UTC');
    expect(utcWeek.key).toBe('2026-W48');
    expect(utcWeek.start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(utcWeek.zone).toBe('UTC');
  });

  it('ends a week at local midnight in a zone that switches to daylight saving during it', () => {
    // US clocks go forward on Sunday 2026-03-08, so that week is 167 hours long
    const week = contactWeekOf(new Date('2026-03-05T12:00:00Z'), 'America/New_York');
    expect(week.start.toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('gives each of many messages in a row its own week, at the edges too, and a copy the caller may change', () => {
    const sundayNight = contactWeekOf(new Date('2026-11-29T15:59:59.999Z'));
    sundayNight.start.setTime(0);
    expect(contactWeekOf(new Date('2026-11-24T00:00:00Z')).key).toBe('2026-W48');
    expect(contactWeekOf(new Date('2026-11-29T15:59:59.999Z')).start).toEqual(new Date('2026-11-22T16:00:00Z'));
    expect(contactWeekOf(new Date('2026-11-29T16:00:00Z')).key).toBe('2026-W49');
    expect(contactWeekOf(new Date('2026-11-22T15:59:59.999Z')).key).toBe('2026-W47');
    expect(contactWeekOf(new Date('2026-11-29T16:00:00Z'), 'Europe/Berlin').key).toBe('2026-W48');
  });

  it('rejects an unknown time zone', () => {
    expect(errorCode(() => contactWeekOf(new Date('2026-11-29T00:00:00Z'), 'Mars/Olympus'))).toBe('bad_time_zone');
  });

  it('rejects an invalid date', () => {
    expect(errorCode(() => contactWeekOf(new Date('not a date')))).toBe('bad_instant');
  });
});

describe('moving between contact weeks', () => {
  it('goes back from the first week of 2027 to 2026-W53', () => {
    const previous = previousContactWeek(contactWeekByKey('2027-W01'));
    expect(previous.key).toBe('2026-W53');
    expect(previous.start.toISOString()).toBe('2026-12-27T16:00:00.000Z');
    expect(previous.end.toISOString()).toBe('2027-01-03T16:00:00.000Z');
  });

  it('goes forward from 2026-W53 to the first week of 2027', () => {
    const next = nextContactWeek(contactWeekByKey('2026-W53'));
    expect(next.key).toBe('2027-W01');
    expect(next.start.toISOString()).toBe('2027-01-03T16:00:00.000Z');
  });

  it('stays in the configured time zone when moving to the next week', () => {
    const next = nextContactWeek(contactWeekOf(new Date('2026-11-25T12:00:00Z'), 'UTC'));
    expect(next.key).toBe('2026-W49');
    expect(next.start.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(next.zone).toBe('UTC');
  });
});

describe('looking a contact week up by its key', () => {
  it('finds the Monday-to-Monday span of 2026-W48 in Shanghai', () => {
    const week = contactWeekByKey('2026-W48');
    expect(week.start.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(week.end.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(week.key).toBe('2026-W48');
  });

  it('finds 2020-W53, which ends on Sunday 3 January 2021', () => {
    const week = contactWeekByKey('2020-W53');
    expect(week.start.toISOString()).toBe('2020-12-27T16:00:00.000Z');
    expect(week.end.toISOString()).toBe('2021-01-03T16:00:00.000Z');
  });

  it('reads the key in the given time zone', () => {
    expect(contactWeekByKey('2026-W48', 'UTC').start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('refuses a week 53 in a year that has only 52 weeks', () => {
    expect(errorCode(() => contactWeekByKey('2025-W53'))).toBe('bad_week_key');
  });

  it.each(['2026-W00', '2026-W5', '2026W05', '2026-w05', '26-W05', '2026-W05 ', ''])(
    'refuses the key %j',
    (key) => {
      expect(errorCode(() => contactWeekByKey(key))).toBe('bad_week_key');
    },
  );

  it('refuses an unknown time zone', () => {
    expect(errorCode(() => contactWeekByKey('2026-W48', 'Nowhere/Land'))).toBe('bad_time_zone');
  });
});

describe('localDateIn (the dates of the child ledger export)', () => {
  it('gives the local calendar date inZone gives, either side of local midnight and in years long past', () => {
    const instants = ['2026-11-29T15:59:59Z', '2026-11-29T16:00:00Z', '1999-12-31T16:00:00Z', '2027-03-28T00:30:00Z', '2008-02-29T12:00:00Z'].map((iso) => new Date(iso));
    for (const zone of ['Asia/Shanghai', 'Europe/London', 'America/Los_Angeles']) {
      const localDate = localDateIn(zone);
      for (const instant of instants) expect(localDate(instant)).toBe(inZone(instant, zone).toISODate());
    }
    expect(localDateIn('Asia/Shanghai')(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
  });

  it('refuses an unknown time zone', () => {
    expect(errorCode(() => localDateIn('Nowhere/Land'))).toBe('bad_time_zone');
  });
});
