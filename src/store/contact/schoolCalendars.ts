import { eldestFirst } from '../../domain/child';
import {
  applicableCalendar,
  areaCodesNearestFirst,
  defaultVacationDates,
  validateVacationDates,
  type VacationDates,
  type VacationKind,
} from '../../domain/schoolCalendar';
import { UnknownAreaError } from '../access/apiTokens';
import { Prisma, type Db, type HolidayAnswer, type Tx } from '../db/database';
import type { Engine } from '../db/providers';

export interface SchoolCalendarRow {
  id: number;
  areaId: number;
  year: number;
  vacation: VacationKind;
  startsOn: string;
  endsOn: string;
}

export interface ListedCalendar extends SchoolCalendarRow {
  area: { code: string; name: string; level: string; path: string };
}

/** Sets (creates or replaces) the vacation dates of an area for a year. Throws UnknownAreaError. */
export async function setSchoolCalendar(
  db: Db,
  input: { areaCode: string; year: number; vacation: VacationKind; startsOn: string; endsOn: string; actor: string; now: Date },
): Promise<{ calendar: ListedCalendar; created: boolean }> {
  validateVacationDates(input.year, input.vacation, input);
  const area = await db.area.findUnique({ where: { code: input.areaCode }, select: { id: true, code: true, name: true, level: true, path: true } });
  if (!area) throw new UnknownAreaError(`No area has code ${input.areaCode}.`);
  return db.$transaction(async (tx) => {
    const key = { areaId_year_vacation: { areaId: area.id, year: input.year, vacation: input.vacation } };
    const before = await tx.schoolCalendar.findUnique({ where: key, select: { id: true } });
    const dates = { startsOn: input.startsOn, endsOn: input.endsOn };
    const calendar = await tx.schoolCalendar.upsert({
      where: key,
      create: { areaId: area.id, year: input.year, vacation: input.vacation, ...dates },
      update: dates,
    });
    await tx.auditLog.create({
      data: {
        at: input.now,
        actor: input.actor,
        action: 'calendar.set',
        subjectType: 'SchoolCalendar',
        subjectId: String(calendar.id),
        detail: { area: area.code, year: input.year, vacation: input.vacation, ...dates },
      },
    });
    return { calendar: { ...calendar, area }, created: !before };
  });
}

/**
 * Calendars, by area path then year and vacation. With an area: those set for it, for the areas
 * above it (which apply to it unless it has its own) and for the areas within it.
 */
export async function listSchoolCalendars(db: Db, areaCode?: string): Promise<ListedCalendar[]> {
  let where = {};
  if (areaCode !== undefined) {
    const area = await db.area.findUnique({ where: { code: areaCode }, select: { path: true } });
    if (!area) throw new UnknownAreaError(`No area has code ${areaCode}.`);
    where = { area: { OR: [{ code: { in: areaCodesNearestFirst(area.path) } }, { path: { startsWith: area.path } }] } };
  }
  const rows = await db.schoolCalendar.findMany({
    where,
    include: { area: { select: { code: true, name: true, level: true, path: true } } },
    orderBy: [{ year: 'asc' }, { vacation: 'asc' }, { id: 'asc' }],
  });
  return rows.sort((a, b) => a.area.path.localeCompare(b.area.path) || a.year - b.year || a.vacation.localeCompare(b.vacation));
}

/** The calendar in effect for a place: one set for an area on its path, or the defaults (not stored yet). */
export type ResolvedCalendar =
  | { kind: 'set'; calendar: SchoolCalendarRow }
  | { kind: 'default'; rootAreaId: number; year: number; vacation: VacationKind; dates: VacationDates };

export function datesOf(resolved: ResolvedCalendar): VacationDates {
  return resolved.kind === 'set' ? resolved.calendar : resolved.dates;
}

/**
 * Resolves calendars for many villages, reading each village's chain of areas and their calendars
 * once per run (a job visits thousands of children in a few hundred villages).
 */
export class CalendarResolver {
  private readonly chains = new Map<number, { chain: number[]; calendars: SchoolCalendarRow[] }>();

  constructor(
    private readonly db: Db | Tx,
    private readonly years: readonly number[],
  ) {}

