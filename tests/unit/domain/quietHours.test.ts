import { isQuietTime, parseQuietHours } from '../../../src/domain/quietHours';

const SHANGHAI = 'Asia/Shanghai';
/** A wall-clock time in Shanghai (UTC+8, no daylight saving) on 6 March 2026. */
const shanghai = (hhmm: string, day = '2026-03-06') => new Date(`${day}T${hhmm}:00.000+08:00`);

describe('quiet hours', () => {
  const night = parseQuietHours('21:30-08:00');

  it('reads HH:MM-HH:MM as minutes after midnight, and empty as no quiet hours', () => {
    expect(night).toEqual({ start: 21 * 60 + 30, end: 8 * 60 });
    expect(parseQuietHours('')).toBeUndefined();
    expect(parseQuietHours('  ')).toBeUndefined();
    expect(parseQuietHours('9:05 - 11:00')).toEqual({ start: 545, end: 660 });
  });

  it('rejects malformed windows with a message that shows the expected form', () => {
    for (const bad of ['21:30', '21:30-8', '25:00-08:00', '21:60-08:00', '21:30-08:00-09:00', 'night']) {
      expect(() => parseQuietHours(bad)).toThrow('must be two local times HH:MM-HH:MM, e.g. 21:30-08:00');
    }
    expect(() => parseQuietHours('08:00-08:00')).toThrow('starts and ends at the same time');
  });

  it('a window crossing midnight covers the late evening and the early morning, start inclusive, end exclusive', () => {
    expect(isQuietTime(night, shanghai('21:29'), SHANGHAI)).toBe(false);
    expect(isQuietTime(night, shanghai('21:30'), SHANGHAI)).toBe(true);
    expect(isQuietTime(night, shanghai('23:59'), SHANGHAI)).toBe(true);
    expect(isQuietTime(night, shanghai('00:00'), SHANGHAI)).toBe(true);
    expect(isQuietTime(night, shanghai('07:59'), SHANGHAI)).toBe(true);
    expect(isQuietTime(night, shanghai('08:00'), SHANGHAI)).toBe(false);
    expect(isQuietTime(night, shanghai('12:00'), SHANGHAI)).toBe(false);
  });

  it('a window within one day covers only its own hours', () => {
    const lunch = parseQuietHours('12:00-14:00');
    expect(isQuietTime(lunch, shanghai('11:59'), SHANGHAI)).toBe(false);
    expect(isQuietTime(lunch, shanghai('13:00'), SHANGHAI)).toBe(true);
    expect(isQuietTime(lunch, shanghai('14:00'), SHANGHAI)).toBe(false);
    expect(isQuietTime(lunch, shanghai('23:00'), SHANGHAI)).toBe(false);
  });

  it('reads the clock in the configured time zone, not in UTC or the machine zone', () => {
    // 14:00 UTC is 22:00 in Shanghai (quiet) but 14:00 in London (not quiet).
    const at = new Date('2026-03-06T14:00:00.000Z');
    expect(isQuietTime(night, at, SHANGHAI)).toBe(true);
    expect(isQuietTime(night, at, 'Europe/London')).toBe(false);
    // 01:00 UTC is 09:00 in Shanghai (not quiet) but 20:00 the evening before in New York (not quiet either) …
    expect(isQuietTime(night, new Date('2026-03-06T01:00:00.000Z'), SHANGHAI)).toBe(false);
    // … and 03:00 UTC is 22:00 in New York (quiet there).
    expect(isQuietTime(night, new Date('2026-03-06T03:00:00.000Z'), 'America/New_York')).toBe(true);
  });

  it('no window means never quiet', () => {
    expect(isQuietTime(undefined, shanghai('23:00'), SHANGHAI)).toBe(false);
  });
});
