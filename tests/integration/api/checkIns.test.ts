import { startApiServer, type ApiTestServer } from '../../support/adminApi';
import { createApiWorld, type ApiWorld } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

describeEachEngine('admin API: a child’s teacher check-ins', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let world: ApiWorld;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await createApiWorld(database.db, database.cipher);
    api = await startApiServer(database);
    const child = await database.db.child.findUniqueOrThrow({ where: { id: world.home.childId }, select: { areaId: true } });
    const teacher = await database.db.person.create({ data: { name: '林老师', role: 'teacher', areaId: child.areaId } });
    await database.db.teacherCheckIn.createMany({
      data: [
        { childId: world.home.childId, teacherId: teacher.id, round: '2026-11-11', position: 1, status: 'normal', promptedAt: new Date('2026-11-11T02:00:00Z'), answeredAt: new Date('2026-11-11T05:00:00Z') },
        { childId: world.home.childId, teacherId: teacher.id, round: '2026-11-25', position: 1, status: 'concern', note: '情绪低落', promptedAt: new Date('2026-11-25T02:00:00Z'), answeredAt: new Date('2026-11-25T04:00:00Z') },
      ],
    });
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  it('lists the check-ins newest first with the teacher, for the child’s area only', async () => {
    const response = await api.call('GET', `/children/${world.home.childId}/check-ins`, { token: world.tokens.director });
    expect(response.status).toBe(200);
    expect(response.body.items.map((c: { round: string; status: string; note: string | null; teacher: { name: string } }) => [c.round, c.status, c.note, c.teacher.name])).toEqual([
      ['2026-11-25', 'concern', '情绪低落', '林老师'],
      ['2026-11-11', 'normal', null, '林老师'],
    ]);
    expect((await api.call('GET', `/children/${world.away.childId}/check-ins`, { token: world.tokens.director })).status).toBe(404);
  });
});
