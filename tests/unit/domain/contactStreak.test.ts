import { closeWeek, streakAlert } from '../../../src/domain/contactStreak';

describe('the weekly contact verdict', () => {
  it('keeps a week with any logged contact and ends the missed run', () => {
    expect(closeWeek(1, 3)).toEqual({ status: 'kept', missedStreak: 0 });
    expect(closeWeek(5, null)).toEqual({ status: 'kept', missedStreak: 0 });
  });

  it('misses a week without contact and extends the run from the week before', () => {
    expect(closeWeek(0, undefined)).toEqual({ status: 'missed', missedStreak: 1 });
    expect(closeWeek(0, 0)).toEqual({ status: 'missed', missedStreak: 1 });
    expect(closeWeek(0, 1)).toEqual({ status: 'missed', missedStreak: 2 });
    expect(closeWeek(0, 3)).toEqual({ status: 'missed', missedStreak: 4 });
  });

  it('alerts the family and director at exactly two missed weeks, and files a report at exactly four', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 8].map(streakAlert)).toEqual([null, null, 'notify_family_and_director', null, 'file_report', null, null, null]);
  });
});
