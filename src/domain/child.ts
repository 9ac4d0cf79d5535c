/** Child categories from the city plan; a child may belong to several. */
export const CHILD_CATEGORIES = ['left_behind', 'economic_hardship', 'disabled', 'safety_lacking'] as const;
export type ChildCategory = (typeof CHILD_CATEGORIES)[number];

/** Key-focus flags (重点关注情形); a child may have several. */
export const FOCUS_FLAGS = ['vagrant', 'dropout', 'domestic_violence', 'parent_substance_abuse', 'parent_in_prison'] as const;
export type FocusFlag = (typeof FOCUS_FLAGS)[number];

export function isChildCategory(value: string): value is ChildCategory {
  return (CHILD_CATEGORIES as readonly string[]).includes(value);
}

export function isFocusFlag(value: string): value is FocusFlag {
  return (FOCUS_FLAGS as readonly string[]).includes(value);
}

/**
 * Eldest first, then by record id: the order a parent or teacher sees in numbered lists, so
 * "1" means the same child in every list.
 */
export function eldestFirst(a: { birthDate: string; id: number }, b: { birthDate: string; id: number }): number {
  return a.birthDate.localeCompare(b.birthDate) || a.id - b.id;
}

/**
 * A child's categories with `left_behind` as computed (src/domain/leftBehind.ts), never as typed:
 * the flag and the category the ledgers count always agree. Sorted, each once.
 */
export function categoriesWithLeftBehind(categories: readonly ChildCategory[], leftBehind: boolean): ChildCategory[] {
  const others = categories.filter((category) => category !== 'left_behind');
  return [...new Set<ChildCategory>([...(leftBehind ? (['left_behind'] as const) : []), ...others])].sort();
}
