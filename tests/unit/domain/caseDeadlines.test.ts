import { loadConfig } from '../../../src/config';
import { ConfigError } from '../../../src/configError';
import { DEFAULT_DEADLINE_HOURS, parseCaseDeadlines, referDueAt, verifyDueAt } from '../../../src/domain/caseDeadlines';

const FILED = new Date('2026-11-28T02:00:00Z');
const hoursAfter = (hours: number) => new Date(FILED.getTime() + hours * 3_600_000);

describe('case deadlines', () => {
  it("follow the plan by default: urgent 2 h / 24 h, high 24 h / 3 days, normal 3 days / 7 days", () => {
    expect([verifyDueAt('urgent', FILED), referDueAt('urgent', FILED)]).toEqual([hoursAfter(2), hoursAfter(24)]);
    expect([verifyDueAt('high', FILED), referDueAt('high', FILED)]).toEqual([hoursAfter(24), hoursAfter(72)]);
    expect([verifyDueAt('normal', FILED), referDueAt('normal', FILED)]).toEqual([hoursAfter(72), hoursAfter(168)]);
  });

  it('are read from urgent=2h/24h,high=24h/3d,normal=3d/7d, severities left out keeping their default', () => {
    expect(parseCaseDeadlines('urgent=2h/24h,high=24h/3d,normal=3d/7d')).toEqual(DEFAULT_DEADLINE_HOURS);
    const configured = parseCaseDeadlines(' urgent = 1h/0.5d ');
    expect(configured).toEqual({ ...DEFAULT_DEADLINE_HOURS, urgent: { verify: 1, refer: 12 } });
    expect(verifyDueAt('urgent', FILED, configured)).toEqual(hoursAfter(1));
    expect(referDueAt('urgent', FILED, configured)).toEqual(hoursAfter(12));
    expect(DEFAULT_DEADLINE_HOURS.urgent).toEqual({ verify: 2, refer: 24 });
  });

  it('refuse what they cannot read', () => {
    expect(() => parseCaseDeadlines('urgent=2h')).toThrow(/severity=verify\/refer/);
    expect(() => parseCaseDeadlines('critical=1h/2h')).toThrow(/urgent, high, normal/);
    expect(() => parseCaseDeadlines('high=0h/3d')).toThrow(/positive number of hours or days/);
    expect(() => parseCaseDeadlines('high=2 weeks/3d')).toThrow(/positive number/);
    expect(() => parseCaseDeadlines('high=1d/3d,high=2d/4d')).toThrow(/names high twice/);
  });

  it('are configured by SHOUWANG_CASE_DEADLINES, a bad value stopping start-up with one line naming it', () => {
    expect(loadConfig({}, '/srv').caseDeadlines).toEqual(DEFAULT_DEADLINE_HOURS);
    expect(loadConfig({ SHOUWANG_CASE_DEADLINES: 'normal=2d/5d' }, '/srv').caseDeadlines.normal).toEqual({ verify: 48, refer: 120 });
    let message = '';
    try {
      loadConfig({ SHOUWANG_CASE_DEADLINES: 'urgent=soon' }, '/srv');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Configuration error: SHOUWANG_CASE_DEADLINES has "urgent=soon"/);
    expect(message.split('\n')).toHaveLength(1);
  });
});
