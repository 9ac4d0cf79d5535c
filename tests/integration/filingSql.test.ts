import { DateTime } from 'luxon';
import { DEFAULT_DEADLINE_HOURS, verifyDueAt } from '../../src/domain/caseDeadlines';
import { inCanonicalOrder } from '../../src/domain/auditChain';
import { sealAuditLog, verifyAuditChain } from '../../src/store/audit/auditChain';
import { personActor, recordAudit, type AuditEntry } from '../../src/store/audit/auditLog';
import { casePrefixOf, fileReport, reportAudience, type NewReport, type ReportAudience } from '../../src/store/cases/reports';
import type { Db, Prisma, Tx } from '../../src/store/db/database';
import { endDialog } from '../../src/store/messaging/chatDialogs';
import { villageChildren, type ChildToPick } from '../../src/store/registry/linkedPeople';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

// Report filing's raw statements (BENCHMARKS.md "Report filing, raw"), each run beside its typed
// twin, the Prisma code it replaced, on the same rows: they must read and write the same.
const NOW = new Date('2026-11-04T04:00:00.000Z');

const typed = {
  villageChildren: (tx: Tx, villageId: number, name?: string): Promise<ChildToPick[]> =>
    tx.child.findMany({
      where: { areaId: villageId, archivedAt: null, ...(name === undefined ? {} : { name }) },
      select: { id: true, name: true, areaId: true, birthDate: true, gender: true },
      orderBy: [{ birthDate: 'asc' }, { id: 'asc' }],
    }),
  async casePrefixOf(tx: Tx, areaId: number): Promise<string> {
    const area = await tx.area.findUniqueOrThrow({ where: { id: areaId }, select: { path: true } });
    const codes = area.path.split('/').filter(Boolean);
    const withPrefix = await tx.area.findMany({ where: { code: { in: codes }, casePrefix: { not: null } }, select: { path: true, casePrefix: true } });
    return withPrefix.sort((a, b) => b.path.length - a.path.length)[0]?.casePrefix ?? 'SW';
  },
  async recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
    const detail: Prisma.InputJsonObject = inCanonicalOrder({ ...(entry.before === undefined ? {} : { before: entry.before }), ...(entry.after === undefined ? {} : { after: entry.after }) });
    await tx.auditLog.create({ data: { at: entry.at, actor: entry.actor, action: entry.action, subjectType: entry.subjectType, subjectId: String(entry.subjectId), detail } });
  },
  async fileReport(tx: Tx, input: NewReport): Promise<{ id: number; number: string }> {
    const prefix = await typed.casePrefixOf(tx, input.areaId);
    const year = DateTime.fromJSDate(input.now, { zone: input.timeZone }).year;
    const sequence = await tx.caseNumberSequence.upsert({ where: { prefix_year: { prefix, year } }, create: { prefix, year, last: 1 }, update: { last: { increment: 1 } } });
    const number = `${prefix}-${year}-${String(sequence.last).padStart(6, '0')}`;
    const dueAt = verifyDueAt(input.severity, input.now, input.deadlines ?? DEFAULT_DEADLINE_HOURS);
    const attachments = input.attachments ?? [];
    const report = await tx.report.create({
      data: {
        number, childId: input.childId, subjectName: input.subjectName ?? null, areaId: input.areaId, type: input.type, severity: input.severity, suspected: input.suspected ?? false,
        description: input.description, actionsTaken: input.actionsTaken ?? null, source: input.source, reporterId: input.reporterId, dueAt, reportedAt: input.now, stateSince: input.now,
        steps: { create: { toState: 'reported', actorId: input.reporterId, actorLabel: input.reporterId === null ? 'system' : null, at: input.now, dueAt } },
        attachments: { create: attachments.map((file) => ({ kind: file.kind, path: file.path, sha256: file.sha256, size: file.size, mimeType: file.mimeType, createdAt: input.now })) },
      },
      select: { id: true, number: true },
    });
    await typed.recordAudit(tx, {
      at: input.now, actor: input.reporterId === null ? 'system' : personActor(input.reporterId), action: 'case.file', subjectType: 'Report', subjectId: report.id,
      after: { number, childId: input.childId, type: input.type, severity: input.severity, suspected: input.suspected ?? false, source: input.source, attachments: attachments.length },
    });
    return report;
  },
  async reportAudience(tx: Tx, villageId: number): Promise<ReportAudience> {
    const village = await tx.area.findUniqueOrThrow({ where: { id: villageId }, select: { name: true, parentId: true, path: true } });
    const ids = (rows: Array<{ id: number }>) => rows.map((row) => row.id);
    const directors = await tx.person.findMany({ where: { role: 'director', areaId: villageId }, orderBy: { id: 'asc' }, select: { id: true } });
    const townshipOfficers = village.parentId === null ? [] : await tx.person.findMany({ where: { role: 'officer', areaId: village.parentId }, orderBy: { id: 'asc' }, select: { id: true } });
    const hotline = await tx.person.findMany({ where: { role: 'hotline', area: { code: { in: village.path.split('/').filter(Boolean) } } }, orderBy: { id: 'asc' }, select: { id: true } });
    return { villageName: village.name, directors: ids(directors), townshipOfficers: ids(townshipOfficers), hotline: ids(hotline) };
  },
  endDialog: (tx: Tx, personId: number, kind: string) => tx.chatDialog.deleteMany({ where: { personId, kind } }).then(() => undefined),
};

