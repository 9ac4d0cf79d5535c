import { CHILD_CATEGORIES, FOCUS_FLAGS } from '../../domain/child';
import { localDateIn } from '../../domain/contactWeek';
import type { Db } from '../db/database';
import { AREA_COLUMNS, villagesOf, type VillageNames } from './areas';
import { ledgerChildren, relatedOf, type ChildRelated, type LedgerChild } from './childLedgerReads';
import { CHILD_CATEGORY_LABELS, FOCUS_FLAG_LABELS, GENDER_LABELS, RISK_LEVEL_LABELS, SCHOOL_STAGE_LABELS } from '../../domain/labels';
import type { Ledger } from './ledger';
import { readingAhead } from '../db/readingAhead';

/** Children read per statement: a page is what sits in memory while it is written out. */
export const CHILD_LEDGER_BATCH = 500;

const yesNo = (value: boolean): string => (value ? '是' : '否');

/** Labels in the plan's order, whatever order the database returns the tags in. */
function labelled<T extends string>(values: readonly T[], order: readonly T[], labels: Readonly<Record<T, string>>): string {
  return [...values]
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))
    .map((value) => labels[value])
    .join('、');
}

const NOTHING_RELATED: ChildRelated = { categories: [], flags: [], links: [] };

interface Page {
  names: VillageNames;
  children: LedgerChild[];
  related: Map<number, ChildRelated>;
}

/**
 * The register's children village by village, a page at a time (keyset over the child id within each
 * village), with each page's tags and links. The next page is asked for as soon as the one before
 * it is known, so on PostgreSQL the server reads it while this process writes the page before.
 */
async function* pagesOf(db: Db, villages: Map<number, VillageNames>): AsyncGenerator<Page> {
  const areas = [...villages];
  const pages = readingAhead(
    areas.length > 0 ? { index: 0, afterId: 0 } : null,
    ({ index, afterId }) => ledgerChildren(db, areas[index]![0], afterId, CHILD_LEDGER_BATCH),
    (children, { index }) => {
      const lastId = children.at(-1)?.id;
      if (lastId !== undefined && children.length === CHILD_LEDGER_BATCH) return { index, afterId: lastId };
      return index + 1 < areas.length ? { index: index + 1, afterId: 0 } : null;
    },
  );
  for await (const { cursor, page: children } of pages) {
    const lastId = children.at(-1)?.id;
    if (lastId === undefined) continue;
    const [areaId, names] = areas[cursor.index]!;
    yield { names, children, related: await relatedOf(db, { areaId, afterId: cursor.afterId, lastId }) };
  }
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
    for await (const { names, children, related } of pagesOf(db, await villagesOf(db, scope))) {
      yield children.map((child) => {
        const { categories, flags, links } = related.get(child.id) ?? NOTHING_RELATED;
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
    }
  },
};
