import { startApiServer, type ApiTestServer } from '../../support/adminApi';
import { createApiWorld, type ApiWorld } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

describeEachEngine('admin API: agreements, assessments, contact weeks, vacations and dead letters', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let world: ApiWorld;
  const now = new Date('2026-11-28T08:00:00Z');
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await createApiWorld(database.db, database.cipher);
    api = await startApiServer(database, () => now);
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  const get = async (path: string) => {
    const response = await api.call('GET', path, { token: world.tokens.officer_district });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return response.body;
  };

  it('lists and reads guardianship agreements by status and child', async () => {
    expect((await get('/agreements?status=approved')).items.map((a: { id: number }) => a.id)).toEqual([world.home.agreementId]);
    expect((await get('/agreements?status=pending')).items).toEqual([]);
    expect(await get(`/agreements/${world.home.agreementId}`)).toMatchObject({
      status: 'approved',
      child: { id: world.home.childId },
      guardian: { name: '王奶奶' },
      validUntil: '2027-12-31',
    });
  });

  it('lists assessments by round and contact weeks by week and verdict', async () => {
    expect((await get('/assessments?round=2026-09')).items).toMatchObject([{ level: 'medium', child: { id: world.home.childId } }]);
    expect((await get('/assessments?round=2026-03')).items).toEqual([]);
    expect((await get('/contact-weeks?week=2026-W46&status=missed')).items).toMatchObject([{ missedStreak: 1, parent: { id: world.home.parentId } }]);
    expect((await get('/contact-weeks?week=2026-W47')).items).toEqual([]);
  });

  it('sets a village’s vacation, replacing the old dates, and lists it with those of the areas above', async () => {
    const body = { areaCode: '880101', year: 2027, vacation: 'winter', startsOn: '2027-01-18', endsOn: '2027-02-18' };
    const set = await api.call('PUT', '/school-calendars', { token: world.tokens.officer_district, body });
    expect(set).toMatchObject({ status: 200, body: { created: true, calendar: { area: { code: '880101' }, startsOn: '2027-01-18' } } });
    const again = await api.call('PUT', '/school-calendars', { token: world.tokens.officer_district, body: { ...body, endsOn: '2027-02-19' } });
    expect(again.body).toMatchObject({ created: false, calendar: { endsOn: '2027-02-19' } });
    const listed = await api.call('GET', '/school-calendars', { token: world.tokens.director });
    expect(listed.body.items.map((c: { area: { code: string }; vacation: string }) => `${c.area.code} ${c.vacation}`).sort()).toEqual(['880101 winter', '880101001001 winter']);
    const bad = await api.call('PUT', '/school-calendars', { token: world.tokens.officer_district, body: { ...body, startsOn: '2027-03-01', endsOn: '2027-02-01' } });
    expect(bad.status).toBe(422);
    expect(await database.db.auditLog.count({ where: { action: 'calendar.set', actor: { startsWith: 'token:' } } })).toBe(2);
  });

  it('lists dead letters without their address or text, and retries one with an audit entry', async () => {
    const listed = await get('/outbox/dead-letters');
    expect(listed.items).toMatchObject([{ id: world.home.deadLetterId, person: { id: world.home.parentId }, attempts: 6 }]);
    expect(JSON.stringify(listed)).not.toMatch(/13900001111|提醒/);
    const retried = await api.call('POST', `/outbox/dead-letters/${world.home.deadLetterId}/retry`, { token: world.tokens.officer_district });
    expect(retried).toMatchObject({ status: 202, body: { id: world.home.deadLetterId, status: 'pending' } });
    expect(await database.db.outboxMessage.findUniqueOrThrow({ where: { id: world.home.deadLetterId } })).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await api.call('POST', `/outbox/dead-letters/${world.home.deadLetterId}/retry`, { token: world.tokens.officer_district })).status).toBe(404);
    expect(await database.db.auditLog.count({ where: { action: 'outbox.retry' } })).toBe(1);
  });
});
