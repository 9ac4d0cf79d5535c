import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { saveAttachment } from '../../src/store/messaging/attachments';
import { exportLedger } from '../../src/exports/ledgerExport';
import { LEDGERS } from '../../src/store/ledgers';
import { areaByCode } from '../../src/store/ledgers/areas';
import { findCase, listCases } from '../../src/store/cases/cases';
import { applyRetention } from '../../src/store/privacy/retention';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const NOW = new Date('2026-11-30T02:00:00Z');
const ATTACHMENTS = mkdtempSync(path.join(os.tmpdir(), 'retention-attachments-'));
const PERIODS = { childYears: 3, messageDays: 30, caseDays: 365, attachmentDir: ATTACHMENTS };
afterAll(() => rmSync(ATTACHMENTS, { recursive: true, force: true }));
const OPTIONS = { now: NOW, timeZone: 'Asia/Shanghai', periods: 2 };
const DAY = 86_400_000;

async function exportAll(database: TestDatabase): Promise<string> {
  const texts: string[] = [];
  for (const ledger of LEDGERS) {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await exportLedger({ db: database.db, ledger, scope: (await areaByCode(database.db, '880101'))!, options: OPTIONS, format: 'csv', out });
    texts.push(Buffer.concat(chunks).toString('utf8'));
  }
  return texts.join('\n');
}

/** Every text column of every table, as stored. */
async function everyTable(database: TestDatabase): Promise<string> {
  const tables = ['Child', 'Report', 'CaseStep', 'RiskAssessment', 'CareRoom', 'InboxMessage', 'OutboxMessage'];
  const rows = await Promise.all(tables.map((table) => database.db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table}"`)));
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value));
}

