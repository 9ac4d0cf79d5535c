import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { NATIONAL_IDS } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';
import { createVillage, type TestVillage } from '../../support/village';

const VILLAGE = '880101001001';

describeEachEngine('admin API: children, people and links', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let village: TestVillage;
  let officer: string;
  let director: string;
  let auditor: string;
  const now = new Date('2026-11-28T08:00:00Z');
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    api = await startApiServer(database, () => now);
    officer = await tokenFor(database.db, 'officer_township', '880101001');
    director = await tokenFor(database.db, 'director', VILLAGE);
    auditor = await tokenFor(database.db, 'auditor', '880101');
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  async function createChild(body: Record<string, unknown>) {
    const response = await api.call('POST', '/children', { token: director, body: { areaCode: VILLAGE, birthDate: '2016-05-01', ...body } });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('stores a new child’s ID number encrypted and shows it only masked', async () => {
    const child = await createChild({ name: '陈小雨', nationalId: NATIONAL_IDS[0], categories: ['left_behind', 'economic_hardship'] });
    expect(child).toMatchObject({ name: '陈小雨', nationalIdMasked: '4201**********0015', area: { code: VILLAGE } });
    expect(JSON.stringify(child)).not.toContain(NATIONAL_IDS[0]);
    const row = await database.db.child.findUniqueOrThrow({ where: { id: child.id } });
    expect(row.nationalIdCipher).not.toContain(NATIONAL_IDS[0]);
    expect(database.cipher.open(row.nationalIdCipher!)).toBe(NATIONAL_IDS[0]);
    const listed = await api.call('GET', '/children?name=小雨', { token: auditor });
    expect(JSON.stringify(listed.body)).not.toContain(NATIONAL_IDS[0]);
    expect(await database.db.auditLog.findFirst({ where: { action: 'child.create', subjectId: String(child.id) } })).toMatchObject({ actor: expect.stringMatching(/^token:\d+$/) });
  });

  it('refuses a second child with the same ID number with 409', async () => {
    const response = await api.call('POST', '/children', { token: director, body: { areaCode: VILLAGE, name: '重复', birthDate: '2016-05-01', nationalId: NATIONAL_IDS[0] } });
    expect(response).toMatchObject({ status: 409, body: { error: 'national_id_taken' } });
  });

  it('unmasks the ID number for an officer only, and writes who read it to the audit log', async () => {
    const [child] = (await api.call('GET', '/children?name=小雨', { token: officer })).body.items;
    expect(await api.call('GET', `/children/${child.id}/national-id`, { token: officer })).toMatchObject({ status: 200, body: { nationalId: NATIONAL_IDS[0] } });
    const reads = await database.db.auditLog.findMany({ where: { action: 'child.national_id.read', subjectId: String(child.id) } });
    expect(reads).toHaveLength(1);
    expect(JSON.stringify(reads)).not.toContain(NATIONAL_IDS[0]);
    expect((await api.call('GET', `/children/${child.id}/national-id`, { token: director })).status).toBe(403);
    expect((await api.call('GET', `/children/${child.id}/national-id`, { token: auditor })).status).toBe(403);
    expect(await database.db.auditLog.count({ where: { action: 'child.national_id.read' } })).toBe(1);
  });

  it('makes a child left-behind when both parents are linked as working away, and not when one comes home', async () => {
    const child = await createChild({ name: '刘小军' });
    expect(child.leftBehind).toBe(false);
    const parents = [];
    for (const [name, relation] of [['刘父', '父亲'], ['刘母', '母亲']]) {
      const person = await api.call('POST', '/people', { token: director, body: { name, role: 'parent', areaCode: VILLAGE, phone: '13900003333' } });
      expect(person.status).toBe(201);
      const linked = await api.call('POST', `/children/${child.id}/links`, { token: director, body: { personId: person.body.id, kind: 'parent', relation, worksAway: true } });
      expect(linked.status).toBe(201);
      parents.push(linked.body.links.at(-1));
    }
    const detail = await api.call('GET', `/children/${child.id}`, { token: auditor });
    expect(detail.body).toMatchObject({ leftBehind: true, links: [{ relation: '父亲', worksAway: true }, { relation: '母亲', worksAway: true }] });
    const ended = await api.call('POST', `/children/${child.id}/links/${parents[1].id}/end`, { token: director });
    expect(ended.body.leftBehind).toBe(true); // the other parent is gone, and a missing parent has no capacity
    const home = await api.call('POST', `/children/${child.id}/links`, {
      token: director,
      body: { personId: parents[1].person.id, kind: 'parent', relation: '母亲', worksAway: false, hasGuardianshipCapacity: true },
    });
    expect(home.body.leftBehind).toBe(false);
    expect(await database.db.auditLog.count({ where: { subjectType: 'Child', subjectId: String(child.id), action: { in: ['child.link', 'child.unlink'] } } })).toBe(4);
  });

  it('refuses to link a teacher as a parent', async () => {
    const teacher = await api.call('POST', '/people', { token: director, body: { name: '周老师', role: 'teacher', areaCode: VILLAGE, schoolName: '测试小学' } });
    const response = await api.call('POST', `/children/${village.childId}/links`, { token: director, body: { personId: teacher.body.id, kind: 'parent' } });
    expect(response).toMatchObject({ status: 422, body: { error: 'link_kind_mismatch' } });
  });

  it('filters children by category, flag, risk level, stale record, missing agreement and name, page by page', async () => {
    const dropout = await createChild({ name: '孙小明', focusFlags: ['dropout'], categories: ['safety_lacking'] });
    await database.db.child.update({ where: { id: dropout.id }, data: { riskLevel: 'high', recordStale: true } });
    const ids = async (query: string) => (await api.call('GET', `/children?${query}`, { token: officer })).body.items.map((c: { id: number }) => c.id);
    expect(await ids('flag=dropout')).toEqual([dropout.id]);
    expect(await ids('category=safety_lacking')).toEqual([dropout.id]);
    expect(await ids('riskLevel=high')).toEqual([dropout.id]);
    expect(await ids('recordStale=true')).toEqual([dropout.id]);
    expect(await ids('name=孙小')).toEqual([dropout.id]);
    const left = (await api.call('GET', '/children?name=刘小军', { token: officer })).body.items[0];
    // the mother came home: no child has every parent away
    expect(await ids('missingAgreement=true')).toEqual([]);
    await database.db.childLink.updateMany({ where: { childId: left.id }, data: { worksAway: true } });
    expect(await ids('missingAgreement=true')).toEqual([left.id]);
    const [father, mother] = await database.db.childLink.findMany({ where: { childId: left.id }, orderBy: { id: 'asc' } });
    await database.db.guardianshipAgreement.create({
      data: { childId: left.id, parentId: father!.personId, guardianId: mother!.personId, status: 'approved', validFrom: '2026-01-01', validUntil: '2026-11-27' },
    });
    expect(await ids('missingAgreement=true')).toEqual([left.id]); // expired yesterday
    await database.db.guardianshipAgreement.updateMany({ where: { childId: left.id }, data: { validUntil: '2027-11-27' } });
    expect(await ids('missingAgreement=true')).toEqual([]);

    const all = await ids('limit=500');
    const first = await api.call('GET', '/children?limit=2', { token: officer });
    expect(first.body.items).toHaveLength(2);
    const second = await api.call('GET', `/children?limit=2&after=${first.body.nextCursor}`, { token: officer });
    expect([...first.body.items, ...second.body.items].map((c: { id: number }) => c.id)).toEqual(all.slice(0, 4));
  });

  it('updates only the fields given, and records which in the audit log (never the values of an ID number)', async () => {
    const response = await api.call('PATCH', `/children/${village.childId}`, { token: director, body: { schoolStage: 'primary', grade: '三年级', nationalId: NATIONAL_IDS[1] } });
    expect(response).toMatchObject({ status: 200, body: { name: '张小明', schoolStage: 'primary', grade: '三年级', nationalIdMasked: '1101**********0015' } });
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: 'child.update', subjectId: String(village.childId) } });
    expect((audit.detail as { after: { fields: string[] } }).after.fields.sort()).toEqual(['grade', 'nationalId', 'schoolStage']);
    expect(JSON.stringify(audit.detail)).not.toContain(NATIONAL_IDS[1]);
  });

  it('issues an invite code once, revokes the person’s earlier one, and lists invites without codes', async () => {
    const person = await api.call('POST', '/people', { token: director, body: { name: '吴奶奶', role: 'guardian', areaCode: VILLAGE } });
    const first = await api.call('POST', '/invites', { token: director, body: { personId: person.body.id, childId: village.childId } });
    expect(first).toMatchObject({ status: 201, body: { code: expect.stringMatching(/^\d{6}$/), person: { id: person.body.id } } });
    const second = await api.call('POST', '/invites', { token: director, body: { personId: person.body.id } });
    const listed = await api.call('GET', `/invites?personId=${person.body.id}`, { token: director });
    expect(JSON.stringify(listed.body)).not.toContain(first.body.code);
    expect(listed.body.items.map((i: { id: number; revokedAt: string | null }) => [i.id, i.revokedAt !== null])).toEqual([
      [first.body.id, true],
      [second.body.id, false],
    ]);
    expect((await api.call('GET', `/invites?personId=${person.body.id}&open=true`, { token: director })).body.items).toHaveLength(1);
    const revoked = await api.call('POST', `/invites/${second.body.id}/revoke`, { token: director });
    expect(revoked).toMatchObject({ status: 200, body: { revokedAt: now.toISOString() } });
  });
});
