import type { DateTime } from 'luxon';
import { areaPath } from '../../domain/areaScope';
import { categoriesWithLeftBehind } from '../../domain/child';
import { inZone } from '../../domain/contactWeek';
import { classifyLeftBehind } from '../../domain/leftBehind';
import { checkChar } from '../../domain/nationalId';
import type { AreaLevel, ChildCategory, Db, FocusFlag, Gender, PersonRole, Prisma, SchoolStage } from '../../store/db/database';
import type { NationalIdCipher } from '../../store/crypto/nationalIdCipher';

// ─── The demo data ──────────────────────────────────────────────────────────
// Codes starting with 99 are no real Chinese division codes, so the demo never collides
// with a real registry import; ID numbers and phone numbers are fake for the same reason.

interface DemoArea {
  code: string;
  name: string;
  level: AreaLevel;
  casePrefix?: string;
  staff?: { role: Extract<PersonRole, 'director' | 'officer' | 'hotline'>; name: string }[];
  children?: DemoArea[];
}

const DEMO_AREAS: DemoArea = {
  code: '990100',
  name: '守望示范市',
  level: 'city',
  children: [
    {
      code: '990101',
      name: '守望示范区',
      level: 'district',
      casePrefix: 'SW',
      staff: [{ role: 'hotline', name: '徐敏' }],
      children: [
        {
          code: '990101001',
          name: '清河镇',
          level: 'township',
          staff: [{ role: 'officer', name: '胡文静' }],
          children: [
            { code: '990101001001', name: '杨柳村', level: 'village', staff: [{ role: 'director', name: '刘春花' }] },
            { code: '990101001002', name: '石桥村', level: 'village', staff: [{ role: 'director', name: '王德明' }] },
          ],
        },
        {
          code: '990101002',
          name: '柳林乡',
          level: 'township',
          staff: [{ role: 'officer', name: '郭立新' }],
          children: [
            { code: '990101002001', name: '桃园村', level: 'village', staff: [{ role: 'director', name: '陈桂香' }] },
            { code: '990101002002', name: '山口村', level: 'village', staff: [{ role: 'director', name: '赵永福' }] },
          ],
        },
      ],
    },
  ],
};

/** The demo district: its presence means the demo has been seeded. */
export const DEMO_DISTRICT_CODE = '990101';

/** One helping teacher per school, shared by all the school's demo children. */
const SCHOOLS = {
  清河镇中心小学: { area: '990101001', teacher: '林晓燕' },
  清河镇初级中学: { area: '990101001', teacher: '马俊' },
  柳林乡中心小学: { area: '990101002', teacher: '杨帆' },
  柳林乡初级中学: { area: '990101002', teacher: '高红梅' },
  守望示范区第一中学: { area: '990101', teacher: '罗志刚' },
} as const;
type School = keyof typeof SCHOOLS;

interface DemoParent {
  name: string;
  relation: '父亲' | '母亲';
  /** Where the parent works away from home; absent for a parent living at home. */
  workPlace?: string;
  capable: boolean;
  /** No phone: the parent cannot be reached. */
  inPrison?: true;
}

type Schooling = { stage: Exclude<SchoolStage, 'not_in_school'>; grade: string; school: School } | { stage: 'not_in_school' };

type DemoChild = Schooling & {
  name: string;
  gender: Gender;
  /** Full years at the seed's `now`. */
  age: number;
  /** Given categories; left_behind is computed from the parents. */
  categories: Exclude<ChildCategory, 'left_behind'>[];
  flags?: FocusFlag[];
  health?: string;
  /** The 3-digit order code of the child's ID number (odd for boys, even for girls); absent: no ID on file. */
  idOrder?: string;
};

interface DemoFamily {
  village: string;
  situation: string;
  /** The first parent is the one who signs the guardianship agreement. */
  parents: DemoParent[];
  /** The adult the parents entrusted the children to. */
  guardian?: { name: string; relation: string };
  children: DemoChild[];
}

