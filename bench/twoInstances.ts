import { contactLastCallJob } from '../src/jobs/contactLastCall';
import type { Logger } from '../src/log';
import type { Database } from '../src/store/db/database';
import { elapsedMs, round } from './measure';

export interface TwoInstancesFigures {
  wallMs: number;
  rowsWritten: number;
  expectedRows: number;
  /** Dedupe keys or people with more than one prompt: any is a failure. */
  duplicateKeys: number;
  peopleWithSeveralPrompts: number;
  /** Errors the instances' runs threw (e.g. a unique-key race the job did not absorb). */
  errors: string[];
  ok: boolean;
}

/**
 * Two service instances (two clients on one PostgreSQL database) run the same occurrence of the
 * Sunday last call at once, bypassing the job-run claim that normally lets only one of them in: the
 * dedupe keys alone must keep every parent to exactly one prompt.
 */
export async function measureTwoInstances(
  instances: [Database, Database],
  options: { now: Date; timeZone: string; logger: Logger; expectedRows: number },
): Promise<TwoInstancesFigures> {
  const startedAt = process.hrtime.bigint();
  const outcomes = await Promise.allSettled(
    instances.map((instance) =>
      contactLastCallJob.run({ db: instance.db, engine: instance.engine, now: options.now, timeZone: options.timeZone, logger: options.logger }),
    ),
  );
  const wallMs = elapsedMs(startedAt);
  const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String((outcome.reason as Error).message ?? outcome.reason).slice(0, 300)] : []));
  const db = instances[0].db;
  const prefix = `${contactLastCallJob.name}:`;
  const rowsWritten = await db.outboxMessage.count({ where: { dedupeKey: { startsWith: prefix } } });
  const byKey = await db.outboxMessage.groupBy({ by: ['dedupeKey'], where: { dedupeKey: { startsWith: prefix } }, _count: { _all: true } });
  const byPerson = await db.outboxMessage.groupBy({ by: ['personId'], where: { dedupeKey: { startsWith: prefix }, isRoom: false }, _count: { _all: true } });
  const duplicateKeys = byKey.filter((group) => group._count._all > 1).length;
  const peopleWithSeveralPrompts = byPerson.filter((group) => group._count._all > 1).length;
  return {
    wallMs: round(wallMs),
    rowsWritten,
    expectedRows: options.expectedRows,
    duplicateKeys,
    peopleWithSeveralPrompts,
    errors,
    ok: errors.length === 0 && duplicateKeys === 0 && peopleWithSeveralPrompts === 0 && rowsWritten === options.expectedRows,
  };
}
