import { categoriesWithLeftBehind, type ChildCategory, type FocusFlag } from '../../domain/child';
import { DomainError } from '../../domain/DomainError';
import { classifyLeftBehind } from '../../domain/leftBehind';
import { recordLeftBehindChange, recordVillageMove } from './leftBehindChanges';
import { recordAudit } from '../audit/auditLog';
import { summarizeAgainAfterMove } from '../contact/contactWeeks';
import { inArea, type AreaScope } from './areaScopeFilter';
import type { Db, Gender, Prisma, RiskLevel, SchoolStage, Tx } from '../db/database';
import type { NationalIdCipher } from '../crypto/nationalIdCipher';

/** A child as the admin API shows it: the ID number only masked. */
export interface ChildRecord {
  id: number;
  name: string;
  gender: Gender | null;
  birthDate: string;
  area: { code: string; name: string };
  nationalIdMasked: string | null;
  schoolName: string | null;
  schoolStage: SchoolStage | null;
  grade: string | null;
  familySituation: string | null;
  guardianshipStatus: string | null;
  healthStatus: string | null;
  categories: ChildCategory[];
  focusFlags: FocusFlag[];
  leftBehind: boolean;
  leftBehindOverride: boolean | null;
  leftBehindOverrideReason: string | null;
  riskLevel: RiskLevel | null;
  recordConfirmedAt: Date | null;
  recordStale: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const CHILD_SELECT = {
  id: true,
  name: true,
  gender: true,
  birthDate: true,
  nationalIdMasked: true,
  schoolName: true,
  schoolStage: true,
  grade: true,
  familySituation: true,
  guardianshipStatus: true,
  healthStatus: true,
  leftBehind: true,
  leftBehindOverride: true,
  leftBehindOverrideReason: true,
  riskLevel: true,
  recordConfirmedAt: true,
  recordStale: true,
  createdAt: true,
  updatedAt: true,
  area: { select: { code: true, name: true } },
  categories: { select: { category: true } },
  focusFlags: { select: { flag: true } },
} as const;

type SelectedChild = Prisma.ChildGetPayload<{ select: typeof CHILD_SELECT }>;

const toRecord = ({ categories, focusFlags, ...child }: SelectedChild): ChildRecord => ({
  ...child,
  categories: categories.map((c) => c.category),
  focusFlags: focusFlags.map((f) => f.flag),
});

export interface ChildFilter {
  /** Subtree to list (an area inside the scope); defaults to the scope. */
  within: AreaScope;
  category?: ChildCategory;
  flag?: FocusFlag;
  riskLevel?: RiskLevel;
  recordStale?: boolean;
  /** Every current parent works away and no approved guardianship agreement is valid today. */
  missingAgreement?: boolean;
  /** Part of the name. */
  name?: string;
  /** Calendar date (YYYY-MM-DD) that "valid today" means. */
  today: string;
  after?: number;
  limit: number;
}

/** Every current parent link works away (at least one does), and no approved agreement covers `today`. */
function missingAgreement(today: string): Prisma.ChildWhereInput {
  return {
    links: { some: { kind: 'parent', endedAt: null, worksAway: true } },
    NOT: { links: { some: { kind: 'parent', endedAt: null, OR: [{ worksAway: false }, { worksAway: null }] } } },
    agreements: {
      none: {
        status: 'approved',
        AND: [{ OR: [{ validFrom: null }, { validFrom: { lte: today } }] }, { OR: [{ validUntil: null }, { validUntil: { gte: today } }] }],
      },
    },
  };
}

/** Children of the subtree matching the filter, by id, one page (limit + 1 rows: the extra says another page follows). */
export async function listChildren(db: Db, filter: ChildFilter): Promise<ChildRecord[]> {
  const conditions: Prisma.ChildWhereInput[] = [{ ...inArea(filter.within), archivedAt: null }];
  if (filter.category) conditions.push({ categories: { some: { category: filter.category } } });
  if (filter.flag) conditions.push({ focusFlags: { some: { flag: filter.flag } } });
  if (filter.riskLevel) conditions.push({ riskLevel: filter.riskLevel });
  if (filter.recordStale !== undefined) conditions.push({ recordStale: filter.recordStale });
  if (filter.missingAgreement !== undefined) {
    conditions.push(filter.missingAgreement ? missingAgreement(filter.today) : { NOT: missingAgreement(filter.today) });
  }
  if (filter.name) conditions.push({ name: { contains: filter.name } });
  if (filter.after !== undefined) conditions.push({ id: { gt: filter.after } });
  const rows = await db.child.findMany({ where: { AND: conditions }, select: CHILD_SELECT, orderBy: { id: 'asc' }, take: filter.limit + 1 });
  return rows.map(toRecord);
}

export interface ChildLinkRecord {
  id: number;
  kind: string;
  relation: string | null;
  worksAway: boolean | null;
  workPlace: string | null;
  hasGuardianshipCapacity: boolean | null;
  startedAt: Date;
  endedAt: Date | null;
  person: { id: number; name: string; role: string };
}

export interface ChildDetail extends ChildRecord {
  links: ChildLinkRecord[];
}

/** A child of the scope with its people, or null (also for a child outside the scope). */
/** A child of the scope, as a link or an invite needs it; null outside the scope. */
export function childRef(tx: Tx, scope: AreaScope, id: number): Promise<{ id: number; areaId: number } | null> {
  return tx.child.findFirst({ where: { id, ...inArea(scope) }, select: { id: true, areaId: true } });
}

export async function childInScope(db: Db | Tx, scope: AreaScope, id: number): Promise<ChildDetail | null> {
  const row = await db.child.findFirst({
    where: { id, ...inArea(scope) },
    select: {
      ...CHILD_SELECT,
      links: {
        select: {
          id: true,
          kind: true,
          relation: true,
          worksAway: true,
          workPlace: true,
          hasGuardianshipCapacity: true,
          startedAt: true,
          endedAt: true,
          person: { select: { id: true, name: true, role: true } },
        },
        orderBy: { id: 'asc' },
      },
    },
  });
  if (!row) return null;
  const { links, ...child } = row;
  return { ...toRecord(child), links };
}

export interface ChildFields {
  name?: string;
  gender?: Gender | null;
  birthDate?: string;
  nationalId?: string | null;
  schoolName?: string | null;
  schoolStage?: SchoolStage | null;
  grade?: string | null;
  familySituation?: string | null;
  guardianshipStatus?: string | null;
  healthStatus?: string | null;
  categories?: ChildCategory[];
  focusFlags?: FocusFlag[];
  /** A director's decision replacing the computed left-behind status; null clears it. */
  leftBehindOverride?: { leftBehind: boolean; reason: string } | null;
}

/** Columns of the fields, the ID number sealed; which fields changed, for the audit entry (names only: never an ID number). */
function columns(fields: ChildFields, cipher: NationalIdCipher): Prisma.ChildUncheckedUpdateInput {
  const { nationalId, categories: _c, focusFlags: _f, leftBehindOverride, ...plain } = fields;
  const data: Prisma.ChildUncheckedUpdateInput = { ...plain };
  if (nationalId !== undefined) {
    const sealed = nationalId === null ? null : cipher.seal(nationalId);
    Object.assign(data, { nationalIdCipher: sealed?.cipher ?? null, nationalIdDigest: sealed?.digest ?? null, nationalIdMasked: sealed?.masked ?? null });
  }
  if (leftBehindOverride !== undefined) {
    Object.assign(data, { leftBehindOverride: leftBehindOverride?.leftBehind ?? null, leftBehindOverrideReason: leftBehindOverride?.reason ?? null });
  }
  return data;
}

async function checkIdFree(tx: Tx, fields: ChildFields, cipher: NationalIdCipher, childId?: number): Promise<void> {
  if (!fields.nationalId) return;
  const holder = await tx.child.findUnique({ where: { nationalIdDigest: cipher.digest(fields.nationalId) }, select: { id: true } });
  if (holder && holder.id !== childId) throw new DomainError('national_id_taken', 'another child in the registry has this ID number');
}

async function replaceTags(tx: Tx, childId: number, fields: ChildFields): Promise<void> {
  if (fields.categories) {
    await tx.childCategoryTag.deleteMany({ where: { childId } });
    await tx.childCategoryTag.createMany({ data: [...new Set(fields.categories)].map((category) => ({ childId, category })) });
  }
  if (fields.focusFlags) {
    await tx.childFocusFlag.deleteMany({ where: { childId } });
    await tx.childFocusFlag.createMany({ data: [...new Set(fields.focusFlags)].map((flag) => ({ childId, flag })) });
  }
}

/**
 * Recomputes a child's left-behind status from its current parent links (src/domain/leftBehind.ts);
 * a parent's capacity is the link's, else the person's. The `left_behind` category follows the
 * flag, as the roster import keeps it. A change of status is recorded with its reason (the
 * left-behind trend); `registered` says the child was just put on the register. Returns the new value.
 */
export async function recomputeLeftBehind(tx: Tx, childId: number, now: Date, timeZone: string, options: { registered?: boolean } = {}): Promise<boolean> {
  const child = await tx.child.findUniqueOrThrow({
    where: { id: childId },
    select: {
      areaId: true,
      birthDate: true,
      leftBehind: true,
      leftBehindOverride: true,
      leftBehindOverrideReason: true,
      categories: { select: { category: true } },
      links: { where: { kind: 'parent', endedAt: null }, select: { worksAway: true, hasGuardianshipCapacity: true, person: { select: { hasGuardianshipCapacity: true } } } },
    },
  });
  const result = classifyLeftBehind({
    birthDate: child.birthDate,
    asOf: now,
    zone: timeZone,
    parents: child.links.map((link) => ({
      worksAway: link.worksAway === true,
      hasGuardianshipCapacity: (link.hasGuardianshipCapacity ?? link.person.hasGuardianshipCapacity) === true,
    })),
    ...(child.leftBehindOverride === null ? {} : { override: { leftBehind: child.leftBehindOverride, reason: child.leftBehindOverrideReason ?? '' } }),
  });
  await tx.child.update({ where: { id: childId }, data: { leftBehind: result.leftBehind } });
  if (result.leftBehind !== child.leftBehind) {
    await recordLeftBehindChange(tx, {
      childId,
      areaId: child.areaId,
      birthDate: child.birthDate,
      leftBehind: result.leftBehind,
      registered: options.registered === true,
      overrideReason: result.basis === 'override' ? result.reason : null,
      parentAtHome: child.links.some((link) => link.worksAway !== true),
      now,
      timeZone,
    });
  }
  const categories = child.categories.map(({ category }) => category);
  const kept = categoriesWithLeftBehind(categories, result.leftBehind);
  if (kept.includes('left_behind') && !categories.includes('left_behind')) await tx.childCategoryTag.create({ data: { childId, category: 'left_behind' } });
  if (!kept.includes('left_behind') && categories.includes('left_behind')) await tx.childCategoryTag.deleteMany({ where: { childId, category: 'left_behind' } });
  return result.leftBehind;
}

const changedFields = (fields: ChildFields): string[] => Object.keys(fields).filter((key) => fields[key as keyof ChildFields] !== undefined);

export async function createChild(
  db: Db,
  cipher: NationalIdCipher,
  input: { areaId: number; fields: ChildFields & { name: string; birthDate: string }; actor: string; now: Date; timeZone: string; scope: AreaScope },
): Promise<ChildDetail> {
  return db.$transaction(async (tx) => {
    await checkIdFree(tx, input.fields, cipher);
    const created = await tx.child.create({
      data: { ...(columns(input.fields, cipher) as Prisma.ChildUncheckedCreateInput), name: input.fields.name, birthDate: input.fields.birthDate, areaId: input.areaId, createdAt: input.now },
      select: { id: true },
    });
    await replaceTags(tx, created.id, input.fields);
    await recomputeLeftBehind(tx, created.id, input.now, input.timeZone, { registered: true });
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'child.create', subjectType: 'Child', subjectId: created.id, after: { fields: changedFields(input.fields) } });
    return (await childInScope(tx, input.scope, created.id))!;
  });
}

