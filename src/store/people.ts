import type { Department } from '../domain/departments';
import { DomainError } from '../domain/DomainError';
import { recordAudit } from './auditLog';
import { inArea, type AreaScope } from './areaScopeFilter';
import type { ChildDetail } from './childRecords';
import { childInScope, recomputeLeftBehind } from './childRecords';
import type { Db, LinkKind, PersonRole, Prisma } from './database';

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

export async function createPerson(
  db: Db,
  input: { name: string; role: PersonRole; areaId: number; phone?: string; schoolName?: string; hasGuardianshipCapacity?: boolean; wecomUserId?: string; department?: Department; actor: string; now: Date },
): Promise<PersonRecord> {
  if (input.department && input.role !== 'officer') throw new DomainError('department_unexpected', 'only an officer (department staff) names a department');
  if (input.wecomUserId) await checkWecomUserIdFree(db, input.wecomUserId, null);
  return db.$transaction(async (tx) => {
    const created = await tx.person.create({
      data: {
        name: input.name,
        role: input.role,
        areaId: input.areaId,
        phone: input.phone ?? null,
        schoolName: input.schoolName ?? null,
        hasGuardianshipCapacity: input.hasGuardianshipCapacity ?? null,
        wecomUserId: input.wecomUserId ?? null,
        department: input.department ?? null,
        createdAt: input.now,
      },
      select: PERSON_SELECT,
    });
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'person.create', subjectType: 'Person', subjectId: created.id, after: { role: input.role } });
    return toRecord(created);
  });
}

async function checkWecomUserIdFree(db: Db, wecomUserId: string, personId: number | null): Promise<void> {
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

/** The person roles a link of each kind may point to. */
const LINK_ROLES: Record<LinkKind, PersonRole[]> = { parent: ['parent'], guardian: ['guardian', 'parent'], teacher: ['teacher'], director: ['director'] };

export interface LinkInput {
  childId: number;
  personId: number;
  kind: LinkKind;
  relation?: string;
  worksAway?: boolean;
  workPlace?: string;
  hasGuardianshipCapacity?: boolean;
}

/**
 * Links a person to a child (again: updates the link and starts it anew), then recomputes the
 * child's left-behind status. Null when the child or the person is not in the scope.
 */
export async function linkPerson(db: Db, input: LinkInput & { scope: AreaScope; actor: string; now: Date; timeZone: string }): Promise<ChildDetail | null> {
  return db.$transaction(async (tx) => {
    const child = await tx.child.findFirst({ where: { id: input.childId, ...inArea(input.scope) }, select: { id: true } });
    const person = await tx.person.findFirst({ where: { id: input.personId, ...inArea(input.scope) }, select: { id: true, role: true } });
    if (!child || !person) return null;
    if (!LINK_ROLES[input.kind].includes(person.role)) {
      throw new DomainError('link_kind_mismatch', `a ${person.role} cannot be linked to a child as ${input.kind}`);
    }
    const fields = {
      relation: input.relation ?? null,
      worksAway: input.worksAway ?? null,
      workPlace: input.workPlace ?? null,
      hasGuardianshipCapacity: input.hasGuardianshipCapacity ?? null,
    };
    const link = await tx.childLink.upsert({
      where: { childId_personId_kind: { childId: child.id, personId: person.id, kind: input.kind } },
      create: { childId: child.id, personId: person.id, kind: input.kind, ...fields, startedAt: input.now },
      update: { ...fields, endedAt: null },
    });
    const leftBehind = await recomputeLeftBehind(tx, child.id, input.now, input.timeZone);
    await recordAudit(tx, {
      at: input.now,
      actor: input.actor,
      action: 'child.link',
      subjectType: 'Child',
      subjectId: child.id,
      after: { link: link.id, person: person.id, kind: input.kind, worksAway: fields.worksAway, leftBehind },
    });
    return childInScope(tx, input.scope, child.id);
  });
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
