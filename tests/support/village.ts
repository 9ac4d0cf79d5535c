import { areaPath } from '../../src/domain/areaScope';
import type { Db, PersonRole } from '../../src/store/db/database';
import { createInvite } from '../../src/store/registry/invites';

export interface TestVillage {
  districtId: number;
  townshipId: number;
  villageId: number;
  childId: number;
  /** Invite code of the village director. */
  directorCode: string;
  directorId: number;
}

/** A district (case prefix TV) → township → village with a director and one child, 张小明. */
export async function createVillage(db: Db, now = new Date()): Promise<TestVillage> {
  const district = await db.area.create({ data: { code: '880101', name: '测试区', level: 'district', path: areaPath(null, '880101'), casePrefix: 'TV' } });
  const township = await db.area.create({
    data: { code: '880101001', name: '测试镇', level: 'township', parentId: district.id, path: areaPath(district.path, '880101001') },
  });
  const village = await db.area.create({
    data: { code: '880101001001', name: '测试村', level: 'village', parentId: township.id, path: areaPath(township.path, '880101001001') },
  });
  const child = await db.child.create({ data: { name: '张小明', birthDate: '2016-05-01', areaId: village.id } });
  const director = await invitePerson(db, { name: '李主任', role: 'director', areaId: village.id, now });
  return { districtId: district.id, townshipId: township.id, villageId: village.id, childId: child.id, directorCode: director.code, directorId: director.personId };
}

/** Registers a person and returns the code they bind with. */
export async function invitePerson(
  db: Db,
  input: { name: string; role: PersonRole; areaId: number; now?: Date; childId?: number; linkKind?: 'parent' | 'guardian' | 'teacher' },
): Promise<{ personId: number; code: string }> {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const person = await tx.person.create({ data: { name: input.name, role: input.role, areaId: input.areaId } });
    if (input.childId && input.linkKind) {
      await tx.childLink.create({ data: { childId: input.childId, personId: person.id, kind: input.linkKind, worksAway: input.linkKind === 'parent' ? true : null } });
    }
    const invite = await createInvite(tx, { personId: person.id, role: input.role, areaId: input.areaId, childId: input.childId, now, ttlDays: 7 });
    return { personId: person.id, code: invite.code };
  });
}