const FAMILIES: DemoFamily[] = [
  {
    village: '990101001001',
    situation: '父母均在广东东莞务工，姐弟随祖母生活',
    parents: [
      { name: '王建国', relation: '父亲', workPlace: '广东省东莞市', capable: true },
      { name: '李秀英', relation: '母亲', workPlace: '广东省东莞市', capable: true },
    ],
    guardian: { name: '张桂兰', relation: '祖母' },
    children: [
      { name: '王小红', gender: 'female', age: 13, stage: 'junior', grade: '初二', school: '清河镇初级中学', categories: [], idOrder: '022' },
      { name: '王小明', gender: 'male', age: 9, stage: 'primary', grade: '三年级', school: '清河镇中心小学', categories: [], idOrder: '031' },
    ],
  },
  {
    village: '990101001001',
    situation: '父亲在浙江义乌务工，母亲患重病卧床无力照料，由外婆照顾',
    parents: [
      { name: '刘强', relation: '父亲', workPlace: '浙江省义乌市', capable: true },
      { name: '陈芳', relation: '母亲', capable: false },
    ],
    guardian: { name: '赵玉兰', relation: '外婆' },
    children: [
      { name: '刘思远', gender: 'male', age: 17, stage: 'senior', grade: '高二', school: '守望示范区第一中学', categories: ['economic_hardship'], idOrder: '013' },
      { name: '刘思雨', gender: 'female', age: 7, stage: 'primary', grade: '一年级', school: '清河镇中心小学', categories: ['economic_hardship'], idOrder: '044' },
    ],
  },
  {
    village: '990101001002',
    situation: '父母均在江苏苏州务工，兄妹随祖父生活',
    parents: [
      { name: '张伟', relation: '父亲', workPlace: '江苏省苏州市', capable: true },
      { name: '周丽', relation: '母亲', workPlace: '江苏省苏州市', capable: true },
    ],
    guardian: { name: '张德福', relation: '祖父' },
    children: [
      { name: '张悦', gender: 'female', age: 14, stage: 'junior', grade: '初三', school: '清河镇初级中学', categories: [] },
      {
        name: '张浩',
        gender: 'male',
        age: 11,
        stage: 'primary',
        grade: '五年级',
        school: '清河镇中心小学',
        categories: ['disabled'],
        health: '听力残疾三级，佩戴助听器',
        idOrder: '051',
      },
    ],
  },
  {
    village: '990101001002',
    situation: '父亲服刑，母亲在广东深圳务工，由祖母照顾',
    parents: [
      { name: '孙梅', relation: '母亲', workPlace: '广东省深圳市', capable: true },
      { name: '赵刚', relation: '父亲', capable: false, inPrison: true },
    ],
    guardian: { name: '钱秀珍', relation: '祖母' },
    children: [
      {
        name: '赵子涵',
        gender: 'female',
        age: 10,
        stage: 'primary',
        grade: '四年级',
        school: '清河镇中心小学',
        categories: ['economic_hardship'],
        flags: ['parent_in_prison'],
        idOrder: '062',
      },
    ],
  },
  {
    village: '990101002001',
    situation: '母亲在福建厦门务工；父亲长期酗酒，有打骂孩子的情况，由外婆照顾',
    parents: [
      { name: '黄小燕', relation: '母亲', workPlace: '福建省厦门市', capable: true },
      { name: '陈志军', relation: '父亲', capable: false },
    ],
    guardian: { name: '林淑芬', relation: '外婆' },
    children: [
      {
        name: '陈雨欣',
        gender: 'female',
        age: 12,
        stage: 'primary',
        grade: '六年级',
        school: '柳林乡中心小学',
        categories: ['safety_lacking'],
        flags: ['domestic_violence', 'parent_substance_abuse'],
        idOrder: '072',
      },
    ],
  },
  {
    village: '990101002001',
    situation: '父母均在北京务工，兄妹随祖父生活；哥哥初一下学期辍学在家',
    parents: [
      { name: '李军', relation: '父亲', workPlace: '北京市', capable: true },
      { name: '吴红', relation: '母亲', workPlace: '北京市', capable: true },
    ],
    guardian: { name: '李长顺', relation: '祖父' },
    children: [
      { name: '李浩然', gender: 'male', age: 15, stage: 'not_in_school', categories: ['economic_hardship'], flags: ['dropout'], idOrder: '081' },
      { name: '李欣怡', gender: 'female', age: 6, stage: 'primary', grade: '一年级', school: '柳林乡中心小学', categories: [] },
    ],
  },
  {
    village: '990101002001',
    situation: '父母在家务农，收入微薄，孩子需长期康复治疗',
    parents: [
      { name: '周建华', relation: '父亲', capable: true },
      { name: '郑桂芳', relation: '母亲', capable: true },
    ],
    children: [
      {
        name: '周子豪',
        gender: 'male',
        age: 8,
        stage: 'primary',
        grade: '二年级',
        school: '柳林乡中心小学',
        categories: ['disabled', 'economic_hardship'],
        health: '肢体残疾二级',
        idOrder: '091',
      },
    ],
  },
  {
    village: '990101002002',
    situation: '父亲去世，母亲在湖南长沙务工；孩子曾离家在县城流浪乞讨，已被劝返',
    parents: [{ name: '何丽', relation: '母亲', workPlace: '湖南省长沙市', capable: true }],
    guardian: { name: '何永福', relation: '外公' },
    children: [
      { name: '吴天宇', gender: 'male', age: 13, stage: 'junior', grade: '初一', school: '柳林乡初级中学', categories: ['safety_lacking'], flags: ['vagrant'] },
    ],
  },
  {
    village: '990101002002',
    situation: '母亲去世，父亲患尿毒症无力抚养，由伯父代为照料',
    parents: [{ name: '孙大海', relation: '父亲', capable: false }],
    guardian: { name: '孙大江', relation: '伯父' },
    children: [
      {
        name: '孙佳琪',
        gender: 'female',
        age: 11,
        stage: 'primary',
        grade: '五年级',
        school: '柳林乡中心小学',
        categories: ['safety_lacking', 'economic_hardship'],
        idOrder: '102',
      },
    ],
  },
  {
    village: '990101002002',
    situation: '父母均在上海务工，随外婆生活',
    parents: [
      { name: '黄志强', relation: '父亲', workPlace: '上海市', capable: true },
      { name: '邓丽华', relation: '母亲', workPlace: '上海市', capable: true },
    ],
    guardian: { name: '邓桂英', relation: '外婆' },
    children: [
      { name: '黄梓萱', gender: 'female', age: 9, stage: 'primary', grade: '三年级', school: '柳林乡中心小学', categories: [], idOrder: '112' },
    ],
  },
];

