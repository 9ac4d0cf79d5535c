import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DatabaseTarget } from '../src/config';
import { areaPath } from '../src/domain/areaScope';
import { contactWeekOf, previousContactWeek } from '../src/domain/contactWeek';
import { Prisma, type Db, type Tx } from '../src/store/db/database';
import { summarizeContactWeek } from '../src/store/contact/contactWeeks';
import { closedWeeks as closedWeeksBefore, DEFAULT_CONTACT_WEEKS } from '../src/store/ledgers/contactCompliance';
import type { LedgerScope } from '../src/store/ledgers/ledger';
import type { Engine } from '../src/store/db/providers';

/** The synthetic area's proportions, from the issue: 100 children a village, 20 villages a township, 10 townships a district. */
const CHILDREN_PER_VILLAGE = 100;
const VILLAGES_PER_TOWNSHIP = 20;
const TOWNSHIPS_PER_DISTRICT = 10;
const CHILDREN_PER_TEACHER = 20;
/** Children seeded (and written) per round: the seed never holds the whole city in memory. */
const CHUNK_CHILDREN = 5000;
/** Bound parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

export const BENCH_CHANNEL = 'http';
export const BENCH_BOT_ACCOUNT = 'bench';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '明华军芳婷磊洋静强丽';

export interface Sender {
  personId: number;
  externalId: string;
  childName: string;
}

export interface Filer {
  directorExternalId: string;
  childId: number;
  /** Unique in the village, so a one-line 报告 files at once instead of offering a numbered choice. */
  childName: string;
}

export interface SyntheticArea {
  city: LedgerScope;
  township: LedgerScope;
  counts: Record<'areas' | 'children' | 'people' | 'awayParents' | 'links' | 'identities' | 'contactWeeks', number>;
  /** Away parents who will send 已联系, spread over the villages. */
  senders: Sender[];
  /** Directors filing reports, each on a child of their own village. */
  filers: Filer[];
  /** The closed week the seed wrote verdicts for (the ledgers read it). */
  closedWeekKey: string;
}

interface Shape {
  villages: number;
  townships: number;
  districts: number;
  teachers: number;
}

export function shapeOf(children: number): Shape {
  const villages = Math.ceil(children / CHILDREN_PER_VILLAGE);
  const townships = Math.ceil(villages / VILLAGES_PER_TOWNSHIP);
  return { villages, townships, districts: Math.ceil(townships / TOWNSHIPS_PER_DISTRICT), teachers: Math.ceil(children / CHILDREN_PER_TEACHER) };
}

/** seedSyntheticArea in a child process (bench/seedProcess.ts), so its garbage never counts in the measured process's memory. */
export async function seedInChildProcess(
  target: DatabaseTarget,
  options: { children: number; senders: number; filers: number; now: Date; timeZone: string },
): Promise<SyntheticArea> {
  const location = target.engine === 'sqlite' ? target.file : target.url;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'seedProcess.ts'), target.engine, location, JSON.stringify(options)], {
    maxBuffer: 1024 * 2 ** 20,
  });
  return JSON.parse(stdout) as SyntheticArea;
}

/**
 * Seeds a city of `children` children: about 1.5 parents a child (every child has an away father,
 * every other child a mother, at home for one child in ten), a guardian for each left-behind child, a
 * teacher per 20 children, a director per village, and a chat identity for every person. Rows go in
 * as multi-row INSERTs through $executeRaw: createMany is about 30× slower on SQLite.
 */
