import type { Job } from '../../../src/jobs/job';
import type { RunOutcome } from '../../../src/jobs/runJob';
import { Scheduler } from '../../../src/jobs/scheduler';
import { createLogger } from '../../../src/log';
import type { Db } from '../../../src/store/db/database';

const reminder: Job = { name: 'contact-reminder', defaultSchedule: '0 19 * * 5', description: 'test', run: async () => ({}) };
const weekClose: Job = { name: 'contact-week-close', defaultSchedule: '0 9 * * 1', description: 'test', run: async () => ({}) };

/** node-cron's timers and clock are jest's fake ones here: the test moves time, nothing sleeps. */
describe('scheduler', () => {
  const fired: Array<[string, string]> = [];
  let scheduler: Scheduler;

  function create(schedules: Record<string, string> = {}): Scheduler {
    return new Scheduler({
      db: {} as Db,
      engine: 'sqlite',
      timeZone: 'Asia/Shanghai',
      logger: createLogger('silent'),
      jobs: [reminder, weekClose],
      schedules,
      instanceId: 'test',
      run: async (job, occurrence): Promise<RunOutcome> => {
        fired.push([job.name, occurrence.toISOString()]);
        return { ran: true, status: 'done', occurrence: occurrence.toISOString(), summary: {}, tookOver: false };
      },
    });
  }

  beforeEach(() => {
    fired.length = 0;
    // Friday 6 March 2026, 18:59:30 in Shanghai.
    jest.useFakeTimers({ now: new Date('2026-03-06T10:59:30.000Z') });
  });
  afterEach(async () => {
    await scheduler?.stop();
    jest.useRealTimers();
  });

  it('fires each job at its scheduled minute in Shanghai, with that minute as the occurrence', async () => {
    scheduler = create();
    scheduler.start();
    await jest.advanceTimersByTimeAsync(29_000);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([['contact-reminder', '2026-03-06T11:00:00.000Z']]);
    // On to Monday 09:00 Shanghai (Monday 01:00 UTC).
    await jest.advanceTimersByTimeAsync(new Date('2026-03-09T01:00:00.000Z').getTime() - Date.now());
    expect(fired).toEqual([
      ['contact-reminder', '2026-03-06T11:00:00.000Z'],
      ['contact-week-close', '2026-03-09T01:00:00.000Z'],
    ]);
  });

  it('uses the configured schedule over the default, for firing and for the next run', async () => {
    scheduler = create({ 'contact-reminder': '0 20 * * 5' });
    expect(scheduler.nextRun(reminder, new Date())).toEqual(new Date('2026-03-06T12:00:00.000Z'));
    expect(scheduler.nextRun(weekClose, new Date())).toEqual(new Date('2026-03-09T01:00:00.000Z'));
    scheduler.start();
    await jest.advanceTimersByTimeAsync(31_000);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(fired).toEqual([['contact-reminder', '2026-03-06T12:00:00.000Z']]);
  });

  it('stop() leaves no timer behind, and a stopped scheduler fires nothing', async () => {
    scheduler = create();
    scheduler.start();
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    await scheduler.stop();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(7 * 86_400_000);
    expect(fired).toEqual([]);
  });
});
