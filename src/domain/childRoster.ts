import { z } from 'zod';
import { isChildCategory, isFocusFlag, type ChildCategory, type FocusFlag } from './child';
import { CHILD_CATEGORY_LABELS, FOCUS_FLAG_LABELS } from './labels';
import { inZone } from './contactWeek';
import { birthDateFromNationalId, isValidNationalId, normalizeNationalId } from './nationalId';

/**
 * A roster (花名册) row as imported: a school's student list or a village's register. Columns
 * are found by their Chinese header; each field accepts the headers listed, in any order.
 */
export const ROSTER_COLUMNS = {
  name: ['姓名', '儿童姓名', '学生姓名'],
  gender: ['性别'],
  birthDate: ['出生日期', '出生年月日', '生日'],
  nationalId: ['身份证号', '身份证号码', '公民身份号码', '身份证'],
  villageCode: ['村代码', '村（社区）代码', '村(社区)代码', '行政区划代码'],
  village: ['村', '村（社区）', '村(社区)', '所在村', '村名'],
  school: ['学校', '就读学校', '学校名称'],
  stage: ['学段'],
  grade: ['年级', '就读年级'],
  categories: ['类别', '儿童类别'],
  flags: ['重点关注', '重点关注情形'],
  father: ['父亲', '父亲姓名'],
  mother: ['母亲', '母亲姓名'],
  fatherAway: ['父亲外出', '父亲是否外出务工', '父亲外出务工'],
  motherAway: ['母亲外出', '母亲是否外出务工', '母亲外出务工'],
  guardian: ['监护人', '委托监护人', '监护人姓名'],
  guardianRelation: ['监护人关系', '与儿童关系', '监护人与儿童关系'],
  health: ['健康状况'],
  family: ['家庭情况'],
} as const;

export type RosterField = keyof typeof ROSTER_COLUMNS;
/** A row as read from the file: the roster field of each recognised column, as text. */
export type RawRosterRow = Partial<Record<RosterField, string>>;

