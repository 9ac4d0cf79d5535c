import type { Job, JobContext } from '../../src/jobs/job';
import { runJobOccurrence, type RunJobDeps } from '../../src/jobs/runJob';
import { createLogger } from '../../src/log';
import { openDatabase, type Database, type Db } from '../../src/store/db/database';
import { claimJobRun } from '../../src/store/ops/jobRuns';
import { queueToPerson } from '../../src/store/messaging/outbox';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

/** Friday 6 March 2026, 19:00 in Shanghai: the weekly reminder's occurrence. */
const FRIDAY_1900 = new Date('2026-03-06T11:00:00.000Z');
const MINUTE = 60_000;

/**
 * A small job shaped like the real reminders: one prompt per bound parent, keyed by (person,
 * job, period), queued one transaction per person. `crashAfter` makes it stop as a dying process would.
 */
function promptJob(options: { crashAfter?: number } = {}): Job & { calls: number } {
  const job = {
    name: 'test-prompt',
    defaultSchedule: '0 19 * * 5',
    description: 'prompts every parent once per occurrence',
    calls: 0,
    async run(context: JobContext) {
      job.calls += 1;
      const parents = await context.db.person.findMany({ where: { role: 'parent' }, orderBy: { id: 'asc' }, select: { id: true, name: true } });
      let prompted = 0;
      for (const parent of parents) {
        if (options.crashAfter !== undefined && prompted === options.crashAfter) throw new Error('process killed');
        const queued = await context.db.$transaction((tx) =>
          queueToPerson(tx, parent.id, `${parent.name}，本周还没有和孩子联系`, { now: context.now, dedupeKey: `test-prompt:${parent.id}:${context.now.toISOString()}` }),
        );
        if (queued) prompted += 1;
        // Yield, as a job with real work would, so racing instances interleave.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { prompted };
    },
  };
  return job;
}

describeEachEngine('job runs: once per occurrence across instances', (engine) => {
  let database: TestDatabase;
  /** The run of one occurrence, as stored. */
  const runOf = (job: string, occurrence: string) => database.db.jobRun.findUnique({ where: { job_occurrence: { job, occurrence } } });
  let now: Date;

  beforeEach(async () => {
    database = await createTestDatabase(engine);
    now = new Date(FRIDAY_1900.getTime() + 2_000);
    const village = await createVillage(database.db, now);
    for (const [index, name] of ['王芳', '刘强', '陈静', '赵磊'].entries()) {
      const parent = await database.db.person.create({ data: { name, role: 'parent', areaId: village.villageId } });
      await database.db.chatIdentity.create({ data: { personId: parent.id, channel: 'wechaty', botAccount: 'village-a', externalId: `wx-parent-${index}` } });
    }
  });
  afterEach(() => database.drop());

  const deps = (db: Db = database.db): RunJobDeps => ({ db, engine, timeZone: 'Asia/Shanghai', logger: createLogger('silent'), clock: () => now, staleMs: 30 * MINUTE });
  const promptsPerAddress = async () => {
    const rows = await database.db.outboxMessage.findMany({ select: { address: true } });
    const counts: Record<string, number> = {};
    for (const row of rows) counts[row.address] = (counts[row.address] ?? 0) + 1;
    return counts;
  };
  const EACH_PARENT_ONCE = { 'wx-parent-0': 1, 'wx-parent-1': 1, 'wx-parent-2': 1, 'wx-parent-3': 1 };

  it('runs a job once for its occurrence, records the summary, and a second run of it does nothing and says so', async () => {
    const job = promptJob();
    expect(await runJobOccurrence(deps(), job, FRIDAY_1900, { instanceId: 'a' })).toEqual({
      ran: true,
      status: 'done',
      occurrence: '2026-03-06T11:00:00.000Z',
      summary: { prompted: 4 },
      tookOver: false,
    });
    expect(await runOf('test-prompt', '2026-03-06T11:00:00.000Z')).toMatchObject({ status: 'done', instance: 'a', finishedAt: now, detail: { prompted: 4 } });

    now = new Date(now.getTime() + 5 * MINUTE);
    // A fire a few seconds late is still the same occurrence: the key is the scheduled minute.
    expect(await runJobOccurrence(deps(), job, new Date(FRIDAY_1900.getTime() + 4_000), { instanceId: 'b' })).toEqual({
      ran: false,
      reason: 'already_done',
      occurrence: '2026-03-06T11:00:00.000Z',
      finishedAt: new Date(FRIDAY_1900.getTime() + 2_000),
      summary: { prompted: 4 },
    });
    expect(job.calls).toBe(1);
    expect(await promptsPerAddress()).toEqual(EACH_PARENT_ONCE);
    expect(await database.db.jobRun.count()).toBe(1);

    // The next week is a new occurrence and runs.
    const nextWeek = await runJobOccurrence(deps(), job, new Date(FRIDAY_1900.getTime() + 7 * 86_400_000), { instanceId: 'b' });
    expect(nextWeek).toMatchObject({ ran: true, status: 'done', summary: { prompted: 4 } });
    expect(job.calls).toBe(2);
  });

  it('a crashed run is left alone while it may still be running, then taken over, with no duplicate prompts', async () => {
    // Instance "crashed" claims the occurrence, prompts two parents and dies: its row stays 'running'.
    const claim = await claimJobRun(database.db, { job: 'test-prompt', occurrence: FRIDAY_1900.toISOString(), instance: 'crashed', now, staleMs: 30 * MINUTE });
    expect(claim.claimed).toBe(true);
    await expect(promptJob({ crashAfter: 2 }).run({ db: database.db, engine, now: FRIDAY_1900, timeZone: 'Asia/Shanghai', logger: createLogger('silent') })).rejects.toThrow('process killed');
    expect(await promptsPerAddress()).toEqual({ 'wx-parent-0': 1, 'wx-parent-1': 1 });

    const job = promptJob();
    now = new Date(now.getTime() + 29 * MINUTE);
    expect(await runJobOccurrence(deps(), job, FRIDAY_1900, { instanceId: 'survivor' })).toMatchObject({ ran: false, reason: 'running_elsewhere', instance: 'crashed' });
    expect(job.calls).toBe(0);

    now = new Date(now.getTime() + 1 * MINUTE);
    expect(await runJobOccurrence(deps(), job, FRIDAY_1900, { instanceId: 'survivor' })).toMatchObject({ ran: true, status: 'done', tookOver: true, summary: { prompted: 4 } });
    expect(await promptsPerAddress()).toEqual(EACH_PARENT_ONCE);
    expect(await runOf('test-prompt', FRIDAY_1900.toISOString())).toMatchObject({ status: 'done', instance: 'survivor' });
  });

  it('a failed run records its error and the next run of the occurrence finishes it, without duplicates', async () => {
    expect(await runJobOccurrence(deps(), promptJob({ crashAfter: 3 }), FRIDAY_1900, { instanceId: 'a' })).toMatchObject({ ran: true, status: 'failed', error: 'process killed' });
    expect(await runOf('test-prompt', FRIDAY_1900.toISOString())).toMatchObject({ status: 'failed', detail: { error: 'process killed' }, finishedAt: now });

    expect(await runJobOccurrence(deps(), promptJob(), FRIDAY_1900, { instanceId: 'a' })).toMatchObject({ ran: true, status: 'done', tookOver: true });
    expect(await promptsPerAddress()).toEqual(EACH_PARENT_ONCE);
  });

  // Several instances share PostgreSQL; SQLite is the one-instance engine, where two writing
  // connections would only measure SQLite's file locking.
  if (engine === 'postgresql') {
    it('two instances on separate connections running the same occurrences at once: one run each, each prompt exactly once', async () => {
      const connections: Database[] = [await openDatabase(database.target), await openDatabase(database.target)];
      const jobs = [promptJob(), promptJob()];
      const occurrences = Array.from({ length: 6 }, (_, week) => new Date(FRIDAY_1900.getTime() + week * 7 * 86_400_000));
      try {
        const outcomes = await Promise.all(
          occurrences.flatMap((occurrence) => connections.map((connection, index) => runJobOccurrence(deps(connection.db), jobs[index]!, occurrence, { instanceId: `instance-${index}` }))),
        );
        for (const occurrence of occurrences) {
          const mine = outcomes.filter((outcome) => outcome.occurrence === occurrence.toISOString());
          expect(mine.filter((outcome) => outcome.ran)).toEqual([expect.objectContaining({ status: 'done', summary: { prompted: 4 } })]);
          expect(mine.filter((outcome) => !outcome.ran)).toHaveLength(1);
        }
      } finally {
        await Promise.all(connections.map((connection) => connection.close()));
      }
      expect(jobs[0]!.calls + jobs[1]!.calls).toBe(occurrences.length);
      expect(await database.db.jobRun.count({ where: { status: 'done' } })).toBe(occurrences.length);
      const perKey = await database.db.outboxMessage.groupBy({ by: ['address'], _count: { _all: true } });
      expect(perKey.map((group) => [group.address, group._count._all])).toEqual(
        expect.arrayContaining(['wx-parent-0', 'wx-parent-1', 'wx-parent-2', 'wx-parent-3'].map((address) => [address, occurrences.length])),
      );
      expect(await database.db.outboxMessage.count()).toBe(4 * occurrences.length);
    }, 60_000);
  }

  it('two instances taking over the same crashed run at once: only one of them runs it', async () => {
    await database.db.jobRun.create({ data: { job: 'test-prompt', occurrence: FRIDAY_1900.toISOString(), instance: 'crashed', startedAt: new Date(now.getTime() - 31 * MINUTE) } });
    const connections: Database[] = [await openDatabase(database.target), await openDatabase(database.target)];
    const jobs = [promptJob(), promptJob()];
    try {
      const outcomes = await Promise.all(connections.map((connection, index) => runJobOccurrence(deps(connection.db), jobs[index]!, FRIDAY_1900, { instanceId: `instance-${index}` })));
      expect(outcomes.filter((outcome) => outcome.ran)).toEqual([expect.objectContaining({ status: 'done', tookOver: true })]);
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
    expect(jobs[0]!.calls + jobs[1]!.calls).toBe(1);
    expect(await promptsPerAddress()).toEqual(EACH_PARENT_ONCE);
  });
});