  /**
   * Reads the chains of areas (nearest first) and their calendars for the villages not read yet:
   * three statements for any number of villages, where one village at a time took three each.
   */
  async prepare(areaIds: Iterable<number>): Promise<void> {
    const unread = [...new Set(areaIds)].filter((id) => !this.chains.has(id));
    if (unread.length === 0) return;
    const areas = await this.db.area.findMany({ where: { id: { in: unread } }, select: { id: true, path: true } });
    const codesOf = new Map(areas.map((area) => [area.id, areaCodesNearestFirst(area.path)]));
    const codes = [...new Set([...codesOf.values()].flat())];
    const onPaths = codes.length ? await this.db.area.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } }) : [];
    const idByCode = new Map(onPaths.map((area) => [area.code, area.id]));
    const calendars = onPaths.length
      ? ((await this.db.schoolCalendar.findMany({ where: { areaId: { in: onPaths.map((area) => area.id) }, year: { in: [...this.years] } } })) as SchoolCalendarRow[])
      : [];
    for (const id of unread) {
      const chain = (codesOf.get(id) ?? []).map((code) => idByCode.get(code)).filter((areaId): areaId is number => areaId !== undefined);
      this.chains.set(id, { chain, calendars: calendars.filter((calendar) => chain.includes(calendar.areaId)) });
    }
  }

  async resolve(areaId: number, year: number, vacation: VacationKind): Promise<ResolvedCalendar | null> {
    await this.prepare([areaId]);
    const entry = this.chains.get(areaId)!;
    if (entry.chain.length === 0) return null;
    const set = applicableCalendar(entry.chain, entry.calendars, year, vacation);
    if (set) return { kind: 'set', calendar: set };
    return { kind: 'default', rootAreaId: entry.chain[entry.chain.length - 1]!, year, vacation, dates: defaultVacationDates(year, vacation) };
  }

  /**
   * The stored calendar row a plan points to. Defaults are stored on the top area of the path (the
   * city): that is what "no area set its own dates" means, and any area below that sets its own
   * later still overrides them. The stored row is remembered for the other villages under it.
   */
  async materialize(tx: Tx, resolved: ResolvedCalendar): Promise<SchoolCalendarRow> {
    if (resolved.kind === 'set') return resolved.calendar;
    const { rootAreaId, year, vacation, dates } = resolved;
    const row = (await tx.schoolCalendar.upsert({
      where: { areaId_year_vacation: { areaId: rootAreaId, year, vacation } },
      create: { areaId: rootAreaId, year, vacation, ...dates },
      update: {},
    })) as SchoolCalendarRow;
    for (const entry of this.chains.values()) {
      if (entry.chain.includes(rootAreaId) && !entry.calendars.some((c) => c.id === row.id)) entry.calendars.push(row);
    }
    return row;
  }
}

export interface HolidayPlanView {
  id: number;
  child: { id: number; name: string; areaId: number; birthDate: string };
  parent: { id: number; name: string };
  calendar: SchoolCalendarRow;
  answer: HolidayAnswer | null;
  date: string | null;
  askedAt: Date;
}

const PLAN_INCLUDE = {
  child: { select: { id: true, name: true, areaId: true, birthDate: true } },
  parent: { select: { id: true, name: true } },
  calendar: { select: { id: true, areaId: true, year: true, vacation: true, startsOn: true, endsOn: true } },
} as const;

/** Latest plan per key, from plans ordered newest asked first. */
function latestBy<T extends { askedAt: Date; id: number }>(plans: T[], key: (plan: T) => string): T[] {
  const latest = new Map<string, T>();
  for (const plan of [...plans].sort((a, b) => b.askedAt.getTime() - a.askedAt.getTime() || b.id - a.id)) {
    if (!latest.has(key(plan))) latest.set(key(plan), plan);
  }
  return [...latest.values()];
}

/**
 * A parent's open holiday plans: per child, the latest asked plan of a vacation not over yet
 * (answered or not, so an answer can be changed), eldest child first.
 */
