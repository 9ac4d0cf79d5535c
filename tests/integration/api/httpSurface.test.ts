import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { createApiWorld, type ApiWorld } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

describeEachEngine('the HTTP surface', (engine) => {
  let database: TestDatabase;
  let world: ApiWorld;
  let api: ApiTestServer;
  let token: string;
  let now: Date;
  // On PostgreSQL the budgets are counted in the database and outlive a server: each test gets a minute of its own.
  let minute = 0;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await createApiWorld(database.db, database.cipher);
    token = await tokenFor(database.db, 'officer_district', '880101');
  });
  beforeEach(async () => {
    now = new Date(Date.parse('2026-11-30T02:00:00Z') + minute++ * 600_000);
    api = await startApiServer(database, () => now, undefined, { apiRatePerMinute: 5, trustProxy: true });
  });
  afterEach(() => api.stop());
  afterAll(() => database.drop());

  it('sends the security headers on every answer, errors included', async () => {
    for (const response of [await api.call('GET', '/children', { token }), await api.call('GET', '/nothing-here', { token }), await api.call('GET', '/children')]) {
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('limits requests per token and per client address, with Retry-After, counted from the proxy-given address', async () => {
    const from = (address: string) => ({ token, headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < 5; i += 1) expect((await api.call('GET', '/areas', from(`10.0.0.${i}`))).status).toBe(200);
    const limited = await api.call('GET', '/areas', from('10.0.0.99'));
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another token from a fresh address is not held back by the first token's minute.
    const other = await tokenFor(database.db, 'officer_district', '880101');
    expect((await api.call('GET', '/areas', { token: other, headers: { 'x-forwarded-for': '10.0.1.1' } })).status).toBe(200);
    // Logins from one address share that address's budget.
    for (let i = 0; i < 5; i += 1) await api.call('POST', '/session', { body: { login: 'nobody', password: 'wrong' }, headers: { 'x-forwarded-for': '10.0.2.1' } });
    const login = await api.call('POST', '/session', { body: { login: 'nobody', password: 'wrong' }, headers: { 'x-forwarded-for': '10.0.2.1' } });
    expect(login.status).toBe(429);
    expect(login.headers.get('retry-after')).not.toBeNull();
    now = new Date(now.getTime() + 60_000);
    expect((await api.call('GET', '/areas', from('10.0.0.99'))).status).toBe(200);
  });

  it('refuses a body larger than the route takes with 413, before reading on', async () => {
    const response = await api.call('POST', '/children', { token, raw: JSON.stringify({ name: 'x'.repeat(100_000) }) });
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('body_too_large');
  });

  it('writes every refused token and every read of a child or a case to the audit log', async () => {
    const refusedBefore = await database.db.auditLog.count({ where: { action: 'token.rejected' } });
    expect((await api.call('GET', '/children', { token: 'sw_not-a-token', headers: { 'x-forwarded-for': '10.0.3.1' } })).status).toBe(401);
    expect(await database.db.auditLog.count({ where: { action: 'token.rejected' } })).toBe(refusedBefore + 1);

    expect((await api.call('GET', `/children/${world.home.childId}`, { token, headers: { 'x-forwarded-for': '10.0.3.2' } })).status).toBe(200);
    expect((await api.call('GET', `/cases/${world.home.caseNumber}`, { token, headers: { 'x-forwarded-for': '10.0.3.3' } })).status).toBe(200);
    const reads = await database.db.auditLog.findMany({ where: { action: { in: ['child.read', 'case.read'] } }, orderBy: { id: 'asc' } });
    expect(reads.map((row) => [row.action, row.actor])).toEqual([
      ['child.read', expect.stringMatching(/^token:\d+$/)],
      ['case.read', expect.stringMatching(/^token:\d+$/)],
    ]);
    expect(reads[0]!.subjectId).toBe(String(world.home.childId));
  });

  it('answers a child outside the caller’s area exactly as a missing one: 404, never 403', async () => {
    const outside = await api.call('GET', `/children/${world.away.childId}`, { token, headers: { 'x-forwarded-for': '10.0.4.1' } });
    const missing = await api.call('GET', '/children/999999', { token, headers: { 'x-forwarded-for': '10.0.4.2' } });
    expect([outside.status, outside.body]).toEqual([missing.status, missing.body]);
    expect(outside.status).toBe(404);
  });
});