/** Updates the given fields of a child of the scope; null when there is none. */
export async function updateChild(
  db: Db,
  cipher: NationalIdCipher,
  input: { id: number; fields: ChildFields; areaId?: number; actor: string; now: Date; timeZone: string; scope: AreaScope },
): Promise<ChildDetail | null> {
  return db.$transaction(async (tx) => {
    const before = await childInScope(tx, input.scope, input.id);
    if (!before) return null;
    await checkIdFree(tx, input.fields, cipher, input.id);
    const was = await tx.child.findUniqueOrThrow({ where: { id: input.id }, select: { areaId: true, leftBehind: true, archivedAt: true } });
    await tx.child.update({ where: { id: input.id }, data: { ...columns(input.fields, cipher), ...(input.areaId ? { areaId: input.areaId } : {}) } });
    if (input.areaId && input.areaId !== was.areaId) {
      // Counted where it lived: a move takes the child out of one village's trend and into the other's.
      if (was.leftBehind && was.archivedAt === null) await recordVillageMove(tx, { childId: input.id, fromAreaId: was.areaId, toAreaId: input.areaId, now: input.now });
      await summarizeAgainAfterMove(tx, input.id, [was.areaId, input.areaId]);
    }
    await replaceTags(tx, input.id, input.fields);
    await recomputeLeftBehind(tx, input.id, input.now, input.timeZone);
    const changed = [...changedFields(input.fields), ...(input.areaId ? ['area'] : [])];
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'child.update', subjectType: 'Child', subjectId: input.id, after: { fields: changed } });
    return childInScope(tx, input.scope, input.id);
  });
}

/** The unmasked ID number of a child of the scope, with an audit entry saying who read it; undefined when no such child. */
export async function revealNationalId(
  db: Db,
  cipher: NationalIdCipher,
  input: { id: number; scope: AreaScope; actor: string; now: Date },
): Promise<{ nationalId: string | null } | undefined> {
  return db.$transaction(async (tx) => {
    const child = await tx.child.findFirst({ where: { id: input.id, ...inArea(input.scope) }, select: { id: true, nationalIdCipher: true } });
    if (!child) return undefined;
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'child.national_id.read', subjectType: 'Child', subjectId: child.id });
    return { nationalId: child.nationalIdCipher ? cipher.open(child.nationalIdCipher) : null };
  });
}

/** Children counted left-behind by rule (no override, not archived) born on or before `bornBy`, by id after `afterId`: those who may have come of age. */
export async function leftBehindBornBy(db: Db | Tx, bornBy: string, afterId: number, take: number): Promise<number[]> {
  const rows = await db.child.findMany({
    where: { id: { gt: afterId }, leftBehind: true, leftBehindOverride: null, archivedAt: null, birthDate: { lte: bornBy } },
    select: { id: true },
    orderBy: { id: 'asc' },
    take,
  });
  return rows.map((row) => row.id);
}