// ─── Writing it ─────────────────────────────────────────────────────────────

export interface DemoSeedSummary {
  /** False when the demo district already existed, so nothing was written. */
  created: boolean;
  areas: number;
  children: number;
  people: Record<PersonRole, number>;
  links: number;
  agreements: number;
}

type Tx = Prisma.TransactionClient;

/**
 * Seeds the demo city (守望示范市) with one district, its townships and villages, their staff,
 * and families covering every child category and focus flag. Everything is marked isDemo.
 * Idempotent: when the demo district exists nothing is written. One transaction, so a
 * failure leaves nothing half-made.
 */
export async function seedDemo(db: Db, cipher: NationalIdCipher, now: Date): Promise<DemoSeedSummary> {
  return db.$transaction(
    async (tx) => {
      const seeded = await tx.area.findUnique({ where: { code: DEMO_DISTRICT_CODE }, select: { id: true } });
      if (!seeded) await writeDemo(tx, cipher, now);
      return { created: !seeded, ...(await countDemo(tx)) };
    },
    // ~150 statements: the default 5 s is tight on a slow disk or a remote PostgreSQL.
    { timeout: 60_000 },
  );
}

async function writeDemo(tx: Tx, cipher: NationalIdCipher, now: Date): Promise<void> {
  const today = inZone(now).startOf('day');
  let phones = 0;
  const createPerson = async (data: Omit<Prisma.PersonUncheckedCreateInput, 'isDemo'>, reachable = true): Promise<number> => {
    const phone = reachable ? `1390000${String(++phones).padStart(4, '0')}` : null;
    return (await tx.person.create({ data: { ...data, phone, isDemo: true }, select: { id: true } })).id;
  };

  const areaIds = new Map<string, number>();
  const directors = new Map<string, number>();
  const createArea = async (area: DemoArea, parent: { id: number; path: string } | null): Promise<void> => {
    const path = areaPath(parent?.path ?? null, area.code);
    const { id } = await tx.area.create({
      data: { code: area.code, name: area.name, level: area.level, parentId: parent?.id, path, casePrefix: area.casePrefix, isDemo: true },
      select: { id: true },
    });
    areaIds.set(area.code, id);
    for (const { role, name } of area.staff ?? []) {
      const personId = await createPerson({ name, role, areaId: id });
      if (role === 'director') directors.set(area.code, personId);
    }
    for (const child of area.children ?? []) await createArea(child, { id, path });
  };
  await createArea(DEMO_AREAS, null);
  const areaId = (code: string): number => required(areaIds.get(code), `area ${code}`);

  const teachers = new Map<School, number>();
  for (const [school, { area, teacher }] of Object.entries(SCHOOLS) as [School, (typeof SCHOOLS)[School]][]) {
    teachers.set(school, await createPerson({ name: teacher, role: 'teacher', areaId: areaId(area), schoolName: school }));
  }

  let childCount = 0;
  for (const family of FAMILIES) {
    const villageId = areaId(family.village);
    const parentLinks: Prisma.ChildLinkUncheckedCreateWithoutChildInput[] = [];
    for (const parent of family.parents) {
      parentLinks.push({
        personId: await createPerson(
          { name: parent.name, role: 'parent', areaId: villageId, hasGuardianshipCapacity: parent.capable },
          !parent.inPrison,
        ),
        kind: 'parent',
        relation: parent.relation,
        worksAway: parent.workPlace !== undefined,
        workPlace: parent.workPlace,
        hasGuardianshipCapacity: parent.capable,
        startedAt: now,
      });
    }
    const parentSituations = family.parents.map((p) => ({ worksAway: p.workPlace !== undefined, hasGuardianshipCapacity: p.capable }));
    const guardian = family.guardian && {
      ...family.guardian,
      id: await createPerson({ name: family.guardian.name, role: 'guardian', areaId: villageId, hasGuardianshipCapacity: true }),
    };

    for (const child of family.children) {
      const birthDate = birthDateAtAge(today, child.age, childCount++);
      const { leftBehind } = classifyLeftBehind({ birthDate, parents: parentSituations, asOf: now });
      const id = child.idOrder ? cipher.seal(demoNationalId(birthDate, child.idOrder)) : undefined;
      const school = 'school' in child ? child : undefined;
      const teacherId = school && required(teachers.get(school.school), school.school);
      await tx.child.create({
        data: {
          areaId: villageId,
          name: child.name,
          gender: child.gender,
          birthDate,
          nationalIdCipher: id?.cipher,
          nationalIdDigest: id?.digest,
          nationalIdMasked: id?.masked,
          schoolName: school?.school,
          schoolStage: child.stage,
          grade: school?.grade,
          familySituation: family.situation,
          guardianshipStatus: guardian ? `委托${guardian.relation}${guardian.name}监护` : '父母监护',
          healthStatus: child.health,
          leftBehind,
          isDemo: true,
          categories: { create: categoriesWithLeftBehind(child.categories, leftBehind).map((category) => ({ category })) },
          focusFlags: { create: (child.flags ?? []).map((flag) => ({ flag })) },
          links: {
            create: [
              ...parentLinks,
              ...(guardian
                ? [{ personId: guardian.id, kind: 'guardian', relation: guardian.relation, hasGuardianshipCapacity: true, startedAt: now } as const]
                : []),
              ...(teacherId ? [{ personId: teacherId, kind: 'teacher', relation: '班主任', startedAt: now } as const] : []),
            ],
          },
          agreements:
            guardian
              ? {
                  create: {
                    parentId: required(parentLinks[0], 'signing parent').personId,
                    guardianId: guardian.id,
                    status: 'approved',
                    relation: guardian.relation,
                    guardianHealth: '身体健康',
                    guardianWilling: true,
                    capacityLevel: 'normal',
                    capacityNote: `${guardian.relation}能照料孩子日常生活，经村儿童主任上门评估具备监护能力`,
                    approvedById: required(directors.get(family.village), `director of ${family.village}`),
                    approvedAt: now,
                    validFrom: today.toISODate(),
                    validUntil: today.plus({ years: 1 }).toISODate(),
                  },
                }
              : undefined,
        },
      });
    }
  }
}

