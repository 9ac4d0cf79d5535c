import { fileReport } from '../../../src/store/cases/reports';
import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';
import { createVillage, type TestVillage } from '../../support/village';

describeEachEngine('admin API: cases', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let village: TestVillage;
  let now: Date;
  let officer: string;
  let auditor: string;
  let urgent: string;
  let normal: string;
  const reportedAt = new Date('2026-11-27T02:00:00Z');
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    now = new Date('2026-11-27T03:00:00Z');
    api = await startApiServer(database, () => now);
    officer = await tokenFor(database.db, 'officer_township', '880101001');
    auditor = await tokenFor(database.db, 'auditor', '880101001');
    const file = (severity: 'urgent' | 'normal', description: string) =>
      database.db.$transaction((tx) =>
        fileReport(tx, { childId: village.childId, areaId: village.villageId, type: 'abuse_or_injury', severity, description, source: 'director', reporterId: village.directorId, now: reportedAt, timeZone: 'Asia/Shanghai' }),
      );
    urgent = (await file('urgent', '身上有伤')).number;
    normal = (await file('normal', '情绪低落')).number;
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  const numbers = async (query: string, token = officer) => (await api.call('GET', `/cases?${query}`, { token })).body.items.map((c: { number: string }) => c.number);

  it('counts the open cases by step and severity, the overdue ones apart, as the console’s overview shows them', async () => {
    // an hour after filing: the urgent report (2 hours to verify) is not overdue yet
    expect((await api.call('GET', '/case-counts', { token: auditor })).body).toEqual({
      open: 2,
      overdue: 0,
      byState: { reported: 2, verified: 0, referred: 0, assisting: 0 },
      bySeverity: { urgent: 1, high: 0, normal: 1 },
    });
    const later = now;
    now = new Date(reportedAt.getTime() + 3 * 3_600_000);
    expect((await api.call('GET', '/case-counts', { token: officer })).body.overdue).toBe(1);
    now = later;
    expect((await api.call('GET', '/case-counts?area=770101', { token: officer })).status).toBe(404);
  });

  it('lists cases by state, severity and whether the step is overdue', async () => {
    expect(await numbers('state=reported')).toEqual([urgent, normal]);
    expect(await numbers('severity=urgent')).toEqual([urgent]);
    // an urgent report must be verified within 2 hours, a normal one within 72
    expect(await numbers('overdue=false')).toEqual([urgent, normal]);
    now = new Date(reportedAt.getTime() + 3 * 3_600_000);
    expect(await numbers('overdue=true')).toEqual([urgent]);
    expect(await numbers('overdue=false')).toEqual([normal]);
  });

  it('shows who reported to the area’s officers and directors, never to auditors', async () => {
    const forOfficer = await api.call('GET', `/cases/${urgent}`, { token: officer });
    expect(forOfficer.body).toMatchObject({ reporter: { id: village.directorId, name: '李主任' }, steps: [{ toState: 'reported', actor: { kind: 'person', personId: village.directorId } }] });
    const forAuditor = await api.call('GET', `/cases/${urgent}`, { token: auditor });
    expect(forAuditor.status).toBe(200);
    expect(forAuditor.body.reporter).toBeNull();
    expect(JSON.stringify(forAuditor.body)).not.toContain('李主任');
    expect((await api.call('GET', '/cases', { token: auditor })).body.items.every((c: { reporter: unknown }) => c.reporter === null)).toBe(true);
  });

  it('moves a case verify → refer → assist → close, each step in the history with the token, the deadline and an audit entry', async () => {
    const verify = await api.call('POST', `/cases/${urgent}/steps`, { token: officer, body: { action: 'verify', note: '电话核实' } });
    expect(verify).toMatchObject({ status: 201, body: { state: 'verified', dueAt: new Date(now.getTime() + 24 * 3_600_000).toISOString(), overdue: false } });
    const refer = await api.call('POST', `/cases/${urgent}/steps`, { token: officer, body: { action: 'refer', department: 'police' } });
    expect(refer.body).toMatchObject({ state: 'referred', department: 'police' });
    await api.call('POST', `/cases/${urgent}/steps`, { token: officer, body: { action: 'assist', note: '派出所已介入' } });
    const closed = await api.call('POST', `/cases/${urgent}/steps`, { token: officer, body: { action: 'close', note: '已安置' } });
    expect(closed.body).toMatchObject({ state: 'closed', dueAt: null, closedAt: now.toISOString() });
    // Who acted in people's words: the director by name and role, the token by its role (it has no name), never a bare token:1.
    const byToken = { kind: 'token', label: expect.stringMatching(/^token:\d+$/), name: null, role: 'officer_township', words: '管理平台接口（乡镇工作人员，接口）' };
    expect(closed.body.steps.map((s: { fromState: string | null; toState: string; actor: unknown }) => [s.fromState, s.toState, s.actor])).toEqual([
      [null, 'reported', { kind: 'person', personId: village.directorId, name: '李主任', role: 'director', words: '李主任（儿童主任）' }],
      ['reported', 'verified', byToken],
      ['verified', 'referred', byToken],
      ['referred', 'assisting', byToken],
      ['assisting', 'closed', byToken],
    ]);
    // The auditor may not see who reported: the reporter's step says so, and nothing names the director.
    const forAuditor = await api.call('GET', `/cases/${urgent}`, { token: auditor });
    expect(forAuditor.body.steps[0].actor).toEqual({ kind: 'withheld', words: '（身份保密）' });
    expect(forAuditor.body.steps[1].actor).toMatchObject({ kind: 'token', words: '管理平台接口（乡镇工作人员，接口）' });
    expect(JSON.stringify(forAuditor.body)).not.toContain('李主任');
    const audit = await database.db.auditLog.findMany({ where: { subjectType: 'Report', actor: { startsWith: 'token:' } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action).filter((action) => !['case.read', 'case.list'].includes(action))).toEqual(['case.verify', 'case.refer', 'case.assist', 'case.close']);
    // Every look at the case was written down too.
    expect(audit.filter((a) => a.action === 'case.read').length).toBeGreaterThan(0);
  });

  it('refuses a step the state does not allow with 422, changing nothing', async () => {
    const steps = await database.db.caseStep.count();
    expect(await api.call('POST', `/cases/${normal}/steps`, { token: officer, body: { action: 'assist', note: '入户帮扶' } })).toMatchObject({
      status: 422,
      body: { error: 'case_transition_refused' },
    });
    expect(await database.db.caseStep.count()).toBe(steps);
    expect((await database.db.report.findUniqueOrThrow({ where: { number: normal } })).state).toBe('reported');
  });

  it('answers 404 for a case of another area, and 403 to an auditor’s step', async () => {
    const sameTownship = await tokenFor(database.db, 'officer_township', '880101001');
    await database.db.area.create({ data: { code: '880101002', name: '邻镇', level: 'township', path: '/880101/880101002/', parentId: village.districtId } });
    const neighbour = await tokenFor(database.db, 'officer_township', '880101002');
    expect((await api.call('GET', `/cases/${normal}`, { token: neighbour })).status).toBe(404);
    expect((await api.call('POST', `/cases/${normal}/steps`, { token: neighbour, body: { action: 'verify' } })).status).toBe(404);
    expect((await api.call('POST', `/cases/${normal}/steps`, { token: auditor, body: { action: 'verify' } })).status).toBe(403);
    expect((await api.call('GET', `/cases/${normal}`, { token: sameTownship })).status).toBe(200);
  });
  it('says 系统 for a case the service’s own jobs filed', async () => {
    const filed = await database.db.$transaction((tx) =>
      fileReport(tx, { childId: village.childId, areaId: village.villageId, type: 'dropout', severity: 'normal', description: '连续缺课', source: 'system', reporterId: null, now: reportedAt, timeZone: 'Asia/Shanghai' }),
    );
    const detail = await api.call('GET', `/cases/${filed.number}`, { token: officer });
    expect(detail.body.steps[0].actor).toEqual({ kind: 'system', words: '系统' });
  });
});
