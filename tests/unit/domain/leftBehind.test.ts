import { ageOn, classifyLeftBehind, type ParentSituation } from '../../../src/domain/leftBehind';
import { DomainError } from '../../../src/domain/DomainError';

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
  return undefined;
}

const awayWorker: ParentSituation = { worksAway: true, hasGuardianshipCapacity: true };
const atHomeCapable: ParentSituation = { worksAway: false, hasGuardianshipCapacity: true };
const atHomeIncapable: ParentSituation = { worksAway: false, hasGuardianshipCapacity: false };

// a ten-year-old on 2026-09-01 (noon in Shanghai)
const child = { birthDate: '2016-03-10', asOf: new Date('2026-09-01T04:00:00Z') };

describe('who counts as a left-behind child', () => {
  it('counts a child whose parents both work in another city as left-behind', () => {
    expect(classifyLeftBehind({ ...child, parents: [awayWorker, awayWorker] })).toEqual({
      leftBehind: true,
      basis: 'computed',
      computed: true,
      reason: '父母双方外出务工',
    });
  });

  it('counts a child as left-behind when one parent works away and the other cannot look after them', () => {
    expect(classifyLeftBehind({ ...child, parents: [awayWorker, atHomeIncapable] })).toEqual({
      leftBehind: true,
      basis: 'computed',
      computed: true,
      reason: '一方外出务工，另一方无监护能力',
    });
  });

  it('does not count a child whose other parent is at home and able to care for them', () => {
    expect(classifyLeftBehind({ ...child, parents: [awayWorker, atHomeCapable] })).toEqual({
      leftBehind: false,
      basis: 'computed',
      computed: false,
      reason: '一方外出务工，另一方有监护能力',
    });
  });

  it('does not count a child whose parents both live at home', () => {
    const result = classifyLeftBehind({ ...child, parents: [atHomeCapable, atHomeIncapable] });
    expect(result.leftBehind).toBe(false);
    expect(result.reason).toBe('父母均未外出务工');
  });

  it('counts a child whose only known parent works away, the other being deceased or unknown', () => {
    const result = classifyLeftBehind({ ...child, parents: [awayWorker] });
    expect(result.leftBehind).toBe(true);
    expect(result.reason).toBe('一方外出务工，另一方无监护能力');
  });

  it('does not count a child whose only known parent lives at home', () => {
    expect(classifyLeftBehind({ ...child, parents: [atHomeIncapable] }).leftBehind).toBe(false);
  });

  it('does not count a child with no parent on record, since no parent works away', () => {
    const result = classifyLeftBehind({ ...child, parents: [] });
    expect(result.leftBehind).toBe(false);
    expect(result.reason).toBe('父母均未外出务工');
  });

  it('counts a child whose away parent lacks guardianship capacity while the other is also away', () => {
    const incapableAway: ParentSituation = { worksAway: true, hasGuardianshipCapacity: false };
    expect(classifyLeftBehind({ ...child, parents: [incapableAway, awayWorker] }).leftBehind).toBe(true);
  });

  it('refuses a list of more than two parents', () => {
    expect(errorCode(() => classifyLeftBehind({ ...child, parents: [awayWorker, awayWorker, awayWorker] }))).toBe(
      'too_many_parents',
    );
  });
});

describe('the under-16 limit', () => {
  const parents = [awayWorker, awayWorker];
  const birthDate = '2010-06-15';

  it('still counts a child as left-behind on the day before their 16th birthday', () => {
    const result = classifyLeftBehind({ birthDate, parents, asOf: new Date('2026-06-14T12:00:00+08:00') });
    expect(result.leftBehind).toBe(true);
  });

  it('no longer counts a child as left-behind on their 16th birthday', () => {
    expect(classifyLeftBehind({ birthDate, parents, asOf: new Date('2026-06-15T08:00:00+08:00') })).toEqual({
      leftBehind: false,
      basis: 'computed',
      computed: false,
      reason: '年满16周岁',
    });
  });

  it('goes by the Shanghai calendar: at midnight on the birthday in Shanghai the child is 16, though UTC still shows the day before', () => {
    expect(classifyLeftBehind({ birthDate, parents, asOf: new Date('2026-06-14T15:59:59Z') }).leftBehind).toBe(true);
    expect(classifyLeftBehind({ birthDate, parents, asOf: new Date('2026-06-14T16:00:00Z') }).leftBehind).toBe(false);
  });

  it('uses the calendar of a configured time zone instead of Shanghai', () => {
    const asOf = new Date('2026-06-14T16:00:00Z');
    expect(classifyLeftBehind({ birthDate, parents, asOf, zone: 'UTC' }).leftBehind).toBe(true);
  });

  it('refuses a birth date that is not a real YYYY-MM-DD date', () => {
    for (const bad of ['2010-02-30', '2010-6-15', '15/06/2010', '2010-06-15T00:00:00Z', '']) {
      expect(errorCode(() => classifyLeftBehind({ birthDate: bad, parents, asOf: child.asOf }))).toBe('bad_birth_date');
    }
  });

  it('refuses a birth date after the date it is evaluated on', () => {
    expect(errorCode(() => classifyLeftBehind({ birthDate: '2026-09-02', parents, asOf: child.asOf }))).toBe(
      'bad_birth_date',
    );
  });
});

describe('age in full years', () => {
  it('counts a newborn as 0 on the day of birth', () => {
    expect(ageOn('2026-09-01', new Date('2026-09-01T00:00:00+08:00'))).toBe(0);
  });

  it('adds a year on the birthday itself, not the day after', () => {
    expect(ageOn('2016-03-10', new Date('2026-03-09T23:59:00+08:00'))).toBe(9);
    expect(ageOn('2016-03-10', new Date('2026-03-10T00:00:00+08:00'))).toBe(10);
  });

  it('lets a child born on 29 February have their birthday on 28 February in common years', () => {
    expect(ageOn('2016-02-29', new Date('2027-02-27T12:00:00+08:00'))).toBe(10);
    expect(ageOn('2016-02-29', new Date('2027-02-28T12:00:00+08:00'))).toBe(11);
  });
});

describe('a director overriding the computed result', () => {
  it('uses the override and keeps both its reason and what the rule said', () => {
    const result = classifyLeftBehind({
      ...child,
      parents: [awayWorker, atHomeCapable],
      override: { leftBehind: true, reason: '  母亲长期住院，实际无人照料 ' },
    });
    expect(result).toEqual({
      leftBehind: true,
      basis: 'override',
      computed: false,
      reason: '母亲长期住院，实际无人照料',
    });
  });

  it('can take a child off the left-behind list against the rule', () => {
    const result = classifyLeftBehind({
      ...child,
      parents: [awayWorker, awayWorker],
      override: { leftBehind: false, reason: '父母已返乡，登记待更新' },
    });
    expect(result).toEqual({ leftBehind: false, basis: 'override', computed: true, reason: '父母已返乡，登记待更新' });
  });

  it('refuses an override without a reason', () => {
    for (const reason of ['', '   ', '\n\t']) {
      expect(
        errorCode(() =>
          classifyLeftBehind({ ...child, parents: [awayWorker], override: { leftBehind: false, reason } }),
        ),
      ).toBe('override_reason_required');
    }
  });
});
