/**
 * Referral targets (DESIGN.md), as in the schema's Department enum, with the names users read:
 * the one list chat, API, ledgers and the department role share.
 */
export const DEPARTMENT_NAMES = {
  civil_affairs: '民政',
  education: '教育',
  police: '公安',
  health: '卫健',
  human_resources: '人社',
  poverty_relief: '乡村振兴',
  youth_league: '团委',
  womens_federation: '妇联',
  disabled_persons_federation: '残联',
  court: '法院',
  procuratorate: '检察院',
  justice: '司法',
} as const;
export type Department = keyof typeof DEPARTMENT_NAMES;
export const DEPARTMENTS = Object.keys(DEPARTMENT_NAMES) as Department[];

/** The words directors use for departments: the names above and common other forms. */
export const DEPARTMENT_WORDS: Readonly<Record<string, Department>> = {
  ...Object.fromEntries(DEPARTMENTS.map((department) => [DEPARTMENT_NAMES[department], department])),
  派出所: 'police',
  卫生健康: 'health',
  扶贫: 'poverty_relief',
  共青团: 'youth_league',
};

/** The department a word names, with or without a trailing 局/部门 (民政局), or null. */
export function departmentOfWord(word: string): Department | null {
  const bare = word.trim().replace(/(部门|局)$/, '');
  return DEPARTMENT_WORDS[word.trim()] ?? DEPARTMENT_WORDS[bare] ?? null;
}

