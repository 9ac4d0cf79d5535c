import { createVillage } from '../../support/village';
import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

describeEachEngine('admin API: areas', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let district: string;
  let township: string;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await createVillage(database.db);
    api = await startApiServer(database);
    district = await tokenFor(database.db, 'officer_district', '880101');
    township = await tokenFor(database.db, 'officer_township', '880101001');
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('shows a township officer its township and the villages below, not the district above', async () => {
    const response = await api.call('GET', '/areas', { token: township });
    expect(response.status).toBe(200);
    expect(response.body.items.map((a: { code: string }) => a.code)).toEqual(['880101001', '880101001001']);
  });

  it('lets a district officer add a village to one of its townships, with an audit entry', async () => {
    const response = await api.call('POST', '/areas', { token: district, body: { parentCode: '880101001', code: '880101001002', name: '新村' } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ code: '880101001002', level: 'village', path: '/880101/880101001/880101001002/', parentCode: '880101001' });
    expect(await database.db.auditLog.count({ where: { action: 'area.create', actor: { startsWith: 'token:' } } })).toBe(1);
  });

  it('answers 404 for an area above the token, as for one that does not exist', async () => {
    expect((await api.call('GET', '/areas/880101', { token: township })).status).toBe(404);
    expect((await api.call('POST', '/areas', { token: township, body: { parentCode: '880101', code: '880101002', name: '外镇' } })).status).toBe(404);
  });
});
