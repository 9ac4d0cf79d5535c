import { CHILD_CATEGORIES, FOCUS_FLAGS } from '../../domain/child';
import { localDateIn } from '../../domain/contactWeek';
import { Prisma, type ChildCategory, type Db, type FocusFlag } from '../db/database';
import { AREA_COLUMNS, villagesOf } from './areas';
import { CHILD_CATEGORY_LABELS, FOCUS_FLAG_LABELS, GENDER_LABELS, RISK_LEVEL_LABELS, SCHOOL_STAGE_LABELS } from '../../domain/labels';
import type { Ledger } from './ledger';

/**
 * Children read per query: a batch is what sits in memory while it is written out. Their
 * links are read by child id, and SQLite takes at most 999 parameters per statement.
 */
export const CHILD_LEDGER_BATCH = 500;

const yesNo = (value: boolean): string => (value ? '是' : '否');

/** Labels in the plan's order, whatever order the database returns the tags in. */
function labelled<T extends string>(values: readonly T[], order: readonly T[], labels: Readonly<Record<T, string>>): string {
  return [...values]
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((value) => labels[value])
    .join('、');
}

export interface ChildRelated {
  categories: ChildCategory[];
  flags: FocusFlag[];
  links: Array<{ kind: string; relation: string | null; worksAway: boolean; name: string }>;
}

/**
 * A batch's categories, flags and current parents, guardians and teachers, as flat rows: loaded as
 * nested relations, Prisma's client spent more on them than the rest of the export together.
 */
export async function relatedOf(db: Db, childIds: number[]): Promise<Map<number, ChildRelated>> {
  const related = new Map<number, ChildRelated>(childIds.map((id) => [id, { categories: [], flags: [], links: [] }]));
  const [categories, flags, links] = await Promise.all([
    db.childCategoryTag.findMany({ where: { childId: { in: childIds } }, select: { childId: true, category: true } }),
    db.childFocusFlag.findMany({ where: { childId: { in: childIds } }, select: { childId: true, flag: true } }),
    db.$queryRaw<Array<{ childId: number | bigint; kind: string; relation: string | null; worksAway: unknown; name: string }>>`
      SELECT l."childId", l."kind", l."relation", l."worksAway", p."name" FROM "ChildLink" l JOIN "Person" p ON p."id" = l."personId"
      WHERE l."childId" IN (${Prisma.join(childIds)}) AND l."endedAt" IS NULL AND l."kind" IN ('parent', 'guardian', 'teacher')
      ORDER BY l."id"`,
  ]);
  for (const { childId, category } of categories) related.get(childId)!.categories.push(category);
  for (const { childId, flag } of flags) related.get(childId)!.flags.push(flag);
  for (const link of links) {
    related.get(Number(link.childId))!.links.push({ kind: link.kind, relation: link.relation, worksAway: Boolean(link.worksAway), name: link.name });
  }
  return related;
}

/**
 * 儿童信息台账: one row per child on the register, village by village (keyset over the child
 * id within each village, so no batch is ever more than CHILD_LEDGER_BATCH children). The ID
 * number only masked.
 */
export const childLedger: Ledger = {
  name: 'children',
  title: '儿童信息台账',
  sheetBy: 'village',
  exportOnly: true,
  columns: [
    ...AREA_COLUMNS,
    { key: 'name', header: '姓名' },
    { key: 'gender', header: '性别' },
    { key: 'birthDate', header: '出生日期' },
    { key: 'nationalId', header: '身份证号' },
    { key: 'school', header: '学校' },
    { key: 'stage', header: '学段' },
    { key: 'grade', header: '年级' },
    { key: 'categories', header: '类别' },
    { key: 'flags', header: '重点关注' },
    { key: 'riskLevel', header: '风险等级' },
    { key: 'leftBehind', header: '留守儿童' },
    { key: 'parentsAway', header: '外出务工父母' },
    { key: 'guardian', header: '监护人' },
    { key: 'teacher', header: '帮扶教师' },
    { key: 'recordConfirmed', header: '档案确认日期' },
    { key: 'recordStale', header: '档案待更新' },
  ],
  async *rows(db, scope, { timeZone }) {
    const localDate = localDateIn(timeZone);
    const villages = await villagesOf(db, scope);
    for (const [areaId, names] of villages) {
      let afterId = 0;
      for (;;) {
        const children = await db.child.findMany({
          where: { areaId, archivedAt: null, id: { gt: afterId } },
          orderBy: { id: 'asc' },
          take: CHILD_LEDGER_BATCH,
          select: {
            id: true,
            name: true,
            gender: true,
            birthDate: true,
            nationalIdMasked: true,
            schoolName: true,
            schoolStage: true,
            grade: true,
            riskLevel: true,
            leftBehind: true,
            recordConfirmedAt: true,
            recordStale: true,
          },
        });
        if (children.length === 0) break;
        const related = await relatedOf(
          db,
          children.map((child) => child.id),
        );
        yield children.map((child) => {
          const { categories, flags, links } = related.get(child.id)!;
          const linked = (kind: string) => links.filter((link) => link.kind === kind);
          // The area cells written out, not spread: V8 adds every property after a spread on its slow
          // path, which made this literal the export's largest cost (44 µs a row, BENCHMARKS.md).
          return {
            district: names.district,
            township: names.township,
            village: names.village,
            name: child.name,
            gender: child.gender ? GENDER_LABELS[child.gender] : null,
            birthDate: child.birthDate,
            nationalId: child.nationalIdMasked,
            school: child.schoolName,
            stage: child.schoolStage ? SCHOOL_STAGE_LABELS[child.schoolStage] : null,
            grade: child.grade,
            categories: labelled(categories, CHILD_CATEGORIES, CHILD_CATEGORY_LABELS),
            flags: labelled(flags, FOCUS_FLAGS, FOCUS_FLAG_LABELS),
            riskLevel: child.riskLevel ? RISK_LEVEL_LABELS[child.riskLevel] : null,
            leftBehind: yesNo(child.leftBehind),
            parentsAway: linked('parent')
              .filter((link) => link.worksAway)
              .map((link) => link.relation ?? link.name)
              .join('、'),
            guardian: linked('guardian')
              .map((link) => (link.relation ? `${link.name}（${link.relation}）` : link.name))
              .join('、'),
            teacher: linked('teacher')
              .map((link) => link.name)
              .join('、'),
            recordConfirmed: child.recordConfirmedAt ? localDate(child.recordConfirmedAt) : null,
            recordStale: yesNo(child.recordStale),
          };
        });
        afterId = children.at(-1)!.id;
        if (children.length < CHILD_LEDGER_BATCH) break;
      }
    }
  },
};