/** Birthdays spread over the year (by the child's position), each child exactly `age` today. */
function birthDateAtAge(today: DateTime, age: number, position: number): string {
  return today.minus({ years: age, days: 20 + ((position * 53) % 300) }).toFormat('yyyy-MM-dd');
}

/** A valid ID number of the demo district. */
function demoNationalId(birthDate: string, order: string): string {
  const body = `${DEMO_DISTRICT_CODE}${birthDate.replaceAll('-', '')}${order}`;
  return body + required(checkChar(body), `check character for ${body}`);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`demo seed: missing ${what}`);
  return value;
}

async function countDemo(tx: Tx): Promise<Omit<DemoSeedSummary, 'created'>> {
  // One after another: a transaction is one connection, which runs one query at a time.
  const areas = await tx.area.count({ where: { isDemo: true } });
  const children = await tx.child.count({ where: { isDemo: true } });
  const roles = await tx.person.groupBy({ by: ['role'], where: { isDemo: true }, _count: { _all: true } });
  const links = await tx.childLink.count({ where: { child: { isDemo: true } } });
  const agreements = await tx.guardianshipAgreement.count({ where: { child: { isDemo: true } } });
  const people: Record<PersonRole, number> = { parent: 0, guardian: 0, teacher: 0, director: 0, officer: 0, hotline: 0 };
  for (const { role, _count } of roles) people[role] = _count._all;
  return { areas, children, people, links, agreements };
}
