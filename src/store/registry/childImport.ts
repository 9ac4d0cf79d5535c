import { recordLeftBehindChange } from './leftBehindChanges';
import { rosterRowProblem, rosterRowSchema, type RawRosterRow, type RosterChild, type RosterVillage } from '../../domain/childRoster';
import { classifyLeftBehind } from '../../domain/leftBehind';
import { recordAudit } from '../audit/auditLog';
import { summarizeAgainAfterMove } from '../contact/contactWeeks';
import { categoriesWithLeftBehind } from '../../domain/child';
import type { Db, FocusFlag, Prisma, Tx } from '../db/database';
import type { NationalIdCipher } from '../crypto/nationalIdCipher';

/** Rows written per transaction: big enough to be quick, small enough not to hold SQLite's writer long. */
export const IMPORT_BATCH = 200;

export type ImportRowStatus = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface ImportRowReport {
  /** The row number the spreadsheet shows. */
  row: number;
  status: ImportRowStatus;
  childId?: number;
  reason?: string;
}

export interface ImportReport {
  /** False when a bad row stopped the import (without partial): nothing was changed. */
  applied: boolean;
  partial: boolean;
  counts: Record<ImportRowStatus, number>;
  /** Every row when applied; only the rejected ones when not. */
  rows: ImportRowReport[];
}

export interface ImportRequest {
  /** The roster's rows; called twice (validate, then write), each call reading the file afresh. */
  lines: () => AsyncIterable<{ row: number; fields: RawRosterRow }>;
  /** The importer's area: every row must fall inside it. */
  area: { id: number; path: string; level: string; code: string; name: string };
  /** Who imports, for the audit log: cli or token:12. */
  actor: string;
  /** Import the good rows even when some are bad. */
  partial: boolean;
  now: Date;
  timeZone: string;
}

type Parsed = { row: number; child: RosterChild; digest: string | null };

/**
 * Imports a roster of children into the area: validates every row first (in a stream, keeping
 * only row numbers, natural keys and reasons), then — if no row is bad, or `partial` — writes
 * the good rows in batches. A row matches a registered child by its ID number's digest, else by
 * village, name and birth date; a matched child whose record already says what the row says is
 * left untouched, so importing the same file again changes nothing.
 */
