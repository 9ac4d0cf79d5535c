import { FAILED_LOGIN_LIMIT, FAILED_LOGIN_WINDOW_MS } from '../../../src/api/failedLogins';
import { hashApiToken } from '../../../src/store/access/apiTokens';
import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';
import { createVillage } from '../../support/village';

describeEachEngine('admin API tokens', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let now: Date;
  let district: string;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await createVillage(database.db);
    now = new Date('2026-11-28T08:00:00Z');
    api = await startApiServer(database, () => now);
    district = await tokenFor(database.db, 'officer_district', '880101');
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('lets a district officer create a township token whose secret is shown once and works at once', async () => {
    const created = await api.call('POST', '/tokens', { token: district, body: { role: 'officer_township', areaCode: '880101001', name: '测试镇民政办' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), token: expect.stringMatching(/^sw_/), role: 'officer_township', areaCode: '880101001', department: null });
    expect((await api.call('GET', '/areas', { token: created.body.token })).status).toBe(200);
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: 'token.create', subjectId: String(created.body.id) } });
    expect(audit.actor).toMatch(/^token:\d+$/);
  });

  it('lists tokens without secrets or hashes, with when each was last used', async () => {
    const listed = await api.call('GET', '/tokens', { token: district });
    expect(listed.status).toBe(200);
    const text = JSON.stringify(listed.body);
    for (const row of await database.db.apiToken.findMany()) expect(text).not.toContain(row.tokenHash);
    expect(text).not.toMatch(/"token"|tokenHash/);
    const township = listed.body.items.find((t: { name: string | null }) => t.name === '测试镇民政办');
    expect(township).toMatchObject({ role: 'officer_township', area: { code: '880101001' }, hint: expect.stringMatching(/^sw_/), lastUsedAt: now.toISOString(), revokedAt: null });
  });

  it('refuses a role above the officer’s own, a role that does not fit the area, and an area outside its own', async () => {
    const township = await tokenFor(database.db, 'officer_township', '880101001');
    const outside = await api.call('POST', '/tokens', { token: township, body: { role: 'auditor', areaCode: '880101' } });
    expect(outside).toMatchObject({ status: 404, body: { error: 'area_not_found' } }); // the district lies above the township
    const above = await api.call('POST', '/tokens', { token: township, body: { role: 'officer_district', areaCode: '880101001' } });
    expect(above).toMatchObject({ status: 422, body: { error: 'role_above_own' } });
    const mismatch = await api.call('POST', '/tokens', { token: district, body: { role: 'director', areaCode: '880101001' } });
    expect(mismatch).toMatchObject({ status: 422, body: { error: 'role_area_mismatch' } });
  });

  it('revokes a token: it gets 401 from then on, and the revocation is audited', async () => {
    const created = await api.call('POST', '/tokens', { token: district, body: { role: 'auditor', areaCode: '880101001001' } });
    const revoked = await api.call('POST', `/tokens/${created.body.id}/revoke`, { token: district });
    expect(revoked).toMatchObject({ status: 200, body: { id: created.body.id, revokedAt: now.toISOString() } });
    expect(await api.call('GET', '/areas', { token: created.body.token })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    expect(await database.db.auditLog.count({ where: { action: 'token.revoke', subjectId: String(created.body.id) } })).toBe(1);
  });

  it('updates lastUsedAt at most once a minute', async () => {
    const secret = await tokenFor(database.db, 'auditor', '880101');
    const row = () => database.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashApiToken(secret) } });
    await api.call('GET', '/areas', { token: secret });
    expect((await row()).lastUsedAt).toEqual(now);
    const first = now;
    now = new Date(first.getTime() + 30_000);
    await api.call('GET', '/areas', { token: secret });
    expect((await row()).lastUsedAt).toEqual(first);
    now = new Date(first.getTime() + 61_000);
    await api.call('GET', '/areas', { token: secret });
    expect((await row()).lastUsedAt).toEqual(now);
  });

  it(`refuses an address with ${FAILED_LOGIN_LIMIT} failed logins in 15 minutes with 429 and Retry-After, until the window passes`, async () => {
    now = new Date(now.getTime() + FAILED_LOGIN_WINDOW_MS); // the revoked token's failure above is forgotten
    for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) {
      expect((await api.call('GET', '/areas', { token: `sw_guess${i}` })).status).toBe(401);
    }
    const refused = await api.call('GET', '/areas', { token: 'sw_guess-again' });
    expect(refused).toMatchObject({ status: 429, body: { error: 'too_many_failed_logins' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(FAILED_LOGIN_WINDOW_MS / 1000);
    // while refused, even a good token from that address waits: guessing must not go on
    expect((await api.call('GET', '/areas', { token: district })).status).toBe(429);
    now = new Date(now.getTime() + retryAfter * 1000);
    expect((await api.call('GET', '/areas', { token: district })).status).toBe(200);
  });

  it('ignores a forged X-Forwarded-For unless told a proxy sets it (SHOUWANG_TRUST_PROXY)', async () => {
    now = new Date(now.getTime() + FAILED_LOGIN_WINDOW_MS);
    const guess = (server: ApiTestServer, i: number, from: string) => server.call('GET', '/areas', { token: `sw_guess${i}`, headers: { 'x-forwarded-for': from } });
    // no proxy: a guesser changing the header each time is still one address
    for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) expect((await guess(api, i, `203.0.113.${i}`)).status).toBe(401);
    expect((await guess(api, 99, '203.0.113.99')).status).toBe(429);

    const behindProxy = await startApiServer(database, () => now, undefined, { trustProxy: true });
    try {
      for (let i = 0; i < FAILED_LOGIN_LIMIT; i++) expect((await guess(behindProxy, i, '198.51.100.7')).status).toBe(401);
      expect((await guess(behindProxy, 99, '198.51.100.7')).status).toBe(429);
      // another client behind the same proxy is not locked out with the guesser
      expect((await behindProxy.call('GET', '/areas', { token: district, headers: { 'x-forwarded-for': '198.51.100.8' } })).status).toBe(200);
    } finally {
      await behindProxy.stop();
    }
  });
});