export async function seedSyntheticArea(
  db: Db,
  engine: Engine,
  options: { children: number; senders: number; filers: number; now: Date; timeZone: string },
): Promise<SyntheticArea> {
  const { children, now } = options;
  const shape = shapeOf(children);
  const bool = (value: boolean): boolean | number => (engine === 'sqlite' ? (value ? 1 : 0) : value);
  const linkedSince = new Date(now.getTime() - 60 * 86_400_000);
  const closedWeek = previousContactWeek(contactWeekOf(now, options.timeZone));
  // The trend ledger's eight closed weeks, each with a verdict for every away parent: the same
  // pattern every week, so the last week's figures stay what the other phases expect.
  const closedWeeks = closedWeeksBefore(now, options.timeZone, DEFAULT_CONTACT_WEEKS);
  const counts = { areas: 0, children: 0, people: 0, awayParents: 0, links: 0, identities: 0, contactWeeks: 0 };

  // Areas: the city, then districts, townships and villages, ids in that order.
  const areas: unknown[][] = [];
  const villageIds: number[] = [];
  const townshipOfVillage: number[] = [];
  const cityCode = '420100';
  const cityName = '守望市';
  const cityPath = areaPath(null, cityCode);
  areas.push([1, cityCode, cityName, 'city', null, cityPath, null, now]);
  const districtPaths: string[] = [];
  for (let d = 0; d < shape.districts; d += 1) {
    const code = `4201${String(d + 1).padStart(2, '0')}`;
    districtPaths.push(areaPath(cityPath, code));
    areas.push([2 + d, code, `第${d + 1}区`, 'district', 1, districtPaths[d], `D${d + 1}`, now]);
  }
  const townshipBase = 2 + shape.districts;
  const townshipPaths: string[] = [];
  for (let t = 0; t < shape.townships; t += 1) {
    const district = Math.floor(t / TOWNSHIPS_PER_DISTRICT);
    const code = `4201${String(district + 1).padStart(2, '0')}${String((t % TOWNSHIPS_PER_DISTRICT) + 1).padStart(3, '0')}`;
    townshipPaths.push(areaPath(districtPaths[district]!, code));
    areas.push([townshipBase + t, code, `第${t + 1}镇`, 'township', 2 + district, townshipPaths[t], null, now]);
  }
  const villageBase = townshipBase + shape.townships;
  for (let v = 0; v < shape.villages; v += 1) {
    const township = Math.floor(v / VILLAGES_PER_TOWNSHIP);
    const townshipCode = townshipPaths[township]!.split('/').at(-2)!;
    const code = `${townshipCode}${String((v % VILLAGES_PER_TOWNSHIP) + 1).padStart(3, '0')}`;
    villageIds.push(villageBase + v);
    townshipOfVillage.push(townshipBase + township);
    areas.push([villageBase + v, code, `第${v + 1}村`, 'village', townshipBase + township, areaPath(townshipPaths[township]!, code), null, now]);
  }
  await insertRows(db, 'Area', ['id', 'code', 'name', 'level', 'parentId', 'path', 'casePrefix', 'updatedAt'], areas);
  counts.areas = areas.length;

  // Directors and teachers first, so family rows can link to them by id.
  let nextPersonId = 1;
  const staff: unknown[][] = [];
  const directorOfVillage: number[] = [];
  for (let v = 0; v < shape.villages; v += 1) {
    directorOfVillage.push(nextPersonId);
    staff.push([nextPersonId++, `主任${v + 1}`, 'director', villageIds[v], now]);
  }
  const teacherBase = nextPersonId;
  for (let t = 0; t < shape.teachers; t += 1) {
    const village = Math.floor((t * CHILDREN_PER_TEACHER) / CHILDREN_PER_VILLAGE);
    staff.push([nextPersonId++, `教师${t + 1}`, 'teacher', townshipOfVillage[village], now]);
  }
  await insertPeople(db, staff);
  counts.people += staff.length;
  counts.identities += staff.length;

  const senderStride = Math.max(1, Math.floor(children / Math.max(1, options.senders)));
  const filerStride = Math.max(1, Math.floor(children / Math.max(1, options.filers)));
  const senders: Sender[] = [];
  const filers: Filer[] = [];
  let nextLinkId = 1;
  for (let first = 0; first < children; first += CHUNK_CHILDREN) {
    const childRows: unknown[][] = [];
    const people: unknown[][] = [];
    const links: unknown[][] = [];
    const weeks: unknown[][] = [];
    const link = (childId: number, personId: number, kind: string, relation: string, worksAway: boolean | null) =>
      links.push([nextLinkId++, childId, personId, kind, relation, worksAway === null ? null : bool(worksAway), linkedSince]);
    for (let i = first; i < Math.min(children, first + CHUNK_CHILDREN); i += 1) {
      const childId = i + 1;
      const village = Math.floor(i / CHILDREN_PER_VILLAGE);
      const villageId = villageIds[village]!;
      const inVillage = i % CHILDREN_PER_VILLAGE;
      // 20 surnames × the first 5 given names: the 100 children of a village all have different names.
      const name = `${SURNAMES[inVillage % SURNAMES.length]}小${GIVEN[Math.floor(inVillage / SURNAMES.length) % GIVEN.length]}`;
      const hasMother = i % 2 === 0;
      const motherAway = hasMother && i % 10 !== 0;
      const leftBehind = !hasMother || motherAway;
      childRows.push([childId, villageId, name, `20${10 + (i % 6)}-0${1 + (i % 9)}-1${i % 9}`, bool(leftBehind), now]);

      const fatherId = nextPersonId++;
      people.push([fatherId, `${name.slice(0, 1)}父${i}`, 'parent', villageId, now]);
      link(childId, fatherId, 'parent', '父亲', true);
      for (const week of closedWeeks) weeks.push([childId, fatherId, week.key, week.start, i % 5 === 0 ? 'missed' : 'kept', i % 5 === 0 ? 0 : 1, i % 5 === 0 ? 1 : 0, now]);
      counts.awayParents += 1;
      if (i % senderStride === 0 && senders.length < options.senders) senders.push({ personId: fatherId, externalId: externalIdOf(fatherId), childName: name });
      if (hasMother) {
        const motherId = nextPersonId++;
        people.push([motherId, `母${i}`, 'parent', villageId, now]);
        link(childId, motherId, 'parent', '母亲', motherAway);
        if (motherAway) {
          for (const week of closedWeeks) weeks.push([childId, motherId, week.key, week.start, i % 20 === 1 ? 'paused' : 'kept', 1, 0, now]);
          counts.awayParents += 1;
        }
      }
      if (leftBehind) {
        const guardianId = nextPersonId++;
        people.push([guardianId, `${name.slice(0, 1)}奶奶${i}`, 'guardian', villageId, now]);
        link(childId, guardianId, 'guardian', '祖母', null);
      }
      link(childId, teacherBase + Math.floor(i / CHILDREN_PER_TEACHER), 'teacher', '班主任', null);
      if (i % filerStride === 0 && filers.length < options.filers) filers.push({ directorExternalId: externalIdOf(directorOfVillage[village]!), childId, childName: name });
    }
    await insertRows(db, 'Child', ['id', 'areaId', 'name', 'birthDate', 'leftBehind', 'updatedAt'], childRows);
    await insertPeople(db, people);
    await insertRows(db, 'ChildLink', ['id', 'childId', 'personId', 'kind', 'relation', 'worksAway', 'startedAt'], links);
    await insertRows(db, 'ContactWeek', ['childId', 'parentId', 'weekKey', 'weekStart', 'status', 'contactCount', 'missedStreak', 'closedAt'], weeks);
    counts.children += childRows.length;
    counts.people += people.length;
    counts.identities += people.length;
    counts.links += links.length;
    counts.contactWeeks += weeks.length;
  }
  // Rows went in with explicit ids: PostgreSQL's sequences must continue after them.
  if (engine === 'postgresql') {
    for (const table of ['Area', 'Child', 'Person', 'ChildLink', 'ChatIdentity']) {
      await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX(id) FROM "${table}"))`);
    }
  }
  // What contact-week-close writes when it has closed a week.
  for (const week of closedWeeks) await summarizeContactWeek(db, week.key, now);
  // Planner statistics, as PostgreSQL's autovacuum soon gathers them after a bulk load (run on
  // SQLite too, so both engines plan with statistics; the service itself never runs ANALYZE there).
  await db.$executeRawUnsafe('ANALYZE');
  // The seed's write-ahead log written out now, as a deployment long past its bulk load has done:
  // otherwise the checkpoint it sets off (some 540 MB of WAL at 1,000,000 children) runs during
  // whichever phase is measured next.
  if (engine === 'postgresql') await db.$executeRawUnsafe('CHECKPOINT');
  else await db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
  return {
    city: { id: 1, code: cityCode, name: cityName, path: cityPath },
    township: { id: townshipBase, code: areas[townshipBase - 1]![1] as string, name: areas[townshipBase - 1]![2] as string, path: townshipPaths[0]! },
    counts,
    senders,
    filers,
    closedWeekKey: closedWeek.key,
  };

  async function insertPeople(target: Db, rows: unknown[][]): Promise<void> {
    await insertRows(target, 'Person', ['id', 'name', 'role', 'areaId', 'updatedAt'], rows);
    await insertRows(
      target,
      'ChatIdentity',
      ['id', 'personId', 'channel', 'botAccount', 'externalId', 'boundAt', 'lastSeenAt'],
      rows.map((row) => [row[0], row[0], BENCH_CHANNEL, BENCH_BOT_ACCOUNT, externalIdOf(row[0] as number), linkedSince, linkedSince]),
    );
  }
}

export const externalIdOf = (personId: number): string => `bench-${personId}`;

/** Multi-row INSERTs of as many rows as the engine's parameter limit allows, in one transaction. */
export async function insertRows(db: Db, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const head = Prisma.raw(`INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES `);
  await db.$transaction(
    async (tx: Tx) => {
      for (let start = 0; start < rows.length; start += perStatement) {
        const values = rows.slice(start, start + perStatement).map((row) => Prisma.sql`(${Prisma.join(row)})`);
        await tx.$executeRaw(Prisma.sql`${head}${Prisma.join(values)}`);
      }
    },
    { timeout: 600_000 },
  );
}
