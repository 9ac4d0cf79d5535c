import { DateTime } from 'luxon';
import { runCli } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson } from '../support/village';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 3 }));

const KEY = 'f'.repeat(64);

describeEachEngine('npm run cli -- jobs', (engine) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: KEY };
    // An away parent of 张小明 with a bound WeChat, who has logged no contact this week.
    const village = await createVillage(database.db, new Date('2026-03-02T02:00:00.000Z'));
    const parent = await invitePerson(database.db, { name: '张大伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent' });
    await database.db.chatIdentity.create({ data: { personId: parent.personId, channel: 'wechaty', botAccount: 'village-a', externalId: 'wx-zhang' } });
  });
  afterAll(() => database.drop());

  it('jobs list shows every job with its schedule, its last run (never, at first) and its next run in Shanghai time', async () => {
    // As of a Wednesday, so the test does not depend on the day it runs.
    const result = await runCli(['jobs', 'list', '--at', '2026-03-04T10:00'], { ...env, SHOUWANG_SCHEDULE_CONTACT_LAST_CALL: '30 20 * * 0' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const reminder = lines.findIndex((line) => line.startsWith('contact-reminder  0 19 * * 5  '));
    expect(reminder).toBeGreaterThanOrEqual(0);
    expect(lines[reminder + 1]).toBe('  last run: never');
    const next = /^ {2}next run: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) \(Asia\/Shanghai\)$/.exec(lines[reminder + 2] ?? '');
    expect(next).not.toBeNull();
    const nextRun = DateTime.fromFormat(next![1]!, 'yyyy-MM-dd HH:mm', { zone: 'Asia/Shanghai' });
    expect(nextRun.toFormat('cccc HH:mm')).toBe('Friday 19:00');
    expect(next![1]).toBe('2026-03-06 19:00');
    // A schedule set in the environment is the one shown.
    expect(lines.some((line) => line.startsWith('contact-last-call  30 20 * * 0  '))).toBe(true);
  });

  it('jobs run runs an occurrence once; the second time it says it already ran and queues nothing', async () => {
    const first = await runCli(['jobs', 'run', 'contact-reminder', '--at', '2026-03-06T19:00'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Ran contact-reminder for 2026-03-06 19:00: .*prompted 1\b.*\.\n$/);
    const queued = await database.db.outboxMessage.findMany({ select: { address: true } });
    expect(queued.filter((row) => row.address === 'wx-zhang')).toHaveLength(1);

    // The same occurrence written in UTC is the same occurrence.
    const again = await runCli(['jobs', 'run', 'contact-reminder', '--at', '2026-03-06T11:00:00Z'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^contact-reminder already ran for 2026-03-06 19:00 \(finished at \d{4}-\d{2}-\d{2} \d{2}:\d{2}\); nothing was done\.\n$/);
    expect(await database.db.outboxMessage.count()).toBe(queued.length);

    const list = await runCli(['jobs', 'list'], env);
    expect(list.stdout).toMatch(/\n {2}last run: 2026-03-06 19:00 done: .*prompted 1\b/);
  });

  it('an unknown job or a time that is not ISO 8601 is one line on stderr and exit code 2', async () => {
    const unknown = await runCli(['jobs', 'run', 'contact-remind', '--at', '2026-03-06T19:00'], env);
    expect(unknown.stderr).toMatch(/^Unknown job: contact-remind \(jobs: contact-reminder, .*\)\.\n$/);
    expect(unknown.code).toBe(2);
    const badTime = await runCli(['jobs', 'run', 'contact-reminder', '--at', 'friday 7pm'], env);
    expect(badTime.stderr).toBe('Option --at: friday 7pm is not an ISO 8601 time, e.g. 2026-03-06T19:00 or 2026-03-06T11:00Z.\n');
    expect(badTime.code).toBe(2);
  });
});
