import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log';
import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { NATIONAL_IDS } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';
import { createVillage, type TestVillage } from '../../support/village';

describeEachEngine('admin API request logs', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let village: TestVillage;
  let output = '';
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    api = await startApiServer(database, undefined, createLogger('info', sink));
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('carry the route pattern and the token, never a name, ID number, phone or address from the query or the body', async () => {
    const token = await tokenFor(database.db, 'officer_township', '880101001');
    const person = await api.call('POST', '/people', { token, body: { name: '郑秀英', role: 'guardian', areaCode: '880101001001', phone: '13912345678' } });
    expect(person.status).toBe(201);
    await api.call('PATCH', `/children/${village.childId}`, { token, body: { nationalId: NATIONAL_IDS[0], familySituation: '住清河镇一组' } });
    await api.call('GET', `/children?name=${encodeURIComponent('张小明')}`, { token });
    await api.call('GET', `/children/${village.childId}/national-id`, { token });
    await api.call('GET', '/people?name=13912345678', { token });
    const lines = output.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    expect(lines.map((line) => [line.method, line.route, line.status])).toEqual([
      ['POST', '/api/v1/people', 201],
      ['PATCH', '/api/v1/children/:id', 200],
      ['GET', '/api/v1/children', 200],
      ['GET', '/api/v1/children/:id/national-id', 200],
      ['GET', '/api/v1/people', 200],
    ]);
    expect(lines.every((line) => typeof line.tokenId === 'number')).toBe(true);
    for (const secret of ['郑秀英', '13912345678', NATIONAL_IDS[0]!, '清河镇一组', '张小明', encodeURIComponent('张小明')]) expect(output).not.toContain(secret);
  });
});
