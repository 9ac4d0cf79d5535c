import { areaPath } from '../../src/domain/areaScope';
import type { ApiRole } from '../../src/domain/apiAccess';
import type { Db } from '../../src/store/db/database';
import type { NationalIdCipher } from '../../src/store/crypto/nationalIdCipher';
import { fileReport } from '../../src/store/cases/reports';
import { createVillage } from './village';
import { tokenFor } from './adminApi';

/** One of everything the admin API serves, in one village. */
export interface VillageRecords {
  townshipCode: string;
  villageCode: string;
  childId: number;
  parentId: number;
  linkId: number;
  caseNumber: string;
  agreementId: number;
  deadLetterId: number;
  nationalId: string;
}

/** Valid ID numbers (GB 11643 check characters) for test children. */
export const NATIONAL_IDS = ['420102201605010015', '110101201001010015'];

/** A child with an ID number, an away parent, a guardian, an invite, a case, an agreement, an assessment, a contact week, a dead letter and a vacation. */
export async function populateVillage(
  db: Db,
  cipher: NationalIdCipher,
  village: { id: number; code: string; townshipCode: string },
  nationalId: string,
): Promise<VillageRecords> {
  const now = new Date('2026-11-20T02:00:00Z');
  const sealed = cipher.seal(nationalId);
  const child = await db.child.create({
    data: {
      name: `王小${village.code.slice(-1)}`,
      birthDate: '2016-05-01',
      areaId: village.id,
      nationalIdCipher: sealed.cipher,
      nationalIdDigest: sealed.digest,
      nationalIdMasked: sealed.masked,
    },
  });
  const parent = await db.person.create({ data: { name: '王父', role: 'parent', areaId: village.id, phone: '13900001111' } });
  const guardian = await db.person.create({ data: { name: '王奶奶', role: 'guardian', areaId: village.id } });
  const director = await db.person.create({ data: { name: '赵主任', role: 'director', areaId: village.id } });
  const link = await db.childLink.create({ data: { childId: child.id, personId: parent.id, kind: 'parent', worksAway: true } });
  await db.invite.create({ data: { code: String(100000 + child.id), personId: guardian.id, role: 'guardian', areaId: village.id, expiresAt: new Date('2030-01-01') } });
  const report = await db.$transaction((tx) =>
    fileReport(tx, { childId: child.id, areaId: village.id, type: 'psychological', severity: 'normal', description: '情绪低落', source: 'director', reporterId: director.id, now, timeZone: 'Asia/Shanghai' }),
  );
  const agreement = await db.guardianshipAgreement.create({
    data: { childId: child.id, parentId: parent.id, guardianId: guardian.id, status: 'approved', validFrom: '2026-01-01', validUntil: '2027-12-31' },
  });
  await db.riskAssessment.create({ data: { childId: child.id, assessorId: director.id, round: '2026-09', level: 'medium', assessedAt: now } });
  await db.contactWeek.create({ data: { childId: child.id, parentId: parent.id, weekKey: '2026-W46', weekStart: new Date('2026-11-08T16:00:00Z'), status: 'missed', missedStreak: 1 } });
  const dead = await db.outboxMessage.create({ data: { channel: 'http', botAccount: 'default', address: 'tel:13900001111', personId: parent.id, text: '提醒', status: 'dead', attempts: 6 } });
  await db.schoolCalendar.create({ data: { areaId: village.id, year: 2027, vacation: 'winter', startsOn: '2027-01-22', endsOn: '2027-02-22' } });
  return {
    townshipCode: village.townshipCode,
    villageCode: village.code,
    childId: child.id,
    parentId: parent.id,
    linkId: link.id,
    caseNumber: report.number,
    agreementId: agreement.id,
    deadLetterId: dead.id,
    nationalId,
  };
}

export interface ApiWorld {
  /** District 880101 → township 880101001 → village 880101001001 (createVillage). */
  home: VillageRecords;
  /** City 770100 → district 770101 → township 770101001 → village 770101001001: another tree. */
  away: VillageRecords;
  tokens: Record<ApiRole, string>;
}

/**
 * Two registries side by side. Every token but the city officer's sits in the home tree; the
 * city officer's sits on top of the away tree, so for each role one village is inside and the
 * other outside.
 */
export async function createApiWorld(db: Db, cipher: NationalIdCipher): Promise<ApiWorld> {
  const test = await createVillage(db);
  const home = await populateVillage(db, cipher, { id: test.villageId, code: '880101001001', townshipCode: '880101001' }, NATIONAL_IDS[0]!);
  const city = await db.area.create({ data: { code: '770100', name: '远城', level: 'city', path: areaPath(null, '770100'), casePrefix: 'YC' } });
  const district = await db.area.create({ data: { code: '770101', name: '远区', level: 'district', parentId: city.id, path: areaPath(city.path, '770101') } });
  const township = await db.area.create({ data: { code: '770101001', name: '远镇', level: 'township', parentId: district.id, path: areaPath(district.path, '770101001') } });
  const village = await db.area.create({ data: { code: '770101001001', name: '远村', level: 'village', parentId: township.id, path: areaPath(township.path, '770101001001') } });
  const away = await populateVillage(db, cipher, { id: village.id, code: village.code, townshipCode: township.code }, NATIONAL_IDS[1]!);
  const tokens: Record<ApiRole, string> = {
    officer_city: await tokenFor(db, 'officer_city', '770100'),
    officer_district: await tokenFor(db, 'officer_district', '880101'),
    officer_township: await tokenFor(db, 'officer_township', '880101001'),
    director: await tokenFor(db, 'director', '880101001001'),
    auditor: await tokenFor(db, 'auditor', '880101001'),
    department: await tokenFor(db, 'department', '880101', 'education'),
  };
  return { home, away, tokens };
}
