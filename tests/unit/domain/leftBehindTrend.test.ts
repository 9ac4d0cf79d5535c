import { leftBehindChangeReason, type LeftBehindChangeFacts } from '../../../src/domain/leftBehindTrend';

const facts = (over: Partial<LeftBehindChangeFacts>): LeftBehindChangeFacts => ({ leftBehind: false, registered: false, age: 9, overrideReason: null, parentAtHome: false, ...over });

describe('why a child became or stopped being left-behind', () => {
  it('names a newly registered child, and one whose parents went away', () => {
    expect(leftBehindChangeReason(facts({ leftBehind: true, registered: true }))).toBe('registered');
    expect(leftBehindChangeReason(facts({ leftBehind: true }))).toBe('parent_left');
    expect(leftBehindChangeReason(facts({ leftBehind: true, overrideReason: '母亲患病无监护能力' }))).toBe('other');
  });

  it('names a parent come home, a child gone to the parents, and the 16th birthday', () => {
    expect(leftBehindChangeReason(facts({ parentAtHome: true }))).toBe('parent_returned');
    expect(leftBehindChangeReason(facts({ overrideReason: '已随父母迁移到深圳上学' }))).toBe('moved_to_parents');
    expect(leftBehindChangeReason(facts({ age: 16, parentAtHome: false }))).toBe('came_of_age');
    expect(leftBehindChangeReason(facts({ overrideReason: '核实后不属于留守' }))).toBe('other');
  });
});