export async function openPlansOfParent(tx: Tx, parentId: number, today: string): Promise<HolidayPlanView[]> {
  const plans = (await tx.holidayPlan.findMany({ where: { parentId, calendar: { endsOn: { gte: today } } }, include: PLAN_INCLUDE })) as HolidayPlanView[];
  return latestBy(plans, (plan) => String(plan.child.id)).sort((a, b) => eldestFirst(a.child, b.child));
}

/**
 * The first day of the vacation a parent was asked about (of openPlansOfParent's plans, the
 * earliest-starting), or undefined: a bare 28号 in their free text is a day of it. Read on every
 * free-text message of a parent, as one raw join; openPlansOfParent, the typed twin in
 * tests/integration/chatPathSql.test.ts, takes four statements even when there is no plan.
 */
export async function vacationAskedAbout(tx: Tx, parentId: number, today: string): Promise<string | undefined> {
  const rows = await tx.$queryRaw<Array<{ id: number | bigint; childId: number | bigint; askedAt: Date; startsOn: string }>>`
    SELECT p."id", p."childId", p."askedAt", c."startsOn" FROM "HolidayPlan" p JOIN "SchoolCalendar" c ON c."id" = p."calendarId"
    WHERE p."parentId" = ${parentId} AND c."endsOn" >= ${today}`;
  const plans = rows.map((row) => ({ id: Number(row.id), childId: Number(row.childId), askedAt: new Date(row.askedAt), startsOn: row.startsOn }));
  return latestBy(plans, (plan) => String(plan.childId))
    .map((plan) => plan.startsOn)
    .sort()[0];
}

/**
 * The plans of a village's children for its next vacation not over yet (the earliest-starting one
 * anyone was asked about), per (child, parent), by child then parent.
 */
export async function villagePlansForNextVacation(tx: Tx, villageId: number, today: string): Promise<HolidayPlanView[]> {
  const plans = (await tx.holidayPlan.findMany({
    where: { child: { areaId: villageId }, calendar: { endsOn: { gte: today } } },
    include: PLAN_INCLUDE,
  })) as HolidayPlanView[];
  if (plans.length === 0) return [];
  const next = plans.reduce((a, b) => (b.calendar.startsOn < a.calendar.startsOn ? b : a)).calendar;
  const ofNext = plans.filter((plan) => plan.calendar.year === next.year && plan.calendar.vacation === next.vacation);
  return latestBy(ofNext, (plan) => `${plan.child.id}:${plan.parent.id}`).sort(
    (a, b) => eldestFirst(a.child, b.child) || a.parent.id - b.parent.id,
  );
}

/** Plans per INSERT, as queuePromptsOnce's prompts: one JSON text a statement. */
const PLANS_PER_INSERT = 1000;

const PLAN_ROWS: Record<Engine, (json: string) => Prisma.Sql> = {
  sqlite: (json) => Prisma.sql`SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2 FROM json_each(${json}) r`,
  postgresql: (json) => Prisma.sql`SELECT (r ->> 0)::integer, (r ->> 1)::integer, (r ->> 2)::integer FROM jsonb_array_elements(${json}::jsonb) r`,
};

/**
 * Records that each parent was asked about a child's vacation (HolidayPlan with askedAt), a
 * thousand a statement; a plan that exists already is left as it is, answer and all.
 */
export async function recordHolidayQuestions(tx: Tx, engine: Engine, plans: Array<{ parentId: number; childId: number; calendarId: number }>, askedAt: Date): Promise<void> {
  for (let start = 0; start < plans.length; start += PLANS_PER_INSERT) {
    const json = JSON.stringify(plans.slice(start, start + PLANS_PER_INSERT).map((plan) => [plan.parentId, plan.childId, plan.calendarId]));
    // The WHERE keeps SQLite from reading the ON CONFLICT as part of the SELECT.
    await tx.$executeRaw`INSERT INTO "HolidayPlan" ("parentId", "childId", "calendarId", "askedAt")
      SELECT "plan".*, ${askedAt} FROM (${PLAN_ROWS[engine](json)}) AS "plan" WHERE true
      ON CONFLICT ("parentId", "childId", "calendarId") DO NOTHING`;
  }
}

