import { type ChildCategory, type Db, type FocusFlag, type Gender, type RiskLevel, type SchoolStage, type Tx } from '../db/database';

/**
 * The child ledger's two statements a page, raw on the driver adapter: through Prisma's typed client
 * the page and its tags took some 13% of the export's CPU (BENCHMARKS.md, issue 17 export). Their
 * typed twins are in tests/integration/ledgerStatementTwins.test.ts.
 */

/** One page of a village's children on the register, by id after `afterId`. */
export interface LedgerChild {
  id: number;
  name: string;
  gender: Gender | null;
  birthDate: string;
  nationalIdMasked: string | null;
  schoolName: string | null;
  schoolStage: SchoolStage | null;
  grade: string | null;
  riskLevel: RiskLevel | null;
  leftBehind: boolean;
  recordConfirmedAt: Date | null;
  recordStale: boolean;
}

export async function ledgerChildren(db: Db | Tx, areaId: number, afterId: number, take: number): Promise<LedgerChild[]> {
  const rows = await db.$queryRaw<Array<Omit<LedgerChild, 'id' | 'leftBehind' | 'recordStale'> & { id: number | bigint; leftBehind: unknown; recordStale: unknown }>>`
    SELECT "id", "name", "gender", "birthDate", "nationalIdMasked", "schoolName", "schoolStage", "grade", "riskLevel", "leftBehind", "recordConfirmedAt", "recordStale"
    FROM "Child" WHERE "areaId" = ${areaId} AND "archivedAt" IS NULL AND "id" > ${afterId}
    ORDER BY "id" LIMIT ${take}`;
  // SQLite gives integers for booleans where a column's declared type does not say otherwise.
  return rows.map((row) => ({ ...row, id: Number(row.id), leftBehind: Boolean(row.leftBehind), recordStale: Boolean(row.recordStale) }));
}

export interface ChildRelated {
  categories: ChildCategory[];
  flags: FocusFlag[];
  links: Array<{ kind: string; relation: string | null; worksAway: boolean; name: string }>;
}

/**
 * The categories, flags and current parents, guardians and teachers of the children on the register
 * of a village with ids in (afterId, lastId], a page as ledgerChildren read it, in one statement:
 * by the page's bounds rather than its ids, so the text is the same for every page and no IN list
 * meets SQLite's parameter limit. Links come in link order; tags in any.
 */
export async function relatedOf(db: Db, page: { areaId: number; afterId: number; lastId: number }): Promise<Map<number, ChildRelated>> {
  const rows = await db.$queryRaw<Array<{ childId: number | bigint; kind: string; value: string; relation: string | null; worksAway: unknown; linkId: number | bigint | null }>>`
    SELECT l."childId", CAST(l."kind" AS TEXT) AS "kind", p."name" AS "value", l."relation", l."worksAway", l."id" AS "linkId"
    FROM "ChildLink" l JOIN "Person" p ON p."id" = l."personId" JOIN "Child" c ON c."id" = l."childId"
    WHERE c."areaId" = ${page.areaId} AND c."archivedAt" IS NULL AND c."id" > ${page.afterId} AND c."id" <= ${page.lastId}
      AND l."endedAt" IS NULL AND l."kind" IN ('parent', 'guardian', 'teacher')
    UNION ALL
    SELECT t."childId", 'category', CAST(t."category" AS TEXT), NULL, NULL, NULL
    FROM "ChildCategoryTag" t JOIN "Child" c ON c."id" = t."childId"
    WHERE c."areaId" = ${page.areaId} AND c."archivedAt" IS NULL AND c."id" > ${page.afterId} AND c."id" <= ${page.lastId}
    UNION ALL
    SELECT f."childId", 'flag', CAST(f."flag" AS TEXT), NULL, NULL, NULL
    FROM "ChildFocusFlag" f JOIN "Child" c ON c."id" = f."childId"
    WHERE c."areaId" = ${page.areaId} AND c."archivedAt" IS NULL AND c."id" > ${page.afterId} AND c."id" <= ${page.lastId}
    ORDER BY "linkId"`;
  const related = new Map<number, ChildRelated>();
  for (const row of rows) {
    const childId = Number(row.childId);
    let child = related.get(childId);
    if (!child) related.set(childId, (child = { categories: [], flags: [], links: [] }));
    if (row.kind === 'category') child.categories.push(row.value as ChildCategory);
    else if (row.kind === 'flag') child.flags.push(row.value as FocusFlag);
    else child.links.push({ kind: row.kind, relation: row.relation, worksAway: Boolean(row.worksAway), name: row.value });
  }
  return related;
}
