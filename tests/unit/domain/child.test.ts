import {
  categoriesWithLeftBehind,
  CHILD_CATEGORIES,
  FOCUS_FLAGS,
  isChildCategory,
  isFocusFlag,
} from '../../../src/domain/child';
import { CHILD_CATEGORY_LABELS, FOCUS_FLAG_LABELS } from '../../../src/domain/labels';

describe('child categories and key-focus flags', () => {
  it('has the four categories of the plan with their Chinese names', () => {
    expect(CHILD_CATEGORIES.map((c) => [c, CHILD_CATEGORY_LABELS[c]])).toEqual([
      ['left_behind', '留守儿童'],
      ['economic_hardship', '经济困难'],
      ['disabled', '残疾'],
      ['safety_lacking', '监护缺失'],
    ]);
  });

  it('has the five key-focus situations with their Chinese names', () => {
    expect(FOCUS_FLAGS.map((f) => [f, FOCUS_FLAG_LABELS[f]])).toEqual([
      ['vagrant', '流浪乞讨'],
      ['dropout', '失学辍学'],
      ['domestic_violence', '家庭暴力'],
      ['parent_substance_abuse', '父母酗酒或吸毒'],
      ['parent_in_prison', '服刑人员子女'],
    ]);
  });

  it('recognises known category and flag names and nothing else', () => {
    expect(isChildCategory('disabled')).toBe(true);
    expect(isChildCategory('vagrant')).toBe(false);
    expect(isChildCategory('Disabled')).toBe(false);
    expect(isFocusFlag('parent_in_prison')).toBe(true);
    expect(isFocusFlag('left_behind')).toBe(false);
    expect(isFocusFlag('')).toBe(false);
  });
});

describe('the left_behind category', () => {
  it('follows the computed flag, whatever the categories said', () => {
    expect(categoriesWithLeftBehind(['disabled'], true)).toEqual(['disabled', 'left_behind']);
    expect(categoriesWithLeftBehind(['left_behind', 'disabled'], false)).toEqual(['disabled']);
    expect(categoriesWithLeftBehind(['left_behind'], true)).toEqual(['left_behind']);
  });
});
