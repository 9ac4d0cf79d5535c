import type { Department } from '../../domain/departments';
import { DomainError } from '../../domain/DomainError';
import { recordAudit } from '../audit/auditLog';
import { inArea, type AreaScope } from './areaScopeFilter';
import type { ChildDetail } from './childRecords';
import { childInScope, recomputeLeftBehind } from './childRecords';
import type { Db, LinkKind, PersonRole, Prisma, Tx } from '../db/database';

export interface PersonRecord {
  id: number;
  name: string;
  role: PersonRole;
  area: { code: string; name: string };
  phone: string | null;
  schoolName: string | null;
  hasGuardianshipCapacity: boolean | null;
  /** The staff member's WeCom / 政务微信 userid: the WeCom application reaches them without an invite. */
  wecomUserId: string | null;
  /** Department staff (an officer of 教育, 公安, …): referrals to that department in their area reach them. */
  department: Department | null;
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
  wecomUserId: true,
  department: true,
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

async function checkWecomUserIdFree(db: Db | Tx, wecomUserId: string, personId: number | null): Promise<void> {
  const holder = await db.person.findUnique({ where: { wecomUserId }, select: { id: true } });
  if (holder && holder.id !== personId) throw new DomainError('wecom_user_id_taken', 'another person has this WeCom userid');
}

/** Sets or clears a person's WeCom userid; null when the person is not in the scope. */
export async function setWecomUserId(db: Db, input: { id: number; wecomUserId: string | null; scope: AreaScope; actor: string; now: Date }): Promise<PersonRecord | null> {
  if (input.wecomUserId) await checkWecomUserIdFree(db, input.wecomUserId, input.id);
  return db.$transaction(async (tx) => {
    const person = await tx.person.findFirst({ where: { id: input.id, ...inArea(input.scope) }, select: { id: true, wecomUserId: true } });
    if (!person) return null;
    const updated = await tx.person.update({ where: { id: person.id }, data: { wecomUserId: input.wecomUserId }, select: PERSON_SELECT });
    await recordAudit(tx, {
      at: input.now,
      actor: input.actor,
      action: 'person.wecom_user_id',
      subjectType: 'Person',
      subjectId: person.id,
      before: { wecomUserId: person.wecomUserId },
      after: { wecomUserId: input.wecomUserId },
    });
    return toRecord(updated);
  });
}

export interface PersonFields {
  name: string;
  role: PersonRole;
  areaId: number;
  phone?: string;
  schoolName?: string;
  hasGuardianshipCapacity?: boolean;
  /** WeCom / 政务微信 userid: the WeCom application reaches this staff member without an invite. */
  wecomUserId?: string;
  /** Department staff (an officer of 教育, 公安, …): referrals to that department in their area reach them. */
  department?: Department;
}

/** Inserts a person; src/usecases/registerPerson.ts is the door that audits it. */
export async function insertPerson(tx: Tx, fields: PersonFields, now: Date): Promise<PersonRecord> {
  if (fields.wecomUserId) await checkWecomUserIdFree(tx, fields.wecomUserId, null);
  const created = await tx.person.create({
    data: {
      name: fields.name,
      role: fields.role,
      areaId: fields.areaId,
      phone: fields.phone ?? null,
      schoolName: fields.schoolName ?? null,
      hasGuardianshipCapacity: fields.hasGuardianshipCapacity ?? null,
      wecomUserId: fields.wecomUserId ?? null,
      department: fields.department ?? null,
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

/** The names of the given people, by id. */
export async function namesOf(db: Db | Tx, personIds: readonly number[]): Promise<Map<number, string>> {
  const people = await db.person.findMany({ where: { id: { in: [...personIds] } }, select: { id: true, name: true } });
  return new Map(people.map((person) => [person.id, person.name]));
}

/** A person's name and area (name and path); throws when there is no such person. */
export function personWithArea(db: Db | Tx, id: number): Promise<{ id: number; name: string; area: { name: string; path: string } }> {
  return db.person.findUniqueOrThrow({ where: { id }, select: { id: true, name: true, area: { select: { name: true, path: true } } } });
}
