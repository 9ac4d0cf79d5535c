import { CHILD_CATEGORIES, FOCUS_FLAGS } from '../../src/domain/child';
import { ageOn } from '../../src/domain/leftBehind';
import { birthDateFromNationalId, isValidNationalId } from '../../src/domain/nationalId';
import type { NationalIdCipher } from '../../src/store/crypto/nationalIdCipher';
import { DEMO_DISTRICT_CODE, seedDemo, type DemoSeedSummary } from '../../src/cli/demo/demoSeed';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

const NOW = new Date('2026-03-10T09:30:00+08:00');

const EXPECTED_COUNTS = {
  areas: 8,
  children: 14,
  people: { parent: 18, guardian: 9, teacher: 5, director: 4, officer: 2, hotline: 1 },
  links: 52,
  agreements: 13,
};

describeEachEngine('demo seed', (engine) => {
  let t: TestDatabase;
  let summary: DemoSeedSummary;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    summary = await seedDemo(t.db, t.cipher, NOW);
  });
  afterAll(() => t.drop());

  const childrenWithLinks = () =>
    t.db.child.findMany({ include: { links: { include: { person: true } }, categories: true, focusFlags: true, agreements: true, area: true } });

  it('reports what it created', () => {
    expect(summary).toEqual({ created: true, ...EXPECTED_COUNTS });
  });

  it('builds a demo district of two townships with two villages each, under the demo city', async () => {
    const district = await t.db.area.findUniqueOrThrow({
      where: { code: DEMO_DISTRICT_CODE },
      include: { parent: true, children: { include: { children: true }, orderBy: { code: 'asc' } } },
    });
    expect(district).toMatchObject({ name: '守望示范区', level: 'district', casePrefix: 'SW', path: '/990100/990101/' });
    expect(district.parent).toMatchObject({ code: '990100', name: '守望示范市', level: 'city', path: '/990100/' });
    expect(district.children.map((t) => [t.code, t.name, t.level])).toEqual([
      ['990101001', '清河镇', 'township'],
      ['990101002', '柳林乡', 'township'],
    ]);
    const villages = district.children.flatMap((township) => township.children);
    expect(villages).toHaveLength(4);
    for (const village of villages) {
      expect(village.level).toBe('village');
      expect(village.code).toMatch(/^99010100[12]00[12]$/);
      expect(village.path).toBe(`/990100/990101/${village.code.slice(0, 9)}/${village.code}/`);
    }
  });

  it('gives every village one director, every township one officer and the district a hotline', async () => {
    const areas = await t.db.area.findMany({ include: { people: true } });
    const staff = (level: string, role: string) =>
      areas.filter((a) => a.level === level).map((a) => a.people.filter((p) => p.role === role).length);
    expect(staff('village', 'director')).toEqual([1, 1, 1, 1]);
    expect(staff('township', 'officer')).toEqual([1, 1]);
    expect(staff('district', 'hotline')).toEqual([1]);
  });

  it('represents every child category and every focus flag', async () => {
    const children = await childrenWithLinks();
    const categories = new Set(children.flatMap((c) => c.categories.map((tag) => tag.category)));
    const flags = new Set(children.flatMap((c) => c.focusFlags.map((f) => f.flag)));
    expect([...categories].sort()).toEqual([...CHILD_CATEGORIES].sort());
    expect([...flags].sort()).toEqual([...FOCUS_FLAGS].sort());
    const villages = new Set(children.map((c) => c.area.code));
    expect(villages.size).toBe(4);
  });

  it('computes left-behind from the parents: both away is left-behind, 16 and over is not', async () => {
    const children = await childrenWithLinks();
    const awayParents = (c: (typeof children)[number]) => c.links.filter((l) => l.kind === 'parent' && l.worksAway).length;

    const bothAway = children.filter((c) => awayParents(c) === 2);
    expect(bothAway.map((c) => c.name).sort()).toEqual(['张悦', '张浩', '李欣怡', '李浩然', '王小明', '王小红', '黄梓萱'].sort());
    for (const c of bothAway) expect(c.leftBehind).toBe(true);

    const older = children.filter((c) => ageOn(c.birthDate, NOW) >= 16);
    expect(older.map((c) => [c.name, ageOn(c.birthDate, NOW), c.leftBehind])).toEqual([['刘思远', 17, false]]);
    expect(awayParents(older[0]!)).toBe(1);

    // the younger sister with the same parents: father away, mother without guardianship capacity
    const sister = children.find((c) => c.name === '刘思雨')!;
    expect(sister.links.filter((l) => l.kind === 'parent').map((l) => [l.relation, l.worksAway, l.hasGuardianshipCapacity])).toEqual(
      expect.arrayContaining([
        ['父亲', true, true],
        ['母亲', false, false],
      ]),
    );
    expect(sister.leftBehind).toBe(true);

    expect(children.filter((c) => c.leftBehind)).toHaveLength(11);
    for (const c of children) {
      expect([c.name, c.categories.some((tag) => tag.category === 'left_behind')]).toEqual([c.name, c.leftBehind]);
    }
  });

  it('gives in-school children a helping teacher shared within the school, and the dropout none', async () => {
    const children = await childrenWithLinks();
    for (const c of children.filter((c) => c.schoolStage !== 'not_in_school')) {
      const teachers = c.links.filter((l) => l.kind === 'teacher');
      expect([c.name, teachers.length, teachers[0]?.person.schoolName]).toEqual([c.name, 1, c.schoolName]);
    }
    const dropout = children.filter((c) => c.focusFlags.some((f) => f.flag === 'dropout'));
    expect(dropout.map((c) => [c.name, c.schoolStage, c.schoolName, c.links.some((l) => l.kind === 'teacher')])).toEqual([
      ['李浩然', 'not_in_school', null, false],
    ]);
    const primaryTeachers = new Set(
      children.filter((c) => c.schoolName === '柳林乡中心小学').map((c) => c.links.find((l) => l.kind === 'teacher')?.personId),
    );
    expect(primaryTeachers.size).toBe(1);
  });

  it('has an approved agreement, approved by the village director, for every entrusted child', async () => {
    const children = await childrenWithLinks();
    const entrusted = children.filter((c) => c.links.some((l) => l.kind === 'guardian'));
    expect(entrusted).toHaveLength(13);
    for (const c of entrusted) {
      const guardian = c.links.find((l) => l.kind === 'guardian')!;
      const director = await t.db.person.findFirstOrThrow({ where: { role: 'director', areaId: c.areaId } });
      expect(c.agreements).toHaveLength(1);
      expect(c.agreements[0]).toMatchObject({ status: 'approved', guardianId: guardian.personId, approvedById: director.id });
      expect(c.links.some((l) => l.kind === 'parent' && l.personId === c.agreements[0]!.parentId)).toBe(true);
    }
  });

  it('stores ID numbers only encrypted and masked, and they decrypt to valid numbers of the child', async () => {
    const children = await t.db.child.findMany({ where: { nationalIdCipher: { not: null } } });
    expect(children).toHaveLength(11);
    for (const c of children) {
      const plain = t.cipher.open(c.nationalIdCipher!);
      expect(isValidNationalId(plain, NOW)).toBe(true);
      expect(plain.startsWith('990101')).toBe(true);
      expect(birthDateFromNationalId(plain)).toBe(c.birthDate);
      expect(JSON.stringify(c)).not.toContain(plain);
      expect(c.nationalIdMasked).toMatch(/^9901\*{10}\d{3}[\dX]$/);
      expect(c.nationalIdMasked!.slice(-4)).toBe(plain.slice(-4));
      expect(c.nationalIdDigest).toBe(t.cipher.digest(plain));
    }
  });

  it('gives adults fake phone numbers, and the parent in prison none', async () => {
    const adults = await t.db.person.findMany();
    const withoutPhone = adults.filter((p) => p.phone === null).map((p) => p.name);
    expect(withoutPhone).toEqual(['赵刚']);
    for (const p of adults.filter((p) => p.phone !== null)) expect(p.phone).toMatch(/^1390000\d{4}$/);
    expect(new Set(adults.map((p) => p.phone)).size).toBe(adults.length);
  });

  it('marks everything as demo data', async () => {
    expect(await t.db.area.count({ where: { isDemo: false } })).toBe(0);
    expect(await t.db.child.count({ where: { isDemo: false } })).toBe(0);
    expect(await t.db.person.count({ where: { isDemo: false } })).toBe(0);
  });

  it('creates nothing when run again', async () => {
    const before = await t.db.person.count();
    const again = await seedDemo(t.db, t.cipher, new Date('2026-09-01T09:00:00+08:00'));
    expect(again).toEqual({ created: false, ...EXPECTED_COUNTS });
    expect(await t.db.person.count()).toBe(before);
    expect(await t.db.child.count()).toBe(EXPECTED_COUNTS.children);
  });

  it('leaves nothing behind when seeding fails midway', async () => {
    const fresh = await createTestDatabase(engine);
    try {
      const failing = {
        seal: () => {
          throw new Error('key unavailable');
        },
      } as unknown as NationalIdCipher;
      await expect(seedDemo(fresh.db, failing, NOW)).rejects.toThrow('key unavailable');
      expect(await fresh.db.area.count()).toBe(0);
      expect(await fresh.db.person.count()).toBe(0);
    } finally {
      await fresh.drop();
    }
  });
});
