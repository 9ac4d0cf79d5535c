import { contactLastCallJob } from '../../../src/jobs/contactLastCall';
import { contactReminderJob } from '../../../src/jobs/contactReminder';
import type { Job } from '../../../src/jobs/job';
import { createLogger } from '../../../src/log';
import { startApiServer, type ApiTestServer } from '../../support/adminApi';
import { createApiWorld, type ApiWorld } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

/** 村情's missed week: beside each parent who was not in touch, whether the bot prompted them that week and whether they can be reached. */
describeEachEngine('admin API: a missed contact week says whether the parent was prompted and is reachable', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let world: ApiWorld;
  // The world's missed week is 2026-W46 (Monday 9 to Sunday 15 November, Beijing time).
  const friday = new Date('2026-11-13T11:00:00Z');
  const sunday = new Date('2026-11-15T12:00:00Z');
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await createApiWorld(database.db, database.cipher);
    api = await startApiServer(database, () => new Date('2026-11-28T08:00:00Z'));
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  const missed = async () => {
    const response = await api.call('GET', `/contact-weeks?week=2026-W46&status=missed&area=${world.home.villageCode}`, { token: world.tokens.officer_district });
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
    return response.body.items[0] as { parent: { id: number }; prompts: Array<{ job: string; status: string; sentAt: string | null }>; reachable: boolean };
  };
  const run = (job: Job, now: Date) => job.run({ db: database.db, engine, now, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });

  it('shows a parent with no bound chat as neither prompted nor reachable', async () => {
    await run(contactReminderJob, friday);
    expect(await missed()).toMatchObject({ parent: { id: world.home.parentId }, prompts: [], reachable: false });
  });

  it('shows the week’s reminder and last call the jobs queued, with how far each got', async () => {
    const identity = await database.db.chatIdentity.create({ data: { personId: world.home.parentId, channel: 'http', botAccount: 'default', externalId: 'wang-father' } });
    await run(contactReminderJob, friday);
    const reminder = await database.db.outboxMessage.findFirstOrThrow({ where: { dedupeKey: { startsWith: 'contact-reminder:' } } });
    await database.db.outboxMessage.update({ where: { id: reminder.id }, data: { status: 'sent', sentAt: new Date('2026-11-13T11:00:05Z') } });
    expect(await missed()).toMatchObject({ prompts: [{ job: 'contact-reminder', status: 'sent', sentAt: '2026-11-13T11:00:05.000Z' }], reachable: true });

    await run(contactLastCallJob, sunday);
    expect((await missed()).prompts.map((prompt) => `${prompt.job} ${prompt.status}`)).toEqual(['contact-reminder sent', 'contact-last-call pending']);

    // The parent unfollowed the official account: the record stays, nothing reaches them now.
    await database.db.chatIdentity.update({ where: { id: identity.id }, data: { unreachableAt: new Date('2026-11-20T00:00:00Z') } });
    expect(await missed()).toMatchObject({ reachable: false });
  });
});
