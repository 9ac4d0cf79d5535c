import { checkRoleDepartment } from '../../../src/domain/apiAccess';
import { departmentOfWord, DEPARTMENTS, DEPARTMENT_NAMES } from '../../../src/domain/departments';
import { DEFAULT_REFERRAL_DEADLINES, moveReferral, parseReferralDeadlines, referralDueAt } from '../../../src/domain/referrals';

const SENT = new Date('2026-11-30T01:00:00Z');
const DAY = 24 * 3_600_000;

describe('departments', () => {
  it('are one list with a Chinese name each, found by their name, a long form or with 局/部门', () => {
    expect(DEPARTMENTS).toHaveLength(12);
    expect(DEPARTMENTS.map((department) => departmentOfWord(DEPARTMENT_NAMES[department]))).toEqual(DEPARTMENTS);
    expect([departmentOfWord('派出所'), departmentOfWord('教育局'), departmentOfWord('民政部门'), departmentOfWord('气象局')]).toEqual(['police', 'education', 'civil_affairs', null]);
  });

  it('belong to department tokens only, which serve a city, district or township', () => {
    expect(() => checkRoleDepartment('department', 'education', 'district')).not.toThrow();
    expect(() => checkRoleDepartment('department', null, 'district')).toThrow('names its department');
    expect(() => checkRoleDepartment('department', 'education', 'village')).toThrow('not a village');
    expect(() => checkRoleDepartment('officer_district', 'education', 'district')).toThrow('only a department token');
  });
});

describe('a referral', () => {
  it('is accepted, then answered; progress notes come in between', () => {
    expect(moveReferral('sent', 'accept', null)).toEqual({ state: 'accepted', note: null });
    expect(moveReferral('accepted', 'progress', ' 已联系学校 ')).toEqual({ state: 'accepted', note: '已联系学校' });
    expect(moveReferral('accepted', 'answer', '已复学')).toEqual({ state: 'answered', note: '已复学' });
  });

  it('cannot be answered before it is accepted, nor acted on once answered or returned', () => {
    expect(() => moveReferral('sent', 'answer', '已复学')).toThrow('accept it first');
    expect(() => moveReferral('answered', 'return', '误转')).toThrow('cannot return');
    expect(() => moveReferral('returned', 'accept', null)).toThrow('cannot accept');
  });

  it('is handed back only with a reason, and answered only with the answer', () => {
    expect(() => moveReferral('sent', 'return', ' ')).toThrow('needs a note');
    expect(() => moveReferral('accepted', 'answer', null)).toThrow('needs a note');
    expect(moveReferral('sent', 'return', '不属本部门')).toEqual({ state: 'returned', note: '不属本部门' });
  });

  it('is due in seven days, from the police in three on a mandatory report', () => {
    expect(referralDueAt('education', true, SENT)).toEqual(new Date(SENT.getTime() + 7 * DAY));
    expect(referralDueAt('police', false, SENT)).toEqual(new Date(SENT.getTime() + 7 * DAY));
    expect(referralDueAt('police', true, SENT)).toEqual(new Date(SENT.getTime() + 3 * DAY));
  });
});

describe('SHOUWANG_REFERRAL_DEADLINES', () => {
  it('sets a department, the default for the rest, and the police on mandatory reports', () => {
    const hours = parseReferralDeadlines('education=5d, default=10d, police_mandatory=24h');
    expect(hours.byDepartment.education).toBe(120);
    expect(hours.byDepartment.health).toBe(240);
    expect(hours.policeMandatory).toBe(24);
    expect(referralDueAt('police', true, SENT, hours)).toEqual(new Date(SENT.getTime() + DAY));
  });

  it('keeps the defaults when empty, and names a bad entry', () => {
    expect(parseReferralDeadlines('')).toEqual(DEFAULT_REFERRAL_DEADLINES);
    expect(() => parseReferralDeadlines('weather=3d')).toThrow('"weather=3d"');
    expect(() => parseReferralDeadlines('education=3 weeks')).toThrow('"education=3 weeks"');
    expect(() => parseReferralDeadlines('education=0d')).toThrow('more than zero');
  });
});
