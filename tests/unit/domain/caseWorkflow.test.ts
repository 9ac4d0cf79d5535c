import { DEFAULT_DEADLINE_HOURS, parseCaseDeadlines } from '../../../src/domain/caseDeadlines';
import {
  allowedActions,
  CASE_ACTIONS,
  CASE_STATES,
  departmentOfWord,
  mayMoveCase,
  maySeeReporter,
  overdueLevel,
  transitionCase,
  type CaseAction,
  type CaseState,
} from '../../../src/domain/caseWorkflow';
import { DomainError } from '../../../src/domain/DomainError';

const NOW = new Date('2026-11-28T02:00:00Z');
const HOUR = 3_600_000;

/** The workflow as a table: each action from the states it may follow, and where it leads. */
const ALLOWED: Array<[CaseState, CaseAction, CaseState]> = [
  ['reported', 'verify', 'verified'],
  ['verified', 'refer', 'referred'],
  ['referred', 'assist', 'assisting'],
  // A further department: the case stays where it is.
  ['referred', 'refer', 'referred'],
  ['assisting', 'refer', 'assisting'],
  ['assisting', 'close', 'closed'],
  ['reported', 'dismiss', 'dismissed'],
  ['verified', 'dismiss', 'dismissed'],
  ['closed', 'reopen', 'verified'],
];
const allowed = (state: CaseState, action: CaseAction) => ALLOWED.some(([from, a]) => from === state && a === action);
const REFUSED = CASE_STATES.flatMap((state) => CASE_ACTIONS.filter((action) => !allowed(state, action)).map((action) => [state, action] as const));

const move = (state: CaseState, action: CaseAction, extra: { note?: string | null; department?: 'police' | null } = {}) =>
  transitionCase({ state, action, severity: 'normal', now: NOW, note: 'ok', department: action === 'refer' ? 'police' : null, ...extra });