/** A parent's holiday answer as the undo of a free-text answer keeps it. */
export interface HolidayAnswerRecord {
  id: number;
  answer: HolidayAnswer | null;
  date: string | null;
  answeredAt: Date | null;
  child: { name: string };
}

const HOLIDAY_ANSWER = { id: true, answer: true, date: true, answeredAt: true, child: { select: { name: true } } } as const;

/** Every holiday plan of a parent with its answer so far. */
export function holidayAnswersOfParent(tx: Tx, parentId: number): Promise<HolidayAnswerRecord[]> {
  return tx.holidayPlan.findMany({ where: { parentId }, select: HOLIDAY_ANSWER });
}

/** The parent's plan answered at `at` (this message's time), or null. */
export function holidayAnsweredAt(tx: Tx, parentId: number, at: Date): Promise<HolidayAnswerRecord | null> {
  return tx.holidayPlan.findFirst({ where: { parentId, answeredAt: at }, select: HOLIDAY_ANSWER });
}

/** Sets (or, for an undo, restores) a parent's answer on a plan of theirs; the child's name and village for whom to tell. */
export async function setHolidayAnswer(
  tx: Tx,
  plan: { id: number; parentId: number },
  answer: { answer: HolidayAnswer | null; date: string | null; answeredAt: Date | null },
): Promise<{ childName: string; villageId: number }> {
  const row = await tx.holidayPlan.update({ where: plan, data: answer, select: { child: { select: { name: true, areaId: true } } } });
  return { childName: row.child.name, villageId: row.child.areaId };
}

/** A holiday question the prompt means to ask: whom, about which child's vacation, under which outbox key. */
export interface HolidayQuestion {
  parentId: number;
  childId: number;
  year: number;
  vacation: VacationKind;
  dedupeKey: string;
}

/** Questions per statement: one JSON text, some hundred kilobytes. */
const QUESTIONS_PER_STATEMENT = 5000;

const QUESTION_ROWS: Record<Engine, (json: string) => Prisma.Sql> = {
  sqlite: (json) =>
    Prisma.sql`SELECT q.value ->> 0 AS "parentId", q.value ->> 1 AS "childId", q.value ->> 2 AS "year", q.value ->> 3 AS "vacation", q.value ->> 4 AS "dedupeKey" FROM json_each(${json}) q`,
  postgresql: (json) =>
    Prisma.sql`SELECT (q ->> 0)::integer AS "parentId", (q ->> 1)::integer AS "childId", (q ->> 2)::integer AS "year", (q ->> 3)::"Vacation" AS "vacation", q ->> 4 AS "dedupeKey" FROM jsonb_array_elements(${json}::jsonb) q`,
};

/**
 * The dedupe keys of the questions asked before: a plan for the same parent, child, year and
 * vacation (on whatever calendar it was asked), or the key used in the outbox (a plan deleted, a
 * run stopped between its writes). One statement for five thousand questions; its typed twin (the
 * outbox's keys and the parents' plans read apart) is in tests/integration/awayParentReaders.test.ts.
 */
export async function holidayQuestionsAskedBefore(db: Db | Tx, engine: Engine, questions: HolidayQuestion[]): Promise<Set<string>> {
  const asked = new Set<string>();
  for (let start = 0; start < questions.length; start += QUESTIONS_PER_STATEMENT) {
    const json = JSON.stringify(questions.slice(start, start + QUESTIONS_PER_STATEMENT).map((q) => [q.parentId, q.childId, q.year, q.vacation, q.dedupeKey]));
    const rows = await db.$queryRaw<Array<{ dedupeKey: string }>>`
      WITH "question" AS (${QUESTION_ROWS[engine](json)})
      SELECT q."dedupeKey" FROM "question" q
      WHERE EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."dedupeKey" = q."dedupeKey")
        OR EXISTS (
          SELECT 1 FROM "HolidayPlan" hp JOIN "SchoolCalendar" sc ON sc."id" = hp."calendarId"
          WHERE hp."parentId" = q."parentId" AND hp."childId" = q."childId" AND sc."year" = q."year" AND sc."vacation" = q."vacation"
        )`;
    for (const row of rows) asked.add(row.dedupeKey);
  }
  return asked;
}