export async function importChildren(db: Db, cipher: NationalIdCipher, request: ImportRequest): Promise<ImportReport> {
  const villages: RosterVillage[] = await db.area.findMany({
    where: { level: 'village', path: { startsWith: request.area.path } },
    select: { id: true, code: true, name: true },
  });
  const schema = rosterRowSchema({
    villages,
    defaultVillage: request.area.level === 'village' ? { id: request.area.id, code: request.area.code, name: request.area.name } : undefined,
    asOf: request.now,
    zone: request.timeZone,
  });
  const parse = (line: { row: number; fields: RawRosterRow }): { parsed: Parsed } | { reason: string } => {
    const result = schema.safeParse(line.fields);
    if (!result.success) return { reason: rosterRowProblem(result.error) };
    return { parsed: { row: line.row, child: result.data, digest: result.data.nationalId ? cipher.digest(result.data.nationalId) : null } };
  };

  // Pass 1: validate everything before writing anything.
  const rejected = new Map<number, string>();
  const seen = new Map<string, number>();
  let pendingDigests: Parsed[] = [];
  const checkDigests = async (): Promise<void> => {
    const outside = await db.child.findMany({
      where: { nationalIdDigest: { in: pendingDigests.map((p) => p.digest!) }, NOT: { area: { path: { startsWith: request.area.path } } } },
      select: { nationalIdDigest: true },
    });
    const foreign = new Set(outside.map((child) => child.nationalIdDigest));
    for (const parsed of pendingDigests) if (foreign.has(parsed.digest)) rejected.set(parsed.row, '该身份证号的儿童登记在本辖区以外');
    pendingDigests = [];
  };
  let total = 0;
  for await (const line of request.lines()) {
    total += 1;
    const outcome = parse(line);
    if ('reason' in outcome) {
      rejected.set(line.row, outcome.reason);
      continue;
    }
    const { parsed } = outcome;
    const key = naturalKey(parsed);
    const first = seen.get(key);
    if (first !== undefined) {
      rejected.set(line.row, `与第${first}行是同一个孩子`);
      continue;
    }
    seen.set(key, line.row);
    if (parsed.digest) pendingDigests.push(parsed);
    if (pendingDigests.length >= IMPORT_BATCH) await checkDigests();
  }
  if (pendingDigests.length > 0) await checkDigests();
  seen.clear();

  const counts: Record<ImportRowStatus, number> = { created: 0, updated: 0, unchanged: 0, rejected: rejected.size };
  const rejectedRows = [...rejected].map(([row, reason]) => ({ row, status: 'rejected' as const, reason })).sort((a, b) => a.row - b.row);
  if (rejected.size > 0 && !request.partial) return { applied: false, partial: false, counts, rows: rejectedRows };

  // Pass 2: write the good rows, a batch per transaction.
  const rows: ImportRowReport[] = [...rejectedRows];
  let batch: Parsed[] = [];
  const flush = async (): Promise<void> => {
    const written = await db.$transaction((tx) => writeBatch(tx, cipher, batch, request), { timeout: 60_000 });
    for (const report of written) {
      counts[report.status] += 1;
      rows.push(report);
    }
    batch = [];
  };
  for await (const line of request.lines()) {
    if (rejected.has(line.row)) continue;
    const outcome = parse(line);
    if ('parsed' in outcome) batch.push(outcome.parsed);
    if (batch.length >= IMPORT_BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  rows.sort((a, b) => a.row - b.row);
  return { applied: total > 0, partial: request.partial, counts, rows };
}

function naturalKey({ child, digest }: Parsed): string {
  return digest ? `id:${digest}` : `v:${child.villageId}|${child.name}|${child.birthDate}`;
}

const existingSelect = {
  id: true,
  areaId: true,
  name: true,
  gender: true,
  birthDate: true,
  nationalIdDigest: true,
  schoolName: true,
  schoolStage: true,
  grade: true,
  healthStatus: true,
  familySituation: true,
  guardianshipStatus: true,
  leftBehind: true,
  leftBehindOverride: true,
  leftBehindOverrideReason: true,
  categories: { select: { category: true } },
  focusFlags: { select: { flag: true } },
  links: {
    where: { endedAt: null, kind: { in: ['parent', 'guardian'] } },
    select: { id: true, kind: true, relation: true, worksAway: true, person: { select: { id: true, name: true } } },
  },
} satisfies Prisma.ChildSelect;
type Existing = Prisma.ChildGetPayload<{ select: typeof existingSelect }>;

async function writeBatch(tx: Tx, cipher: NationalIdCipher, batch: Parsed[], request: ImportRequest): Promise<ImportRowReport[]> {
  const digests = batch.flatMap((p) => (p.digest ? [p.digest] : []));
  const byDigest = new Map<string, Existing>();
  if (digests.length > 0) {
    for (const child of await tx.child.findMany({ where: { nationalIdDigest: { in: digests } }, select: existingSelect })) byDigest.set(child.nationalIdDigest!, child);
  }
  // Children registered without an ID number are found by village, name and birth date.
  const byPerson = new Map<string, Existing>();
  const unmatched = batch.filter((p) => !p.digest || !byDigest.has(p.digest));
  if (unmatched.length > 0) {
    const found = await tx.child.findMany({
      where: { OR: unmatched.map(({ child }) => ({ areaId: child.villageId, name: child.name, birthDate: child.birthDate })), archivedAt: null },
      select: existingSelect,
      orderBy: { id: 'asc' },
    });
    for (const child of found) {
      const key = `${child.areaId}|${child.name}|${child.birthDate}`;
      if (!byPerson.has(key)) byPerson.set(key, child);
    }
  }

  const reports: ImportRowReport[] = [];
  for (const parsed of batch) {
    const { child } = parsed;
    const personMatch = byPerson.get(`${child.villageId}|${child.name}|${child.birthDate}`);
    // A different ID number on file means a different child of the same name and birthday.
    const sameChild = personMatch && (!parsed.digest || !personMatch.nationalIdDigest || personMatch.nationalIdDigest === parsed.digest);
    const existing = (parsed.digest && byDigest.get(parsed.digest)) || (sameChild ? personMatch : undefined);
    if (existing) reports.push(await updateChild(tx, cipher, existing, parsed, request));
    else reports.push(await createChild(tx, cipher, parsed, request));
  }
  return reports;
}

/** Left-behind from the roster's parents; a parent at home is taken to be able to care, one not listed is not. */
function leftBehindOf(child: RosterChild, now: Date, timeZone: string): boolean | undefined {
  if (!child.parents) return undefined;
  const parents = child.parents.map((parent) => ({ worksAway: parent.worksAway, hasGuardianshipCapacity: !parent.worksAway }));
  return classifyLeftBehind({ birthDate: child.birthDate, parents, asOf: now, zone: timeZone }).leftBehind;
}

/** What the left-behind trend records of an imported child whose status changes. */
function trendFacts(childId: number, child: RosterChild, request: ImportRequest) {
  return {
    childId,
    areaId: child.villageId,
    birthDate: child.birthDate,
    parentAtHome: (child.parents ?? []).some((parent) => !parent.worksAway),
    now: request.now,
    timeZone: request.timeZone,
  };
}

async function createChild(tx: Tx, cipher: NationalIdCipher, { row, child }: Parsed, request: ImportRequest): Promise<ImportRowReport> {
  const sealed = child.nationalId ? cipher.seal(child.nationalId) : undefined;
  const leftBehind = leftBehindOf(child, request.now, request.timeZone) ?? false;
  const created = await tx.child.create({
    data: {
      areaId: child.villageId,
      name: child.name,
      gender: child.gender,
      birthDate: child.birthDate,
      nationalIdCipher: sealed?.cipher,
      nationalIdDigest: sealed?.digest,
      nationalIdMasked: sealed?.masked,
      schoolName: child.schoolName,
      schoolStage: child.schoolStage,
      grade: child.grade,
      healthStatus: child.healthStatus,
      familySituation: child.familySituation,
      guardianshipStatus: child.guardian ? guardianshipStatusOf(child.guardian) : null,
      leftBehind,
      categories: { create: categoriesWithLeftBehind(child.categories, leftBehind).map((category) => ({ category })) },
      focusFlags: { create: child.flags.map((flag) => ({ flag })) },
    },
    select: { id: true },
  });
  const people = await linkPeople(tx, created.id, child, [], request.now);
  if (leftBehind) await recordLeftBehindChange(tx, { ...trendFacts(created.id, child, request), leftBehind, registered: true, overrideReason: null });
  await recordAudit(tx, {
    at: request.now,
    actor: request.actor,
    action: 'child.create',
    subjectType: 'Child',
    subjectId: created.id,
    after: { village: child.villageId, leftBehind, categories: categoriesWithLeftBehind(child.categories, leftBehind), flags: child.flags, people, source: 'import', row },
  });
  return { row, status: 'created', childId: created.id };
}

function guardianshipStatusOf(guardian: { name: string; relation: string | null }): string {
  return `委托${guardian.relation ?? ''}${guardian.name}监护`;
}

/** Parents and guardian named in the roster and not yet linked: registered and linked. Returns what it added. */
async function linkPeople(tx: Tx, childId: number, child: RosterChild, links: Existing['links'], now: Date): Promise<string[]> {
  const added: string[] = [];
  for (const parent of child.parents ?? []) {
    const linked = links.find((link) => link.kind === 'parent' && link.relation === parent.relation);
    if (linked) {
      if (parent.name && linked.person.name !== parent.name) {
        await tx.person.update({ where: { id: linked.person.id }, data: { name: parent.name } });
        added.push(`${parent.relation}姓名`);
      }
      if (linked.worksAway !== parent.worksAway) {
        await tx.childLink.update({ where: { id: linked.id }, data: { worksAway: parent.worksAway } });
        added.push(`${parent.relation}外出`);
      }
      continue;
    }
    // A parent the roster names only as working away cannot be registered without a name.
    if (!parent.name) continue;
    const person = await tx.person.create({ data: { name: parent.name, role: 'parent', areaId: child.villageId, hasGuardianshipCapacity: !parent.worksAway } });
    await tx.childLink.create({ data: { childId, personId: person.id, kind: 'parent', relation: parent.relation, worksAway: parent.worksAway, startedAt: now } });
    added.push(parent.relation);
  }
  const { guardian } = child;
  if (guardian && !links.some((link) => link.kind === 'guardian' && link.person.name === guardian.name)) {
    const person = await tx.person.create({ data: { name: guardian.name, role: 'guardian', areaId: child.villageId, hasGuardianshipCapacity: true } });
    await tx.childLink.create({ data: { childId, personId: person.id, kind: 'guardian', relation: guardian.relation, hasGuardianshipCapacity: true, startedAt: now } });
    added.push('监护人');
  }
  return added;
}

/** Fields the roster gives that differ from the record; what it leaves empty stays as it is. */
async function updateChild(tx: Tx, cipher: NationalIdCipher, existing: Existing, { row, child, digest }: Parsed, request: ImportRequest): Promise<ImportRowReport> {
  const data: Prisma.ChildUncheckedUpdateInput = {};
  const changed: string[] = [];
  const set = <K extends keyof Existing & keyof Prisma.ChildUncheckedUpdateInput>(field: K, value: Existing[K] | null): void => {
    if (value === null || value === existing[field]) return;
    (data as Record<string, unknown>)[field] = value;
    changed.push(field);
  };
  set('areaId', child.villageId);
  set('name', child.name);
  set('birthDate', child.birthDate);
  set('gender', child.gender);
  set('schoolName', child.schoolName);
  set('schoolStage', child.schoolStage);
  set('grade', child.grade);
  set('healthStatus', child.healthStatus);
  set('familySituation', child.familySituation);
  if (child.guardian) set('guardianshipStatus', guardianshipStatusOf(child.guardian));
  if (digest && existing.nationalIdDigest !== digest) {
    const sealed = cipher.seal(child.nationalId!);
    Object.assign(data, { nationalIdCipher: sealed.cipher, nationalIdDigest: sealed.digest, nationalIdMasked: sealed.masked });
    changed.push('nationalId');
  }
  const computed = leftBehindOf(child, request.now, request.timeZone);
  // A director's override of left-behind stands until the director lifts it.
  const leftBehind = existing.leftBehindOverride ?? computed ?? existing.leftBehind;
  set('leftBehind', leftBehind);

  const current = existing.categories.map(({ category }) => category).sort();
  const given = child.categories.length > 0 ? child.categories : current.filter((category) => category !== 'left_behind');
  const categories = categoriesWithLeftBehind(given, leftBehind);
  const categoriesChanged = categories.join() !== current.join();
  const currentFlags = existing.focusFlags.map(({ flag }) => flag).sort();
  const flags: FocusFlag[] = child.flags.length > 0 ? [...child.flags].sort() : currentFlags;
  const flagsChanged = flags.join() !== currentFlags.join();

  const people = await linkPeople(tx, existing.id, child, existing.links, request.now);
  if (changed.length === 0 && !categoriesChanged && !flagsChanged && people.length === 0) return { row, status: 'unchanged', childId: existing.id };

  if (changed.length > 0) await tx.child.update({ where: { id: existing.id }, data });
  if (changed.includes('areaId')) await summarizeAgainAfterMove(tx, existing.id, [existing.areaId, child.villageId]);
  if (leftBehind !== existing.leftBehind) {
    const overrideReason = existing.leftBehindOverride === null ? null : (existing.leftBehindOverrideReason ?? '');
    await recordLeftBehindChange(tx, { ...trendFacts(existing.id, child, request), leftBehind, registered: false, overrideReason });
  }
  if (categoriesChanged) {
    await tx.childCategoryTag.deleteMany({ where: { childId: existing.id } });
    await tx.childCategoryTag.createMany({ data: categories.map((category) => ({ childId: existing.id, category })) });
    changed.push('categories');
  }
  if (flagsChanged) {
    await tx.childFocusFlag.deleteMany({ where: { childId: existing.id } });
    await tx.childFocusFlag.createMany({ data: flags.map((flag) => ({ childId: existing.id, flag })) });
    changed.push('flags');
  }
  await recordAudit(tx, {
    at: request.now,
    actor: request.actor,
    action: 'child.update',
    subjectType: 'Child',
    subjectId: existing.id,
    after: { changed, people, source: 'import', row },
  });
  return { row, status: 'updated', childId: existing.id };
}
