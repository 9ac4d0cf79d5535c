import type { Db } from '../../../src/store/db/database';
import { fileReport } from '../../../src/store/cases/reports';
import { tokenFor } from '../../support/adminApi';
import { describeEachEngine } from '../../support/testDatabase';
import { twoDoors } from '../../support/twoDoors';

/**
 * Moving a case is one rule (domain/caseWorkflow.ts transitions, step deadlines, the audit entry)
 * with two doors: a director's 案件 <编号> 核实/转介 in chat and POST /cases/:number/steps in the
 * API. The same moves at the same time must leave the same steps, state, deadline and audit trail.
 */
describeEachEngine('moving a case, in chat and through the API', (engine) => {
  const filedAt = new Date('2026-11-28T01:00:00Z');
  const now = new Date('2026-11-28T03:00:00Z');
  const doors = twoDoors(engine, { villageAt: filedAt, now });

  const file = () =>
    doors.database.db.$transaction((tx) =>
      fileReport(tx, { childId: doors.village.childId, areaId: doors.village.villageId, type: 'dropout', severity: 'high', description: '连续两周没来上学', source: 'teacher', reporterId: null, now: filedAt, timeZone: 'Asia/Shanghai' }),
    );

  /** A case as stored, without its number and ids. */
  async function storedCase(db: Db, reportId: number) {
    const report = await db.report.findUniqueOrThrow({ where: { id: reportId }, select: { state: true, department: true, dueAt: true, stateSince: true, closedAt: true } });
    const steps = await db.caseStep.findMany({ where: { reportId }, orderBy: { id: 'asc' }, select: { fromState: true, toState: true, note: true, department: true, at: true, dueAt: true } });
    const audit = await db.auditLog.findMany({ where: { subjectType: 'Report', subjectId: String(reportId) }, orderBy: { id: 'asc' }, select: { action: true, at: true } });
    return { report, steps, audit };
  }

  it('leaves the same steps, state, deadline and audit entries through either door', async () => {
    const inChat = await file();
    const inApi = await file();
    expect(await doors.say(`绑定 ${doors.village.directorCode}`)).toEqual([expect.stringMatching(/^绑定成功/)]);
    expect(await doors.say(`案件 ${inChat.number} 核实 已上门核实`)).toEqual([expect.stringContaining(`已核实个案 ${inChat.number}`)]);
    expect(await doors.say(`案件 ${inChat.number} 转介 教育 请教育部门劝返`)).toEqual([expect.stringContaining(inChat.number)]);

    const token = await tokenFor(doors.database.db, 'director', '880101001001');
    const verify = await doors.api.call('POST', `/cases/${inApi.number}/steps`, { token, body: { action: 'verify', note: '已上门核实' } });
    expect(verify.status).toBe(201);
    const refer = await doors.api.call('POST', `/cases/${inApi.number}/steps`, { token, body: { action: 'refer', department: 'education', note: '请教育部门劝返' } });
    expect(refer.status).toBe(201);

    const byChat = await storedCase(doors.database.db, inChat.id);
    expect(byChat.report).toMatchObject({ state: 'referred', department: 'education' });
    expect(byChat.steps.map((step) => step.toState)).toEqual(['reported', 'verified', 'referred']);
    expect(byChat.audit.length).toBeGreaterThanOrEqual(2);
    expect(byChat).toEqual(await storedCase(doors.database.db, inApi.id));
  });
});
