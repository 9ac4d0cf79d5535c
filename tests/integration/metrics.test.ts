import { ServiceMetrics } from '../../src/metrics';
import type { RunningService } from '../../src/service';
import { EVENT_WAIT_MS } from '../support/budgets';
import { httpChannelClient, startTestService } from '../support/inProcessService';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

/** The value of one sample in Prometheus text, e.g. sample(text, 'shouwang_cases_open'); 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describeEachEngine('GET /metrics and the operational parts of GET /healthz', (engine) => {
  let database: TestDatabase;
  let service: RunningService;
  let village: TestVillage;
  const scrape = async (): Promise<string> => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    service = await startTestService(database);
  });
  afterAll(async () => {
    await service.stop();
    await database.drop();
  });

  it('exposes the named metrics in Prometheus text format', async () => {
    const text = await scrape();
    for (const name of [
      'shouwang_messages_received_total',
      'shouwang_messages_sent_total',
      'shouwang_send_failures_total',
      'shouwang_outbox_messages',
      'shouwang_outbox_oldest_pending_seconds',
      'shouwang_job_runs_total',
      'shouwang_job_duration_seconds',
      'shouwang_cases_open',
      'shouwang_cases_overdue',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('counts a message received and its reply sent on the channel', async () => {
    const before = await scrape();
    await httpChannelClient(service.url).say('tel:someone', '帮助');
    expect(sample(await scrape(), 'shouwang_messages_received_total', '{channel="http"}')).toBe(sample(before, 'shouwang_messages_received_total', '{channel="http"}') + 1);
    const deadline = Date.now() + EVENT_WAIT_MS;
    while (sample(await scrape(), 'shouwang_messages_sent_total', '{channel="http"}') <= sample(before, 'shouwang_messages_sent_total', '{channel="http"}')) {
      if (Date.now() > deadline) throw new Error('the reply was never counted as sent');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('reports open and overdue cases and the outbox backlog, here and in /healthz', async () => {
    const past = new Date(Date.now() - 3_600_000);
    await database.db.report.create({
      data: { number: 'TV-2026-000901', areaId: village.villageId, type: 'other', severity: 'normal', description: '逾期', source: 'director', dueAt: past },
    });
    await database.db.report.create({
      data: { number: 'TV-2026-000902', areaId: village.villageId, type: 'other', severity: 'normal', state: 'closed', description: '已结案', source: 'director' },
    });
    // Rows of a channel this service does not run stay queued; one more is dead-lettered.
    await database.db.outboxMessage.create({ data: { channel: 'wechaty', botAccount: 'x', address: 'wxid', text: '提醒', createdAt: past } });
    await database.db.outboxMessage.create({ data: { channel: 'wechaty', botAccount: 'x', address: 'wxid', text: '失败', status: 'dead' } });

    const text = await scrape();
    expect(sample(text, 'shouwang_cases_open')).toBe(1);
    expect(sample(text, 'shouwang_cases_overdue')).toBe(1);
    expect(sample(text, 'shouwang_outbox_messages', '{status="pending"}')).toBe(1);
    expect(sample(text, 'shouwang_outbox_messages', '{status="dead"}')).toBe(1);
    expect(sample(text, 'shouwang_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(3600);

    const health = (await (await fetch(`${service.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'ok',
      channels: [{ channel: 'http', accounts: [{ state: 'logged_in' }] }],
      outbox: { pending: 1, dead: 1, oldestPendingSeconds: expect.any(Number) },
    });
  });

  it('keeps counts per service: a second registry in the same process starts at zero', async () => {
    const other = new ServiceMetrics(database.db);
    expect(sample(await other.registry.metrics(), 'shouwang_messages_received_total', '{channel="http"}')).toBe(0);
    expect(sample(await scrape(), 'shouwang_messages_received_total', '{channel="http"}')).toBeGreaterThan(0);
  });
});
