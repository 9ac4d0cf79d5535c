import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { DatabaseTarget } from '../src/config';
import { defaultVacationDates, HOLIDAY_PROMPT_LEAD_DAYS } from '../src/domain/schoolCalendar';
import { HOLIDAY_PROMPT_JOB, promptHolidayPlans } from '../src/jobs/holidayPrompt';
import type { Logger } from '../src/log';
import type { Db } from '../src/store/db/database';
import type { Engine } from '../src/store/db/providers';
import { elapsedMs, round } from './measure';
import { BENCH_BOT_ACCOUNT, BENCH_CHANNEL } from './seed';

export interface HolidayFigures {
  /** Questions asked: one per away parent with a chat and child. */
  asked: number;
  wallMs: number;
  cpuMs: number;
  /** As many outbox rows (each one of the job's prompts as stored) and HolidayPlan rows inserted with the raw driver in one transaction: the median of three runs. */
  floorMs: number;
  ratioToFloor: number;
}

const FLOOR_KEY = 'bench-holiday-floor:';
const PG_ROWS_PER_STATEMENT = 1000;

/** A holiday prompt's columns as the job stored them. */
interface StoredPrompt {
  personId: number | null;
  text: string;
  messageKey: string | null;
  params: unknown;
}

/**
 * The holiday question for the whole city: the job run on the morning it is first due (14 days
 * before next winter's default vacation), then the raw-driver floor for the rows it wrote.
 */
export async function measureHoliday(db: Db, target: DatabaseTarget, options: { engine: Engine; timeZone: string; logger: Logger }): Promise<HolidayFigures> {
  const year = new Date().getUTCFullYear() + 1;
  const startsOn = new Date(`${defaultVacationDates(year, 'winter').startsOn}T10:00:00+08:00`);
  const now = new Date(startsOn.getTime() - HOLIDAY_PROMPT_LEAD_DAYS * 86_400_000);
  const cpuBefore = process.cpuUsage();
  const startedAt = process.hrtime.bigint();
  const summary = await promptHolidayPlans({ db, engine: options.engine, now, timeZone: options.timeZone, logger: options.logger });
  const wallMs = elapsedMs(startedAt);
  const cpu = process.cpuUsage(cpuBefore);
  const pairs = await db.holidayPlan.findMany({ select: { parentId: true, childId: true } });
  const calendar = await db.schoolCalendar.create({ data: { areaId: 1, year: 2099, vacation: 'summer', startsOn: '2099-07-10', endsOn: '2099-08-31' } });
  const floors: number[] = [];
  for (let run = 0; run < 3; run += 1) floors.push(await measureFloor(target, pairs, calendar.id, now));
  await db.schoolCalendar.delete({ where: { id: calendar.id } });
  const floorMs = floors.sort((a, b) => a - b)[1]!;
  return { asked: summary.asked ?? 0, wallMs: round(wallMs), cpuMs: round((cpu.user + cpu.system) / 1000), floorMs: round(floorMs), ratioToFloor: round(wallMs / Math.max(floorMs, 0.001)) };
}

/**
 * `pairs.length` outbox rows and plans, as the job writes them, through the raw driver in one
 * transaction; deleted afterwards. Each outbox row carries one of the job's own prompts as stored
 * (its sealed text, key and sealed fields), so the floor writes rows of the job's size.
 */
async function measureFloor(target: DatabaseTarget, pairs: Array<{ parentId: number; childId: number }>, calendarId: number, now: Date): Promise<number> {
  const outboxColumns = '"channel", "botAccount", "address", "isRoom", "personId", "text", "messageKey", "params", "urgent", "dedupeKey", "nextAttemptAt", "createdAt"';
  const planColumns = '"parentId", "childId", "calendarId", "askedAt"';
  const promptAsStored = `SELECT "personId", "text", "messageKey", "params" FROM "OutboxMessage" WHERE "dedupeKey" LIKE '${HOLIDAY_PROMPT_JOB}:%' LIMIT 1`;
  // Each driver's own values: SQLite takes 0 and ISO text, PostgreSQL false and a Date; params is JSON text.
  const outboxRows = (prompt: StoredPrompt, params: string, no: 0 | false, at: string | Date) => (index: number) => [
    BENCH_CHANNEL, BENCH_BOT_ACCOUNT, `bench-floor-${index}`, no, prompt.personId, prompt.text, prompt.messageKey, params, no, `${FLOOR_KEY}${index}`, at, at,
  ];
  if (target.engine === 'sqlite') {
    const sqlite = new Database(target.file, { timeout: 5000 });
    try {
      const at = now.toISOString();
      const prompt = sqlite.prepare(promptAsStored).get() as StoredPrompt;
      const outbox = outboxRows(prompt, prompt.params as string, 0, at);
      const insertOutbox = sqlite.prepare(`INSERT INTO "OutboxMessage" (${outboxColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const insertPlan = sqlite.prepare(`INSERT INTO "HolidayPlan" (${planColumns}) VALUES (?, ?, ?, ?)`);
      const startedAt = process.hrtime.bigint();
      sqlite.transaction(() => {
        pairs.forEach((pair, index) => {
          insertOutbox.run(outbox(index));
          insertPlan.run(pair.parentId, pair.childId, calendarId, at);
        });
      })();
      const took = elapsedMs(startedAt);
      sqlite.prepare(`DELETE FROM "OutboxMessage" WHERE "dedupeKey" LIKE '${FLOOR_KEY}%'`).run();
      sqlite.prepare(`DELETE FROM "HolidayPlan" WHERE "calendarId" = ?`).run(calendarId);
      return took;
    } finally {
      sqlite.close();
    }
  }
  const client = new Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<StoredPrompt>(promptAsStored);
    const prompt = rows[0]!;
    // jsonb comes back parsed: sent back as the JSON text it was.
    const outbox = outboxRows(prompt, JSON.stringify(prompt.params), false, now);
    const startedAt = process.hrtime.bigint();
    await client.query('BEGIN');
    for (let first = 0; first < pairs.length; first += PG_ROWS_PER_STATEMENT) {
      const last = Math.min(pairs.length, first + PG_ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      const tuples: string[] = [];
      const plans: unknown[] = [];
      const planTuples: string[] = [];
      for (let index = first; index < last; index += 1) {
        const base = values.length;
        values.push(...outbox(index));
        tuples.push(`(${outbox(index).map((_, column) => `$${base + column + 1}`).join(', ')})`);
        const planBase = plans.length;
        plans.push(pairs[index]!.parentId, pairs[index]!.childId, calendarId, now);
        planTuples.push(`($${planBase + 1}, $${planBase + 2}, $${planBase + 3}, $${planBase + 4})`);
      }
      await client.query(`INSERT INTO "OutboxMessage" (${outboxColumns}) VALUES ${tuples.join(', ')}`, values);
      await client.query(`INSERT INTO "HolidayPlan" (${planColumns}) VALUES ${planTuples.join(', ')}`, plans);
    }
    await client.query('COMMIT');
    const took = elapsedMs(startedAt);
    await client.query(`DELETE FROM "OutboxMessage" WHERE "dedupeKey" LIKE '${FLOOR_KEY}%'`);
    await client.query(`DELETE FROM "HolidayPlan" WHERE "calendarId" = $1`, [calendarId]);
    return took;
  } finally {
    await client.end();
  }
}
