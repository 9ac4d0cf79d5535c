import type { Job } from '../../src/jobs/job';
import { claimJobRun } from '../../src/store/ops/jobRuns';
import { CHANNEL_TOKEN, httpChannelClient, startTestService } from '../support/inProcessService';
import { startServiceProcess } from '../support/serviceProcess';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

// Two service processes on a loaded 2-core machine.
const BUDGET_MS = 120_000;

describeEachEngine('stopping with SIGTERM', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    env = {
      DATABASE_URL: database.target.url,
      SHOUWANG_DATA_KEY: database.dataKey.toString('hex'),
      CHANNEL_TOKEN,
      SHOUWANG_QUIET_HOURS: '',
      // The load comes from one gateway address, all at once.
      SHOUWANG_MAX_REQUESTS_PER_ADDRESS: '100',
    };
  });
  afterAll(() => database.drop());

  it(
    'under load: lets the messages in flight finish, exits 0, and handles nothing twice after the restart',
    async () => {
      const { personId, code } = await invitePerson(database.db, { name: '张伟', role: 'parent', areaId: village.villageId, childId: village.childId, linkKind: 'parent' });
      const first = await startServiceProcess(env, 60_000);
      expect((await httpChannelClient(first.url).say('tel:parent', `绑定 ${code}`)).body.replies[0]!.text).toMatch(/^绑定成功/);

      const MESSAGES = 40;
      const send = (url: string, index: number) =>
        fetch(`${url}/channels/http/inbound`, {
          method: 'POST',
          headers: { authorization: `Bearer ${CHANNEL_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ id: `load-${index}`, from: 'tel:parent', text: `已联系 电话 ${index}` }),
        }).then(
          (response) => response.status,
          () => 'not connected' as const,
        );
      let firstAnswer: () => void = () => undefined;
      const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
      const load = Array.from({ length: MESSAGES }, (_, index) => send(first.url, index + 1).finally(() => firstAnswer()));
      // SIGTERM as soon as the first is answered: the others are being handled.
      await answered;
      expect(await first.stop()).toBe(0);
      const outcomes = await Promise.all(load);
      // Accepted work finishes; what the stopped server did not take, the gateway delivers again.
      expect(outcomes.filter((outcome) => outcome !== 200 && outcome !== 'not connected')).toEqual([]);
      expect(outcomes.filter((outcome) => outcome === 200).length).toBeGreaterThan(0);
      expect(await database.db.inboxMessage.count({ where: { status: 'received' } })).toBe(0);
      const handledBeforeStop = await database.db.contactLog.count({ where: { loggedById: personId } });
      expect(handledBeforeStop).toBe(await database.db.inboxMessage.count({ where: { platformMessageId: { startsWith: 'load-' } } }));

      const second = await startServiceProcess(env, 60_000);
      // The gateway, unsure what arrived, delivers everything again.
      expect(await Promise.all(Array.from({ length: MESSAGES }, (_, index) => send(second.url, index + 1)))).toEqual(Array(MESSAGES).fill(200));
      const logs = await database.db.contactLog.findMany({ where: { loggedById: personId }, select: { minutes: true } });
      expect(logs.map((log) => log.minutes).sort((a, b) => a! - b!)).toEqual(Array.from({ length: MESSAGES }, (_, index) => index + 1));
      expect(await second.stop()).toBe(0);
    },
    BUDGET_MS,
  );

  it(
    'hands back a job run still going when the grace runs out, so another instance takes it over at once',
    async () => {
      let started: () => void = () => undefined;
      const running = new Promise<void>((resolve) => (started = resolve));
      const stuck: Job = {
        name: 'stuck-job',
        defaultSchedule: '0 3 * * *',
        description: 'never finishes',
        run: () => {
          started();
          return new Promise(() => undefined);
        },
      };
      const service = await startTestService(database, { SHOUWANG_STOP_TIMEOUT_MS: '100' }, { jobs: [stuck] });
      const occurrence = new Date('2026-11-30T03:00:00.000Z');
      void service.scheduler.fire(stuck, occurrence);
      await running;
      await service.stop();

      expect(await database.db.jobRun.findFirstOrThrow({ where: { job: 'stuck-job' } })).toMatchObject({ status: 'failed', detail: { error: expect.stringMatching(/^interrupted/) } });
      const takeover = await claimJobRun(database.db, { job: 'stuck-job', occurrence: occurrence.toISOString(), instance: 'other', now: new Date(), staleMs: 30 * 60_000 });
      expect(takeover).toMatchObject({ claimed: true, tookOver: true });
    },
    BUDGET_MS,
  );
});
