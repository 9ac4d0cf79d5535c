import Database from 'better-sqlite3';
import { Client } from 'pg';
import { catalog } from '../src/texts/catalog';
import type { DatabaseTarget } from '../src/config';
import { contactReminderJob } from '../src/jobs/contactReminder';
import type { Logger } from '../src/log';
import type { Db } from '../src/store/db/database';
import { elapsedMs, round, withPeakRss } from './measure';
import { BENCH_BOT_ACCOUNT, BENCH_CHANNEL } from './seed';

export interface FanOutFigures {
  wallMs: number;
  rowsWritten: number;
  peakRssMb: number;
  /** The process before the job ran (the client, the seed's leftovers): what the job adds is the difference. */
  baselineRssMb: number;
  /** The same number of outbox rows inserted with the raw driver, no Prisma, no job logic: the median of three runs. */
  floorMs: number;
  ratioToFloor: number;
  summary: Record<string, number>;
}

/** The Friday contact reminder for every away parent without a contact logged this week, then the raw-driver floor. */
export async function measureFanOut(db: Db, target: DatabaseTarget, options: { now: Date; timeZone: string; logger: Logger }): Promise<FanOutFigures> {
  const before = await promptRows(db, contactReminderJob.name);
  const startedAt = process.hrtime.bigint();
  const { result: summary, peakRssMb, baselineRssMb } = await withPeakRss(() =>
    contactReminderJob.run({ db, engine: target.engine, now: options.now, timeZone: options.timeZone, logger: options.logger }),
  );
  const wallMs = elapsedMs(startedAt);
  const rowsWritten = (await promptRows(db, contactReminderJob.name)) - before;
  // The floor's own run-to-run spread here is some ±20%: the median of three keeps the ratio from riding on one run.
  const floors = [];
  for (let run = 0; run < 3; run += 1) floors.push(await measureFloor(target, rowsWritten, options.now));
  const floorMs = floors.sort((a, b) => a - b)[1]!;
  return { wallMs: round(wallMs), rowsWritten, peakRssMb, baselineRssMb, floorMs: round(floorMs), ratioToFloor: round(wallMs / Math.max(floorMs, 0.001)), summary };
}

export function promptRows(db: Db, job: string): Promise<number> {
  return db.outboxMessage.count({ where: { dedupeKey: { startsWith: `${job}:` } } });
}

const FLOOR_COLUMNS = ['channel', 'botAccount', 'address', 'isRoom', 'personId', 'text', 'urgent', 'dedupeKey', 'nextAttemptAt', 'createdAt'];
const FLOOR_KEY = 'bench-floor:';
const PG_ROWS_PER_STATEMENT = 1000;

/**
 * The storage engine's own floor: `rows` outbox rows like the job's, inserted in one transaction
 * through the raw driver (a prepared statement on better-sqlite3, multi-row INSERTs on pg). The rows
 * are deleted afterwards so later measures see the job's rows only.
 */
async function measureFloor(target: DatabaseTarget, rows: number, now: Date): Promise<number> {
  const text = catalog.contactReminder('王父1', ['王小明']);
  const row = (index: number) => [BENCH_CHANNEL, BENCH_BOT_ACCOUNT, `bench-floor-${index}`, false, null, text, false, `${FLOOR_KEY}${index}`, now, now];
  const columns = FLOOR_COLUMNS.map((column) => `"${column}"`).join(', ');
  if (target.engine === 'sqlite') {
    const sqlite = new Database(target.file, { timeout: 5000 });
    try {
      const insert = sqlite.prepare(`INSERT INTO "OutboxMessage" (${columns}) VALUES (${FLOOR_COLUMNS.map(() => '?').join(', ')})`);
      const at = now.toISOString();
      const startedAt = process.hrtime.bigint();
      sqlite.transaction(() => {
        for (let index = 0; index < rows; index += 1) {
          insert.run(row(index).map((value) => (typeof value === 'boolean' ? Number(value) : value instanceof Date ? at : value)));
        }
      })();
      const took = elapsedMs(startedAt);
      sqlite.prepare(`DELETE FROM "OutboxMessage" WHERE "dedupeKey" LIKE '${FLOOR_KEY}%'`).run();
      return took;
    } finally {
      sqlite.close();
    }
  }
  const client = new Client({ connectionString: target.url });
  await client.connect();
  try {
    const startedAt = process.hrtime.bigint();
    await client.query('BEGIN');
    for (let first = 0; first < rows; first += PG_ROWS_PER_STATEMENT) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let index = first; index < Math.min(rows, first + PG_ROWS_PER_STATEMENT); index += 1) {
        const base = values.length;
        values.push(...row(index));
        tuples.push(`(${FLOOR_COLUMNS.map((_, column) => `$${base + column + 1}`).join(', ')})`);
      }
      await client.query(`INSERT INTO "OutboxMessage" (${columns}) VALUES ${tuples.join(', ')}`, values);
    }
    await client.query('COMMIT');
    const took = elapsedMs(startedAt);
    await client.query(`DELETE FROM "OutboxMessage" WHERE "dedupeKey" LIKE '${FLOOR_KEY}%'`);
    return took;
  } finally {
    await client.end();
  }
}