function domainError(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('the case workflow', () => {
  it.each(ALLOWED)('moves a %s case with %s to %s and records the step', (from, action, to) => {
    const result = move(from, action);
    expect(result.state).toBe(to);
    expect(result.step).toEqual({ from, to, note: 'ok', department: action === 'refer' ? 'police' : null });
  });

  it.each(REFUSED)('refuses to move a %s case with %s, saying what is allowed', (state, action) => {
    const error = domainError(() => move(state, action));
    expect(error.code).toBe('case_transition_refused');
    const next = allowedActions(state);
    expect(error.message).toContain(next.length ? `allowed: ${next.join(', ')}` : 'no further action');
  });

  it('offers nothing further for a dismissed case, and only reopening for a closed one', () => {
    expect(allowedActions('dismissed')).toEqual([]);
    expect(allowedActions('closed')).toEqual(['reopen']);
    expect(allowedActions('reported')).toEqual(['verify', 'dismiss']);
  });

  it('refers only to a named department, and names a department only when referring', () => {
    expect(domainError(() => move('verified', 'refer', { department: null })).code).toBe('case_department_required');
    expect(domainError(() => transitionCase({ state: 'verified', action: 'refer', severity: 'normal', now: NOW, department: 'ministry_of_magic' as 'police' })).code).toBe(
      'case_unknown_department',
    );
    expect(domainError(() => move('reported', 'verify', { department: 'police' })).code).toBe('case_department_unexpected');
  });

  it.each(['assist', 'close', 'dismiss', 'reopen'] as const)('needs a note to %s', (action) => {
    const from = ALLOWED.find(([, a]) => a === action)![0];
    expect(domainError(() => move(from, action, { note: '  ' })).code).toBe('case_note_required');
  });

  it('verifies and refers without a note', () => {
    expect(move('reported', 'verify', { note: null }).step.note).toBeNull();
    expect(move('verified', 'refer', { note: undefined }).step.note).toBeNull();
  });

  it('gives a verified or reopened case a fresh referral deadline by severity, and no deadline once referred', () => {
    for (const severity of ['urgent', 'high', 'normal'] as const) {
      const verified = transitionCase({ state: 'reported', action: 'verify', severity, now: NOW });
      expect(verified.dueAt).toEqual(new Date(NOW.getTime() + DEFAULT_DEADLINE_HOURS[severity].refer * HOUR));
      const reopened = transitionCase({ state: 'closed', action: 'reopen', severity, now: NOW, note: '孩子再次失学' });
      expect(reopened.dueAt).toEqual(verified.dueAt);
    }
    expect(move('verified', 'refer').dueAt).toBeNull();
    expect(move('referred', 'assist').dueAt).toBeNull();
    expect(move('assisting', 'close').dueAt).toBeNull();
    expect(move('reported', 'dismiss').dueAt).toBeNull();
  });

  it('uses the configured deadlines', () => {
    const deadlines = parseCaseDeadlines('urgent=1h/12h');
    expect(transitionCase({ state: 'reported', action: 'verify', severity: 'urgent', now: NOW, deadlines }).dueAt).toEqual(new Date(NOW.getTime() + 12 * HOUR));
  });
});

describe('who may move a case', () => {
  const VILLAGE = '/880101/880101001/880101001001/';

  it('the director of its village', () => {
    expect(mayMoveCase({ role: 'director', areaPath: VILLAGE }, VILLAGE)).toBe(true);
    expect(mayMoveCase({ role: 'director', areaPath: '/880101/880101001/880101001002/' }, VILLAGE)).toBe(false);
    // A director is a village's: one registered on the township is no director of its villages.
    expect(mayMoveCase({ role: 'director', areaPath: '/880101/880101001/' }, VILLAGE)).toBe(false);
  });

  it('an officer, in chat or by API token, whose area contains the village', () => {
    for (const role of ['officer', 'officer_township', 'officer_district', 'officer_city']) {
      expect(mayMoveCase({ role, areaPath: '/880101/880101001/' }, VILLAGE)).toBe(true);
      expect(mayMoveCase({ role, areaPath: '/880101/' }, VILLAGE)).toBe(true);
      expect(mayMoveCase({ role, areaPath: '/880101/880101002/' }, VILLAGE)).toBe(false);
      expect(mayMoveCase({ role, areaPath: '/8801/' }, VILLAGE)).toBe(false);
    }
  });

  it('nobody else: not auditors, parents, guardians, teachers or hotline people', () => {
    for (const role of ['auditor', 'parent', 'guardian', 'teacher', 'hotline']) {
      expect(mayMoveCase({ role, areaPath: VILLAGE }, VILLAGE)).toBe(false);
      expect(maySeeReporter({ role, areaPath: VILLAGE }, VILLAGE)).toBe(false);
    }
  });
});

describe('department words', () => {
  it('reads the short and long forms directors use', () => {
    expect(departmentOfWord('民政')).toBe('civil_affairs');
    expect(departmentOfWord('民政局')).toBe('civil_affairs');
    expect(departmentOfWord('卫生健康')).toBe('health');
    expect(departmentOfWord('扶贫')).toBe('poverty_relief');
    expect(departmentOfWord('共青团')).toBe('youth_league');
    expect(departmentOfWord('检察院')).toBe('procuratorate');
    expect(departmentOfWord('居委会')).toBeNull();
  });
});

describe('overdue steps', () => {
  const stateSince = new Date('2026-11-28T00:00:00Z');
  const dueAt = new Date(stateSince.getTime() + 2 * HOUR);

  it('are overdue from the deadline, and twice overdue from twice the time allowed', () => {
    expect(overdueLevel({ stateSince, dueAt }, new Date(dueAt.getTime() - 1))).toBe(0);
    expect(overdueLevel({ stateSince, dueAt }, dueAt)).toBe(1);
    expect(overdueLevel({ stateSince, dueAt }, new Date(stateSince.getTime() + 4 * HOUR - 1))).toBe(1);
    expect(overdueLevel({ stateSince, dueAt }, new Date(stateSince.getTime() + 4 * HOUR))).toBe(2);
    expect(overdueLevel({ stateSince, dueAt: null }, new Date('2030-01-01'))).toBe(0);
  });
});