describeEachEngine('retention on a fake clock', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  let grownUpId: number;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
    // Turned 18 on 2023-03-01: three years ago by NOW.
    const grownUp = await database.db.child.create({
      data: { name: '周大伟', birthDate: '2005-03-01', areaId: village.villageId, familySituation: '母亲重病卧床', healthStatus: '抑郁症' },
    });
    grownUpId = grownUp.id;
    const report = await database.db.report.create({
      data: {
        number: 'TV-2022-0001',
        areaId: village.villageId,
        childId: grownUp.id,
        subjectName: '周大伟',
        type: 'abuse_or_injury',
        severity: 'urgent',
        source: 'director',
        description: '周大伟说父亲酒后打人',
        steps: { create: { toState: 'reported', at: new Date('2022-05-01T00:00:00Z'), note: '周大伟已转移到姑姑家' } },
      },
    });
    await database.db.riskAssessment.create({
      data: { childId: grownUp.id, round: '2022Q2', level: 'high', note: '周大伟情绪低落', assessorId: village.directorId, assessedAt: new Date('2022-06-01T00:00:00Z') },
    });
    await database.db.inboxMessage.create({
      data: { channel: 'http', botAccount: 'b', platformMessageId: 'old', fromExternalId: 'p', fromName: '周父', text: '举报 周大伟被打', receivedAt: new Date(NOW.getTime() - 40 * DAY), status: 'handled' },
    });
    await database.db.inboxMessage.create({
      data: { channel: 'http', botAccount: 'b', platformMessageId: 'new', fromExternalId: 'p', text: '本周已联系', receivedAt: new Date(NOW.getTime() - DAY), status: 'handled' },
    });
    await database.db.outboxMessage.create({ data: { channel: 'http', botAccount: 'b', address: 'p', text: '已收到关于周大伟的报告', status: 'sent', createdAt: new Date(NOW.getTime() - 40 * DAY) } });
    // The grown-up's case has a photo of its own and one also attached to the younger child's case; an old message carried a voice note.
    const save = (data: string) => saveAttachment(ATTACHMENTS, { kind: 'image', name: `${data}.jpg`, data: Buffer.from(`${engine}:${data}`) }, database.keyring);
    [ownPhoto, sharedPhoto, voiceNote] = [await save('own'), await save('shared'), await save('voice')];
    const youngReport = await database.db.report.create({
      data: { number: 'TV-2026-0002', areaId: village.villageId, childId: village.childId, type: 'abuse_or_injury', severity: 'high', source: 'director', description: '另一件事' },
    });
    for (const [reportId, photo] of [[report.id, ownPhoto], [report.id, sharedPhoto], [youngReport.id, sharedPhoto]] as const) {
      await database.db.reportAttachment.create({ data: { reportId, kind: photo.kind, path: photo.path, sha256: photo.sha256, size: photo.size } });
    }
    await database.db.inboxMessage.create({
      data: { channel: 'http', botAccount: 'b', platformMessageId: 'voice', fromExternalId: 'p', text: '', attachmentKind: 'audio', attachmentPath: voiceNote.path, receivedAt: new Date(NOW.getTime() - 40 * DAY), status: 'handled' },
    });
  });
  let ownPhoto: Awaited<ReturnType<typeof saveAttachment>>;
  let sharedPhoto: typeof ownPhoto;
  let voiceNote: typeof ownPhoto;
  const onDisk = (file: { path: string }) => existsSync(path.join(ATTACHMENTS, file.path));
  afterEach(() => database.drop());

  it('anonymises a child who turned 18 three years ago in every table and export, keeps the others, and keeps the ledger counts', async () => {
    const countsBefore = {
      children: await database.db.child.count(),
      reports: await database.db.report.groupBy({ by: ['type', 'state'], _count: true }),
      inbox: await database.db.inboxMessage.count(),
      outbox: await database.db.outboxMessage.count(),
    };
    expect(await exportAll(database)).toContain('周大伟');

    const dryRun = await applyRetention(database.db, PERIODS, NOW, { dryRun: true });
    expect(dryRun).toEqual({ childrenAnonymised: 1, casesArchived: 0, inboxTextsPurged: 1, outboxTextsPurged: 1, attachmentsDeleted: 2 });
    expect([onDisk(ownPhoto), onDisk(voiceNote)]).toEqual([true, true]);
    expect(await everyTable(database)).toContain('周大伟');

    expect(await applyRetention(database.db, PERIODS, NOW, { dryRun: false })).toEqual(dryRun);
    // The case's own photo and the purged message's voice note are gone from disk; the photo another case keeps is not.
    expect([onDisk(ownPhoto), onDisk(voiceNote), onDisk(sharedPhoto)]).toEqual([false, false, true]);
    expect(await database.db.reportAttachment.count()).toBe(1);

    expect(await everyTable(database)).not.toContain('周大伟');
    expect(await exportAll(database)).not.toContain('周大伟');
    const child = await database.db.child.findUniqueOrThrow({ where: { id: grownUpId } });
    expect(child).toMatchObject({ name: `已匿名${grownUpId}`, birthDate: '2005-01-01', familySituation: null, healthStatus: null, anonymisedAt: NOW });
    const young = await database.db.child.findUniqueOrThrow({ where: { id: village.childId } });
    expect(young.name).toBe('张小明');
    expect((await database.db.inboxMessage.findUniqueOrThrow({ where: { channel_platformMessageId: { channel: 'http', platformMessageId: 'new' } } })).text).toBe('本周已联系');

    expect({
      children: await database.db.child.count(),
      reports: await database.db.report.groupBy({ by: ['type', 'state'], _count: true }),
      inbox: await database.db.inboxMessage.count(),
      outbox: await database.db.outboxMessage.count(),
    }).toEqual(countsBefore);

    expect(await applyRetention(database.db, PERIODS, NOW, { dryRun: true })).toEqual({ childrenAnonymised: 0, casesArchived: 0, inboxTextsPurged: 0, outboxTextsPurged: 0, attachmentsDeleted: 0 });
  });

  it('archives cases a year after they were closed or dismissed: out of the case lists, still readable and counted', async () => {
    const closed = async (number: string, state: 'closed' | 'dismissed', daysAgo: number) =>
      database.db.report.create({
        data: { number, areaId: village.villageId, childId: village.childId, type: 'abuse_or_injury', severity: 'high', source: 'director', description: '已处理', state, closedAt: new Date(NOW.getTime() - daysAgo * DAY) },
      });
    await closed('TV-2025-0010', 'closed', 400);
    await closed('TV-2025-0011', 'dismissed', 366);
    await closed('TV-2026-0012', 'closed', 300);
    const area = (await areaByCode(database.db, '880101'))!;
    // No child is old enough to be anonymised here: the ledgers then read exactly as before.
    const periods = { ...PERIODS, childYears: 100 };
    const ledgerBefore = await exportAll(database);
    const viewer = { role: 'officer', areaPath: area.path };
    const list = (archived?: boolean) => listCases(database.db, { within: area, now: NOW, limit: 50, archived }, viewer).then((rows) => rows.map((row) => row.number));

    expect((await applyRetention(database.db, periods, NOW, { dryRun: true })).casesArchived).toBe(2);
    expect(await list()).toEqual(['TV-2022-0001', 'TV-2026-0002', 'TV-2025-0010', 'TV-2025-0011', 'TV-2026-0012']);
    expect((await applyRetention(database.db, periods, NOW, { dryRun: false })).casesArchived).toBe(2);
    expect(await list()).toEqual(['TV-2022-0001', 'TV-2026-0002', 'TV-2026-0012']);
    expect(await list(true)).toEqual(['TV-2025-0010', 'TV-2025-0011']);
    expect((await database.db.$transaction((tx) => findCase(tx, { number: 'TV-2025-0010' }, { kind: 'token', tokenId: 1, role: 'officer_district', areaPath: area.path }, NOW)))?.archivedAt).toEqual(NOW);
    // The ledgers count what happened, archived or not.
    expect(await exportAll(database)).toBe(ledgerBefore);
    // The year after, the case closed 300 days ago goes too; nothing is archived twice.
    expect((await applyRetention(database.db, periods, new Date(NOW.getTime() + 100 * DAY), { dryRun: false })).casesArchived).toBe(1);
  });

  it('anonymises a child archived (left the area) three years ago', async () => {
    await database.db.child.update({ where: { id: village.childId }, data: { archivedAt: new Date(NOW.getTime() - 3.1 * 365 * DAY) } });
    await applyRetention(database.db, PERIODS, NOW, { dryRun: false });
    expect((await database.db.child.findUniqueOrThrow({ where: { id: village.childId } })).name).toBe(`已匿名${village.childId}`);
  });
});
