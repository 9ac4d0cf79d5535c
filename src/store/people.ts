import { recordAudit } from './auditLog';
import { inArea, type AreaScope } from './areaScopeFilter';
import type { ChildDetail } from './childRecords';
import { childInScope, recomputeLeftBehind } from './childRecords';
import type { Db, LinkKind, PersonRole, Prisma, Tx } from './database';

export interface PersonRecord {
  id: number;
  name: string;
  role: PersonRole;
  area: { code: string; name: string };
  phone: string | null;
  schoolName: string | null;
  hasGuardianshipCapacity: boolean | null;
  /** Whether the person has bound a chat identity (redeemed an invite). */
  bound: boolean;
  createdAt: Date;
}

const PERSON_SELECT = {
  id: true,
  name: true,
  role: true,
  phone: true,
  schoolName: true,
  hasGuardianshipCapacity: true,
  createdAt: true,
  area: { select: { code: true, name: true } },
  _count: { select: { identities: true } },
} as const;

const toRecord = ({ _count, ...person }: Prisma.PersonGetPayload<{ select: typeof PERSON_SELECT }>): PersonRecord => ({ ...person, bound: _count.identities > 0 });

/** People of the subtree, by id, one page (limit + 1 rows). */
export async function listPeople(
  db: Db,
  filter: { within: AreaScope; role?: PersonRole; name?: string; after?: number; limit: number },
): Promise<PersonRecord[]> {
  const rows = await db.person.findMany({
    where: {
      ...inArea(filter.within),
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.name ? { name: { contains: filter.name } } : {}),
      ...(filter.after !== undefined ? { id: { gt: filter.after } } : {}),
    },
    select: PERSON_SELECT,
    orderBy: { id: 'asc' },
    take: filter.limit + 1,
  });
  return rows.map(toRecord);
}

export async function personInScope(db: Db, scope: AreaScope, id: number): Promise<PersonRecord | null> {
  const row = await db.person.findFirst({ where: { id, ...inArea(scope) }, select: PERSON_SELECT });
  return row && toRecord(row);
}

export interface PersonFields {
  name: string;
  role: PersonRole;
  areaId: number;
  phone?: string;
  schoolName?: string;
  hasGuardianshipCapacity?: boolean;
}

/** Inserts a person; src/usecases/registerPerson.ts is the door that audits it. */
export async function insertPerson(tx: Tx, fields: PersonFields, now: Date): Promise<PersonRecord> {
  const created = await tx.person.create({
    data: {
      name: fields.name,
      role: fields.role,
      areaId: fields.areaId,
      phone: fields.phone ?? null,
      schoolName: fields.schoolName ?? null,
      hasGuardianshipCapacity: fields.hasGuardianshipCapacity ?? null,
      createdAt: now,
    },
    select: PERSON_SELECT,
  });
  return toRecord(created);
}

export interface LinkFields {
  relation: string | null;
  worksAway: boolean | null;
  workPlace: string | null;
  hasGuardianshipCapacity: boolean | null;
}

/** Links a person to a child, or renews the link of that kind (updated and no longer ended); src/usecases/linkPerson.ts is its door. */
export async function saveLink(tx: Tx, link: { childId: number; personId: number; kind: LinkKind } & LinkFields, now: Date): Promise<{ id: number }> {
  const { childId, personId, kind, ...fields } = link;
  return tx.childLink.upsert({
    where: { childId_personId_kind: { childId, personId, kind } },
    create: { childId, personId, kind, ...fields, startedAt: now },
    update: { ...fields, endedAt: null },
    select: { id: true },
  });
}

/** A person of the scope, as a link or an invite needs them; null outside the scope. */
export function personRef(tx: Tx, scope: AreaScope, id: number): Promise<{ id: number; role: PersonRole; areaId: number } | null> {
  return tx.person.findFirst({ where: { id, ...inArea(scope) }, select: { id: true, role: true, areaId: true } });
}

/** Ends a link of a child of the scope (the history stays), then recomputes left-behind. */
export async function endLink(
  db: Db,
  input: { childId: number; linkId: number; scope: AreaScope; actor: string; now: Date; timeZone: string },
): Promise<ChildDetail | null> {
  return db.$transaction(async (tx) => {
    const link = await tx.childLink.findFirst({ where: { id: input.linkId, childId: input.childId, child: inArea(input.scope) }, select: { id: true, endedAt: true } });
    if (!link) return null;
    if (!link.endedAt) {
      await tx.childLink.update({ where: { id: link.id }, data: { endedAt: input.now } });
      const leftBehind = await recomputeLeftBehind(tx, input.childId, input.now, input.timeZone);
      await recordAudit(tx, { at: input.now, actor: input.actor, action: 'child.unlink', subjectType: 'Child', subjectId: input.childId, after: { link: link.id, leftBehind } });
    }
    return childInScope(tx, input.scope, input.childId);
  });
}

/** The person of that name already linked to the child with that kind, and whether they have bound a chat identity. */
export async function linkedPersonByName(tx: Tx, childId: number, kind: LinkKind, name: string): Promise<{ id: number; bound: boolean } | null> {
  const link = await tx.childLink.findFirst({
    where: { childId, kind, endedAt: null, person: { name } },
    select: { person: { select: { id: true, _count: { select: { identities: true } } } } },
  });
  return link && { id: link.person.id, bound: link.person._count.identities > 0 };
}