describeEachEngine('report filing in raw SQL, beside its typed twin', (engine) => {
  let database: TestDatabase;
  let db: Db;
  let village: TestVillage;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    db = database.db;
    village = await createVillage(db, NOW);
  });
  afterEach(() => database.drop());

  const person = (name: string, role: 'director' | 'officer' | 'hotline' | 'parent', areaId: number) => db.person.create({ data: { name, role, areaId } }).then((row) => row.id);

  it('reads a village’s children, all or of one name, eldest first, as the typed client does', async () => {
    for (const [name, birthDate, archived] of [['王小红', '2015-03-01', false], ['王小红', '2012-07-01', false], ['王小红', '2012-07-01', false], ['李小刚', '2014-01-01', false], ['王小红', '2010-01-01', true]] as const) {
      await db.child.create({ data: { name, birthDate, areaId: village.villageId, archivedAt: archived ? NOW : null, gender: name === '李小刚' ? 'male' : null } });
    }
    for (const name of [undefined, '王小红', '李小刚', '张小明', '没有']) {
      const raw = await db.$transaction((tx) => villageChildren(tx, village.villageId, name));
      expect(raw).toEqual(await db.$transaction((tx) => typed.villageChildren(tx, village.villageId, name)));
    }
    expect((await db.$transaction((tx) => villageChildren(tx, village.villageId, '王小红'))).map((child) => child.birthDate)).toEqual(['2012-07-01', '2012-07-01', '2015-03-01']);
    expect(await db.$transaction((tx) => villageChildren(tx, village.townshipId))).toEqual([]);
  });

  it('finds the nearest case prefix above an area as the typed client does', async () => {
    const both = async (areaId: number) => [await db.$transaction((tx) => casePrefixOf(tx, areaId)), await db.$transaction((tx) => typed.casePrefixOf(tx, areaId))];
    expect(await both(village.villageId)).toEqual(['TV', 'TV']);
    await db.area.update({ where: { id: village.townshipId }, data: { casePrefix: 'TZ' } });
    expect(await both(village.villageId)).toEqual(['TZ', 'TZ']);
    expect(await both(village.districtId)).toEqual(['TV', 'TV']);
    await db.area.updateMany({ data: { casePrefix: null } });
    expect(await both(village.villageId)).toEqual(['SW', 'SW']);
  });

  it('files reports, their first steps, attachments and audit entries as the typed client does, numbering on from each other', async () => {
    const reporter = await person('王主任', 'director', village.villageId);
    const base = { childId: village.childId, areaId: village.villageId, now: NOW, timeZone: 'Asia/Shanghai' } as const;
    const inputs: NewReport[] = [
      { ...base, type: 'guardianship_gap', severity: 'normal', description: '孩子近一周放学后不愿回家', source: 'director', reporterId: reporter },
      { ...base, type: 'abuse_or_injury', severity: 'urgent', suspected: true, description: '手臂有伤', actionsTaken: '已送医', source: 'teacher', reporterId: reporter,
        attachments: [{ kind: 'image', path: 'ab/cd', sha256: 'ef', size: 1234, mimeType: 'image/jpeg' }, { kind: 'audio', path: 'gh/ij', sha256: 'kl', size: 10, mimeType: null }] },
      { ...base, childId: null, subjectName: '外村孩子', type: 'contact_gap', severity: 'high', description: '', actionsTaken: '', source: 'system', reporterId: null, deadlines: { urgent: { verify: 1, refer: 2 }, high: { verify: 2, refer: 4 }, normal: { verify: 3, refer: 6 } } },
    ];
    const numbers: string[] = [];
    for (const input of inputs) {
      const raw = await db.$transaction((tx) => fileReport(tx, input));
      const twin = await db.$transaction((tx) => typed.fileReport(tx, input));
      numbers.push(raw.number, twin.number);
      const reports = await db.report.findMany({ where: { id: { in: [raw.id, twin.id] } }, orderBy: { id: 'asc' }, omit: { id: true, number: true, updatedAt: true }, include: {
        steps: { omit: { id: true, reportId: true } },
        attachments: { omit: { id: true, reportId: true }, orderBy: { id: 'asc' } },
      } });
      expect(reports[0]).toEqual(reports[1]);
      expect(reports[0]).toEqual(expect.objectContaining({ state: 'reported', escalations: 0, description: input.description, actionsTaken: input.actionsTaken ?? null, suspected: input.suspected ?? false }));
      // sealed alike at rest
      const stored = await db.$queryRaw<Array<{ description: string; actionsTaken: string | null }>>`SELECT "description", "actionsTaken" FROM "Report" WHERE "id" IN (${raw.id}, ${twin.id}) ORDER BY "id"`;
      const shape = (row: { description: string; actionsTaken: string | null }) => [row.description.slice(0, 4), row.actionsTaken?.slice(0, 4) ?? null];
      expect(shape(stored[0]!)).toEqual(shape(stored[1]!));
      const audits = await db.auditLog.findMany({ where: { subjectType: 'Report', subjectId: { in: [String(raw.id), String(twin.id)] } }, orderBy: { id: 'asc' }, omit: { id: true, subjectId: true } });
      const withoutNumber = (detail: unknown) => ({ ...(detail as { after: object }), after: { ...(detail as { after: object }).after, number: undefined } });
      expect(audits.map((audit) => ({ ...audit, detail: withoutNumber(audit.detail) }))).toEqual([audits[0], audits[0]].map((audit) => ({ ...audit!, detail: withoutNumber(audit!.detail) })));
    }
    expect(numbers).toEqual(['TV-2026-000001', 'TV-2026-000002', 'TV-2026-000003', 'TV-2026-000004', 'TV-2026-000005', 'TV-2026-000006']);
    expect(await db.caseNumberSequence.findMany()).toEqual([{ prefix: 'TV', year: 2026, last: 6 }]);
  });

  it('writes audit entries as the typed client does, stored alike and sealed into one unbroken chain', async () => {
    const entries: AuditEntry[] = [
      { at: NOW, actor: 'person:7', action: 'case.verify', subjectType: 'Report', subjectId: 12, before: { state: 'reported' }, after: { state: 'verified', note: '已核实', z: 1, a: [2, { y: null, b: true }] } },
      { at: NOW, actor: 'cli', action: 'export.children', subjectType: 'Area', subjectId: '420100' },
      { at: new Date('2026-11-04T04:00:00.123Z'), actor: 'system', action: 'child.update', subjectType: 'Child', subjectId: 3, after: { 名字: '王小红', n: 1.5 } },
    ];
    for (const entry of entries) {
      await db.$transaction((tx) => recordAudit(tx, entry));
      await db.$transaction((tx) => typed.recordAudit(tx, entry));
    }
    await recordAudit(db, entries[1]!);
    await typed.recordAudit(db, entries[1]!);
    const rows = await db.auditLog.findMany({ orderBy: { id: 'asc' }, omit: { id: true } });
    expect(rows.filter((_, index) => index % 2 === 0)).toEqual(rows.filter((_, index) => index % 2 === 1));
    const texts = await db.$queryRaw<Array<{ detail: string }>>`SELECT CAST("detail" AS TEXT) AS "detail" FROM "AuditLog" ORDER BY "id"`;
    expect(texts.filter((_, index) => index % 2 === 0)).toEqual(texts.filter((_, index) => index % 2 === 1));
    await sealAuditLog(db, { instance: 'test', now: NOW, leaseMs: 60_000, batchSize: 100 });
    expect(await verifyAuditChain(database, { batchSize: 100 })).toEqual(expect.objectContaining({ checked: rows.length, unsealed: 0, break: null }));
  });

  it('reads who hears of a report as the typed client does', async () => {
    const directors = [await person('主任乙', 'director', village.villageId), await person('主任甲', 'director', village.villageId)];
    await person('别村主任', 'director', village.townshipId);
    const officers = [await person('镇干部', 'officer', village.townshipId), await person('镇干部二', 'officer', village.townshipId)];
    await person('区干部', 'officer', village.districtId);
    const hotline = [await person('区热线', 'hotline', village.districtId), await person('村热线', 'hotline', village.villageId)];
    const other = await db.area.create({ data: { code: '990101', name: '别区', level: 'district', path: '/990101/' } });
    await person('别区热线', 'hotline', other.id);
    await person('家长', 'parent', village.villageId);
    for (const areaId of [village.villageId, village.townshipId, village.districtId, other.id]) {
      expect(await db.$transaction((tx) => reportAudience(tx, areaId))).toEqual(await db.$transaction((tx) => typed.reportAudience(tx, areaId)));
    }
    expect(await db.$transaction((tx) => reportAudience(tx, village.villageId))).toEqual({
      villageName: '测试村', directors: [village.directorId, ...directors], townshipOfficers: officers, hotline,
    });
    expect(await db.$transaction((tx) => reportAudience(tx, village.districtId))).toEqual({ villageName: '测试区', directors: [], townshipOfficers: [], hotline: [hotline[0]] });
  });

  it('ends a dialog as the typed client does', async () => {
    const parent = await person('家长', 'parent', village.villageId);
    const dialog = (personId: number, kind: string) => db.chatDialog.create({ data: { personId, kind, step: 'child', data: {}, expiresAt: NOW } });
    const left = () => db.chatDialog.findMany({ orderBy: [{ personId: 'asc' }, { kind: 'asc' }], select: { personId: true, kind: true } });
    for (const [end, other] of [[endDialog, typed.endDialog], [typed.endDialog, endDialog]]) {
      await db.chatDialog.deleteMany();
      for (const personId of [village.directorId, parent]) for (const kind of ['report', 'undo']) await dialog(personId, kind);
      await db.$transaction((tx) => end!(tx, village.directorId, 'report'));
      await db.$transaction((tx) => end!(tx, village.directorId, 'none'));
      const afterOne = await left();
      await db.chatDialog.deleteMany();
      for (const personId of [village.directorId, parent]) for (const kind of ['report', 'undo']) await dialog(personId, kind);
      await db.$transaction((tx) => other!(tx, village.directorId, 'report'));
      await db.$transaction((tx) => other!(tx, village.directorId, 'none'));
      expect(afterOne).toEqual(await left());
      expect(afterOne).toEqual([{ personId: village.directorId, kind: 'undo' }, { personId: parent, kind: 'report' }, { personId: parent, kind: 'undo' }]);
    }
  });
});
