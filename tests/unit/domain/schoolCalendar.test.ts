import { DomainError } from '../../../src/domain/DomainError';
import {
  applicableCalendar,
  areaCodesNearestFirst,
  calendarDateSchema,
  daysBetween,
  DEFAULT_VACATION_DATES,
  defaultVacationDates,
  isHolidayPromptDue,
  localDate,
  looksLikeDate,
  parseHolidayDate,
  validateVacationDates,
  vacationsAround,
} from '../../../src/domain/schoolCalendar';

describe('school calendars', () => {
  it('default to winter 01-20..02-20 and summer 07-10..08-31 of the year', () => {
    expect(DEFAULT_VACATION_DATES).toEqual({ winter: { from: '01-20', to: '02-20' }, summer: { from: '07-10', to: '08-31' } });
    expect(defaultVacationDates(2027, 'winter')).toEqual({ startsOn: '2027-01-20', endsOn: '2027-02-20' });
    expect(defaultVacationDates(2026, 'summer')).toEqual({ startsOn: '2026-07-10', endsOn: '2026-08-31' });
  });

  describe('the applicable calendar', () => {
    // village 3 → township 2 → district 1
    const chain = [3, 2, 1];
    const township = { areaId: 2, year: 2027, vacation: 'winter' as const, startsOn: '2027-01-15', endsOn: '2027-02-25' };
    const village = { areaId: 3, year: 2027, vacation: 'winter' as const, startsOn: '2027-01-22', endsOn: '2027-02-22' };
    const district = { areaId: 1, year: 2027, vacation: 'winter' as const, startsOn: '2027-01-18', endsOn: '2027-02-18' };

    it("is the village's own over the township's and the district's", () => {
      expect(applicableCalendar(chain, [district, township, village], 2027, 'winter')).toBe(village);
    });
    it("is the township's when the village has none, over the district's", () => {
      expect(applicableCalendar(chain, [district, township], 2027, 'winter')).toBe(township);
    });
    it('ignores other years, other vacations and areas off the path (null means the defaults)', () => {
      const elsewhere = { ...village, areaId: 9 };
      const lastYear = { ...village, year: 2026 };
      const summer = { ...village, vacation: 'summer' as const };
      expect(applicableCalendar(chain, [elsewhere, lastYear, summer], 2027, 'winter')).toBeNull();
      expect(applicableCalendar(chain, [elsewhere, lastYear, summer, district], 2027, 'winter')).toBe(district);
    });
    it('reads a path nearest first', () => {
      expect(areaCodesNearestFirst('/880100/880101/880101001/880101001001/')).toEqual(['880101001001', '880101001', '880101', '880100']);
    });
  });

  describe('when parents are asked', () => {
    it('on the 14th day before the start, not the 15th; on the 13th or 12th after a missed run; not on the first day', () => {
      expect(isHolidayPromptDue('2027-01-05', '2027-01-20')).toBe(false); // 15 days
      expect(isHolidayPromptDue('2027-01-06', '2027-01-20')).toBe(true); // 14 days
      expect(isHolidayPromptDue('2027-01-08', '2027-01-20')).toBe(true);
      expect(isHolidayPromptDue('2027-01-19', '2027-01-20')).toBe(true);
      expect(isHolidayPromptDue('2027-01-20', '2027-01-20')).toBe(false);
      expect(isHolidayPromptDue('2027-01-25', '2027-01-20')).toBe(false);
    });
    it('counts days across months and years', () => {
      expect(daysBetween('2026-12-31', '2027-01-14')).toBe(14);
      expect(daysBetween('2027-01-14', '2026-12-31')).toBe(-14);
    });
    it('uses the local date in Shanghai: 17:00 UTC on Jan 5 is already Jan 6 there', () => {
      expect(localDate(new Date('2027-01-05T17:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-06');
      expect(localDate(new Date('2027-01-05T15:59:00Z'), 'Asia/Shanghai')).toBe('2027-01-05');
    });
    it("considers this year's and next year's vacations (a winter vacation is asked about in December)", () => {
      expect(vacationsAround('2026-12-20')).toEqual([
        { year: 2026, vacation: 'winter' },
        { year: 2026, vacation: 'summer' },
        { year: 2027, vacation: 'winter' },
        { year: 2027, vacation: 'summer' },
      ]);
    });
  });

  describe('dates parents write', () => {
    const winter2027 = '2027-01-20';
    it.each([
      ['1月25日', '2027-01-25'],
      ['1月25号', '2027-01-25'],
      ['1月25', '2027-01-25'],
      ['1-25', '2027-01-25'],
      ['01-25', '2027-01-25'],
      ['1/25', '2027-01-25'],
      ['2027-01-25', '2027-01-25'],
      ['2027年1月25日', '2027-01-25'],
      ['2月10日', '2027-02-10'],
    ])('%s → %s', (text, date) => {
      expect(parseHolidayDate(text, winter2027)).toBe(date);
    });
    it("take the vacation's year, but a December date for a winter vacation in January is the December before", () => {
      expect(parseHolidayDate('12月28日', winter2027)).toBe('2026-12-28');
      expect(parseHolidayDate('7月15日', '2027-07-10')).toBe('2027-07-15');
      expect(parseHolidayDate('2028-01-25', winter2027)).toBe('2028-01-25'); // a written year is kept
    });
    it.each(['2月30日', '13-01', '1月', '明天', '25', '0-5', '2027-02-29', '2月29日', '1月25日晚上'])('reject %s', (text) => {
      expect(parseHolidayDate(text, winter2027)).toBeNull();
    });
    it('tell a date from a child name or number', () => {
      expect(looksLikeDate('1月25日')).toBe(true);
      expect(looksLikeDate('1-25')).toBe(true);
      expect(looksLikeDate('2027-01-25')).toBe(true);
      expect(looksLikeDate('2')).toBe(false);
      expect(looksLikeDate('张小明')).toBe(false);
      expect(looksLikeDate('明天')).toBe(false);
    });
  });

  describe('dates an operator sets', () => {
    it('accept real dates only', () => {
      expect(calendarDateSchema.safeParse('2027-01-20').success).toBe(true);
      expect(calendarDateSchema.safeParse('2027-02-30').success).toBe(false);
      expect(calendarDateSchema.safeParse('2027-1-20').success).toBe(false);
    });
    it('reject a vacation that ends before it starts, or lies in another year', () => {
      const code = (fn: () => void) => {
        try {
          fn();
        } catch (error) {
          return error instanceof DomainError ? error.code : 'other';
        }
        return null;
      };
      expect(code(() => validateVacationDates(2027, 'winter', { startsOn: '2027-01-20', endsOn: '2027-02-20' }))).toBeNull();
      expect(code(() => validateVacationDates(2027, 'winter', { startsOn: '2026-12-30', endsOn: '2027-02-20' }))).toBeNull();
      expect(code(() => validateVacationDates(2027, 'winter', { startsOn: '2027-02-20', endsOn: '2027-01-20' }))).toBe('calendar_ends_before_start');
      expect(code(() => validateVacationDates(2027, 'summer', { startsOn: '2026-07-10', endsOn: '2026-08-31' }))).toBe('calendar_wrong_year');
      expect(code(() => validateVacationDates(2027, 'summer', { startsOn: '2027-07-10', endsOn: '2027-08-32' }))).toBe('bad_calendar_date');
    });
  });
});