/** Header spellings vary (full-width brackets, spaces, a trailing colon or asterisk for required). */
function headerKey(header: string): string {
  return header.replace(/[\s*：:]/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

const FIELD_OF_HEADER = new Map<string, RosterField>(
  (Object.entries(ROSTER_COLUMNS) as [RosterField, readonly string[]][]).flatMap(([field, headers]) => headers.map((header) => [headerKey(header), field] as const)),
);

/** Which roster field each column holds (undefined: a column the import ignores). */
export function rosterFieldsOf(headers: readonly string[]): Array<RosterField | undefined> {
  return headers.map((header) => FIELD_OF_HEADER.get(headerKey(header)));
}

/** The one column a roster cannot do without; the birth date may come from the ID number, the village from the import's area. */
export const REQUIRED_ROSTER_FIELDS: readonly RosterField[] = ['name'];

export type SchoolStageValue = 'preschool' | 'primary' | 'junior' | 'senior' | 'vocational' | 'not_in_school';

const STAGES: Record<string, SchoolStageValue> = {
  学前: 'preschool',
  幼儿园: 'preschool',
  小学: 'primary',
  初中: 'junior',
  高中: 'senior',
  职高: 'vocational',
  中职: 'vocational',
  职校: 'vocational',
  未在校: 'not_in_school',
  未入学: 'not_in_school',
  辍学: 'not_in_school',
};

/** The stage a grade name implies: 三年级 → primary, 初二 or 八年级 → junior, 高一 → senior. */
export function stageOfGrade(grade: string): SchoolStageValue | undefined {
  if (/^(初|七年级|八年级|九年级)/.test(grade)) return 'junior';
  if (/^高/.test(grade)) return 'senior';
  if (/^[一二三四五六1-6]年级/.test(grade)) return 'primary';
  if (/^(小班|中班|大班)/.test(grade)) return 'preschool';
  return undefined;
}

const YES = new Set(['是', '外出', '外出务工', 'Y', 'y', '1', '√']);
const NO = new Set(['否', '在家', '未外出', 'N', 'n', '0', '']);

function splitList(text: string): string[] {
  return text
    .split(/[、,，;；\s]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function byLabel<T extends string>(labels: Readonly<Record<T, string>>, isCode: (value: string) => boolean, value: string): T | undefined {
  if (isCode(value)) return value as T;
  return (Object.entries(labels) as [T, string][]).find(([, label]) => label === value || label.startsWith(value))?.[0];
}

/** 2016-05-01, 2016/5/1, 2016.5.1, 20160501, 2016年5月1日 → 2016-05-01 (undefined if none of these or no such day). */
export function parseRosterDate(text: string): string | undefined {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

export interface RosterVillage {
  id: number;
  code: string;
  name: string;
}

export interface RosterContext {
  /** The villages of the import's area: a row must name one of them (or the area is a village). */
  villages: readonly RosterVillage[];
  /** The village rows belong to when they name none: set when the import's area is a village. */
  defaultVillage?: RosterVillage;
  asOf: Date;
  zone: string;
}

/** A parent as the roster gives them: a name (possibly unknown) and whether they work away. */
export interface RosterParent {
  relation: '父亲' | '母亲';
  name: string | null;
  worksAway: boolean;
}

export interface RosterChild {
  villageId: number;
  name: string;
  gender: 'male' | 'female' | null;
  birthDate: string;
  nationalId: string | null;
  schoolName: string | null;
  schoolStage: SchoolStageValue | null;
  grade: string | null;
  /** Given categories; left_behind is never taken from the file: it is computed from the parents. */
  categories: Exclude<ChildCategory, 'left_behind'>[];
  flags: FocusFlag[];
  /** Null when the roster says nothing about the parents (no parent columns filled). */
  parents: RosterParent[] | null;
  guardian: { name: string; relation: string | null } | null;
  healthStatus: string | null;
  familySituation: string | null;
}

const text = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

/**
 * The one schema every roster row passes: field formats, the ID number's check digit and its
 * agreement with the birth date, and the village inside the import's area.
 */
export function rosterRowSchema(context: RosterContext) {
  const villageByCode = new Map(context.villages.map((village) => [village.code, village]));
  const villagesByName = new Map<string, RosterVillage[]>();
  for (const village of context.villages) villagesByName.set(village.name, [...(villagesByName.get(village.name) ?? []), village]);
  const today = inZone(context.asOf, context.zone).toISODate();

  return z
    .object(Object.fromEntries(Object.keys(ROSTER_COLUMNS).map((field) => [field, text])) as Record<RosterField, typeof text>)
    .transform((row, ctx): RosterChild => {
      try {
        return rosterChild(row);
      } catch (error) {
        if (!(error instanceof RowProblem)) throw error;
        ctx.addIssue({ code: 'custom', path: [error.field], message: error.message });
        return z.NEVER;
      }
    });

  function rosterChild(row: Record<RosterField, string | undefined>): RosterChild {
    const name = row.name ?? fail('name', '缺少姓名');
    if (name.length > 50) fail('name', '姓名过长');

    let village: RosterVillage | undefined;
    if (row.villageCode) {
      village = villageByCode.get(row.villageCode) ?? fail('villageCode', `村代码 ${row.villageCode} 不在本次导入的辖区内`);
    } else if (row.village) {
      const named = villagesByName.get(row.village) ?? [];
      if (named.length > 1) fail('village', `辖区内有多个“${row.village}”，请填写村代码`);
      village = named[0] ?? fail('village', `村“${row.village}”不在本次导入的辖区内`);
    } else {
      village = context.defaultVillage ?? fail('village', '缺少村或村代码');
    }

    let nationalId: string | null = null;
    if (row.nationalId) {
      nationalId = normalizeNationalId(row.nationalId);
      if (/E\+/i.test(nationalId)) fail('nationalId', '身份证号被表格转成了数字，请把该列设为文本格式');
      if (!isValidNationalId(nationalId, context.asOf, context.zone)) fail('nationalId', '身份证号无效');
    }
    const birthDate = row.birthDate
      ? (parseRosterDate(row.birthDate) ?? fail('birthDate', `出生日期“${row.birthDate}”无法识别`))
      : ((nationalId && birthDateFromNationalId(nationalId)) ?? fail('birthDate', '缺少出生日期'));
    if (birthDate > today) fail('birthDate', '出生日期晚于今天');
    if (nationalId && birthDateFromNationalId(nationalId) !== birthDate) fail('nationalId', '身份证号中的出生日期与出生日期不符');

    const gender = !row.gender ? null : row.gender === '男' ? 'male' : row.gender === '女' ? 'female' : fail('gender', `性别“${row.gender}”应为男或女`);
    const stage = row.stage ? (STAGES[row.stage] ?? fail('stage', `学段“${row.stage}”无法识别`)) : row.grade ? (stageOfGrade(row.grade) ?? null) : null;

    const categories: Exclude<ChildCategory, 'left_behind'>[] = [];
    for (const item of splitList(row.categories ?? '')) {
      const category = byLabel(CHILD_CATEGORY_LABELS, isChildCategory, item) ?? fail('categories', `类别“${item}”无法识别`);
      if (category !== 'left_behind' && !categories.includes(category)) categories.push(category);
    }
    const flags: FocusFlag[] = [];
    for (const item of splitList(row.flags ?? '')) {
      const flag = byLabel(FOCUS_FLAG_LABELS, isFocusFlag, item) ?? fail('flags', `重点关注“${item}”无法识别`);
      if (!flags.includes(flag)) flags.push(flag);
    }
    const away = (field: 'fatherAway' | 'motherAway'): boolean => {
      const value = row[field] ?? '';
      if (YES.has(value)) return true;
      if (NO.has(value)) return false;
      return fail(field, `“${value}”应为是或否`);
    };
    const fatherAway = away('fatherAway');
    const motherAway = away('motherAway');
    const saysParents = [row.father, row.mother, row.fatherAway, row.motherAway].some((value) => value !== undefined);
    const parents: RosterParent[] | null = saysParents
      ? [
          // A parent with neither a name nor an answer to 外出 is not listed: absent, unable to care.
          ...(row.father || row.fatherAway ? [{ relation: '父亲' as const, name: row.father ?? null, worksAway: fatherAway }] : []),
          ...(row.mother || row.motherAway ? [{ relation: '母亲' as const, name: row.mother ?? null, worksAway: motherAway }] : []),
        ]
      : null;

    return {
      villageId: village.id,
      name,
      gender,
      birthDate,
      nationalId,
      schoolName: row.school ?? null,
      schoolStage: stage,
      grade: row.grade ?? null,
      categories,
      flags,
      parents,
      guardian: row.guardian ? { name: row.guardian, relation: row.guardianRelation ?? null } : null,
      healthStatus: row.health ?? null,
      familySituation: row.family ?? null,
    };
  }
}

/** The first thing wrong with a row: it stops reading the row. */
class RowProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(field: string, message: string): never {
  throw new RowProblem(field, message);
}

/** Why a row was rejected, in the roster's words, e.g. 出生日期“2016-13-01”无法识别. */
export function rosterRowProblem(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('；');
}
