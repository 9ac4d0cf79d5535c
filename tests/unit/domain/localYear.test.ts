import { DateTime } from 'luxon';
import { yearIn } from '../../../src/domain/localYear';

describe('yearIn', () => {
  it('gives the year luxon gives, across New Year in the zone and back again', () => {
    const instants = [
      '2026-12-31T15:59:59.999Z', // 23:59:59.999 in Shanghai
      '2026-12-31T16:00:00.000Z', // New Year in Shanghai, still 2026 in UTC
      '2026-06-01T00:00:00.000Z',
      '2027-12-31T16:00:00.000Z',
      '2026-12-31T16:00:00.000Z',
      '1999-12-31T23:59:59.999Z',
    ].map((iso) => new Date(iso));
    for (const zone of ['Asia/Shanghai', 'UTC', 'America/Los_Angeles']) {
      for (const instant of instants) expect([zone, instant, yearIn(instant, zone)]).toEqual([zone, instant, DateTime.fromJSDate(instant, { zone }).year]);
    }
    expect(yearIn(new Date('2026-12-31T16:00:00.000Z'), 'Asia/Shanghai')).toBe(2027);
    expect(yearIn(new Date('2026-12-31T16:00:00.000Z'), 'UTC')).toBe(2026);
  });

  it('gives NaN for a zone luxon does not know, as luxon does', () => {
    expect(yearIn(new Date('2026-06-01T00:00:00.000Z'), 'Mars/Olympus')).toBeNaN();
  });
});
