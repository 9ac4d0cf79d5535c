import { loadConfig } from '../../../src/config';
import { ConfigError } from '../../../src/configError';
import { jobSchedules } from '../../../src/jobs/jobRegistry';
import { nextOccurrence, parseSchedules, scheduleVariable } from '../../../src/jobs/schedules';

const SHANGHAI = 'Asia/Shanghai';
const JOBS = [
  { name: 'contact-reminder', defaultSchedule: '0 19 * * 5' },
  { name: 'teacher-check-in', defaultSchedule: '30 16 * * 3' },
];

describe('job schedules', () => {
  it('names the variable of a job in upper snake case', () => {
    expect(scheduleVariable('contact-reminder')).toBe('SHOUWANG_SCHEDULE_CONTACT_REMINDER');
    expect(scheduleVariable('assessment-round')).toBe('SHOUWANG_SCHEDULE_ASSESSMENT_ROUND');
  });

  it("uses each job's default unless its variable overrides it", () => {
    expect(parseSchedules({}, JOBS)).toEqual({ 'contact-reminder': '0 19 * * 5', 'teacher-check-in': '30 16 * * 3' });
    expect(parseSchedules({ SHOUWANG_SCHEDULE_CONTACT_REMINDER: ' 0 20 * * 5 ', SHOUWANG_SCHEDULE_TEACHER_CHECK_IN: '' }, JOBS)).toEqual({
      'contact-reminder': '0 20 * * 5',
      'teacher-check-in': '30 16 * * 3',
    });
  });

  it('rejects a bad expression, and a variable that names no job, in one line naming the variable', () => {
    expect(() => parseSchedules({ SHOUWANG_SCHEDULE_CONTACT_REMINDER: '0 25 * * 5' }, JOBS)).toThrow(
      "SHOUWANG_SCHEDULE_CONTACT_REMINDER is not a valid cron expression (minute hour day-of-month month day-of-week, e.g. '0 19 * * 5' for Friday 19:00)",
    );
    expect(() => parseSchedules({ SHOUWANG_SCHEDULE_CONTACT_REMINDR: '0 19 * * 5' }, JOBS)).toThrow(
      'SHOUWANG_SCHEDULE_CONTACT_REMINDR names no job (schedulable: SHOUWANG_SCHEDULE_CONTACT_REMINDER, SHOUWANG_SCHEDULE_TEACHER_CHECK_IN)',
    );
  });

  it('the service configuration refuses a bad schedule or quiet hours with one line naming the variable', () => {
    const problem = (env: NodeJS.ProcessEnv) => {
      try {
        jobSchedules(loadConfig(env, '/srv/shouwang').scheduleOverrides);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(problem({ SHOUWANG_SCHEDULE_NO_SUCH_JOB: 'every friday' })).toMatch(/^Configuration error: SHOUWANG_SCHEDULE_NO_SUCH_JOB names no job .*\.$/);
    expect(problem({ SHOUWANG_QUIET_HOURS: '21:30' })).toBe(
      'Configuration error: SHOUWANG_QUIET_HOURS must be two local times HH:MM-HH:MM, e.g. 21:30-08:00 (empty disables quiet hours).',
    );
    for (const message of [problem({ SHOUWANG_SCHEDULE_NO_SUCH_JOB: 'x' }), problem({ SHOUWANG_QUIET_HOURS: 'late' })]) {
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('quiet hours default to 21:30-08:00 and an empty value disables them', () => {
    expect(loadConfig({}, '/srv').quietHours).toEqual({ start: 1290, end: 480 });
    expect(loadConfig({ SHOUWANG_QUIET_HOURS: '22:00-07:00' }, '/srv').quietHours).toEqual({ start: 1320, end: 420 });
    expect(loadConfig({ SHOUWANG_QUIET_HOURS: '' }, '/srv').quietHours).toBeUndefined();
  });

  describe('next run', () => {
    it('Friday 19:00 in Shanghai, from a Wednesday, from Friday 19:00 itself and from just before it', () => {
      expect(nextOccurrence('0 19 * * 5', new Date('2026-03-04T02:00:00.000Z'), SHANGHAI)).toEqual(new Date('2026-03-06T11:00:00.000Z'));
      expect(nextOccurrence('0 19 * * 5', new Date('2026-03-06T11:00:00.000Z'), SHANGHAI)).toEqual(new Date('2026-03-13T11:00:00.000Z'));
      expect(nextOccurrence('0 19 * * 5', new Date('2026-03-06T10:59:59.999Z'), SHANGHAI)).toEqual(new Date('2026-03-06T11:00:00.000Z'));
    });

    it('follows the wall clock of the time zone, across the UTC date line and daylight saving', () => {
      // Monday 09:00 in Shanghai is Monday 01:00 UTC; from Sunday 23:30 Shanghai (Sunday 15:30 UTC).
      expect(nextOccurrence('0 9 * * 1', new Date('2026-03-08T15:30:00.000Z'), SHANGHAI)).toEqual(new Date('2026-03-09T01:00:00.000Z'));
      // New York moves to daylight saving on 8 March 2026: 09:00 is 14:00 UTC before and 13:00 UTC after.
      expect(nextOccurrence('0 9 * * *', new Date('2026-03-07T15:00:00.000Z'), 'America/New_York')).toEqual(new Date('2026-03-08T13:00:00.000Z'));
    });

    it('every other field: month start, last day of the month, every minute, and 29 February', () => {
      expect(nextOccurrence('0 9 1 3,9 *', new Date('2026-03-02T00:00:00.000Z'), SHANGHAI)).toEqual(new Date('2026-09-01T01:00:00.000Z'));
      expect(nextOccurrence('0 18 L * *', new Date('2026-02-01T00:00:00.000Z'), SHANGHAI)).toEqual(new Date('2026-02-28T10:00:00.000Z'));
      expect(nextOccurrence('* * * * *', new Date('2026-03-06T11:00:30.000Z'), SHANGHAI)).toEqual(new Date('2026-03-06T11:01:00.000Z'));
      expect(nextOccurrence('0 0 29 2 *', new Date('2026-03-01T00:00:00.000Z'), SHANGHAI)).toEqual(new Date('2028-02-28T16:00:00.000Z'));
    });
  });
});
