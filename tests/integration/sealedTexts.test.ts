import { readFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAttachment, saveAttachment } from '../../src/store/messaging/attachments';
import { recordInbound, claimInbound, markInboundFailed } from '../../src/store/messaging/inbox';
import { rotateTextKeys, textKeyUses } from '../../src/store/crypto/keyRotation';
import { outboxForAddress, queueMessage, queuePromptsOnce, queueSealedPromptsOnce, sealPrompts } from '../../src/store/messaging/outbox';
import { applyRetention } from '../../src/store/privacy/retention';
import { fileKeyIdOf } from '../../src/store/crypto/textKeyring';
import { openDatabase, type Database } from '../../src/store/db/database';
import { TextKeyring, textKeyId } from '../../src/store/crypto/textKeyring';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

const DESCRIPTION = '孩子说继父晚上打他，背上有淤青';
const STEP_NOTE = '已联系派出所民警上门核实';
const FAMILY = '父亲服刑，母亲外出务工';
const DAY = 86_400_000;

async function fileReport(db: Database['db'], village: TestVillage, number: string, description = DESCRIPTION) {
  return db.report.create({
    data: {
      number,
      areaId: village.villageId,
      childId: village.childId,
      type: 'abuse_or_injury',
      severity: 'urgent',
      source: 'director',
      description,
      actionsTaken: '已送医',
      steps: { create: { toState: 'reported', actorId: village.directorId, at: new Date(), note: STEP_NOTE } },
    },
  });
}

/** Every stored value of the sealed columns, exactly as the database holds them. */
async function storedTexts(database: TestDatabase): Promise<string[]> {
  const reports = await database.db.$queryRawUnsafe<Array<{ description: string; actionsTaken: string | null }>>('SELECT "description", "actionsTaken" FROM "Report"');
  const steps = await database.db.$queryRawUnsafe<Array<{ note: string | null }>>('SELECT "note" FROM "CaseStep"');
  const children = await database.db.$queryRawUnsafe<Array<{ familySituation: string | null }>>('SELECT "familySituation" FROM "Child"');
  return [...reports.flatMap((row) => [row.description, row.actionsTaken]), ...steps.map((row) => row.note), ...children.map((row) => row.familySituation)].filter(
    (value): value is string => value !== null,
  );
}

describeEachEngine('sensitive texts at rest', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
  });
  afterEach(() => database.drop());

  it('keeps a report, its case step and a family situation sealed in the database, and gives them back clear through the store', async () => {
    const report = await fileReport(database.db, village, 'TV-2026-0001');
    await database.db.child.update({ where: { id: village.childId }, data: { familySituation: FAMILY } });

    const read = await database.db.report.findUniqueOrThrow({ where: { id: report.id }, include: { steps: true, child: true } });
    expect(read.description).toBe(DESCRIPTION);
    expect(read.steps[0]!.note).toBe(STEP_NOTE);
    expect(read.child!.familySituation).toBe(FAMILY);
    expect(read.child!.name).toBe('张小明');

    const stored = await storedTexts(database);
    expect(stored).toHaveLength(4);
    for (const value of stored) expect(value).toMatch(new RegExp(`^st1:${database.keyring.currentId}:`));
    expect(stored.join('\n')).not.toContain('淤青');

    if (engine === 'sqlite') {
      await database.db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
      const file = database.target.engine === 'sqlite' ? database.target.file : '';
      const bytes = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
      expect(bytes.includes(Buffer.from('淤青'))).toBe(false);
      expect(bytes.includes(Buffer.from('张小明'))).toBe(true);
    }
  });

  it('seals clear values from before encryption, moves every value to a new key, and then no longer needs the old one', async () => {
    for (let index = 1; index <= 7; index += 1) await fileReport(database.db, village, `TV-2026-${String(index).padStart(4, '0')}`, `${DESCRIPTION} ${index}`);
    // A value written before this version: clear in the column.
    await database.db.$executeRawUnsafe(`UPDATE "Child" SET "familySituation" = '${FAMILY}'`);

    const newKey = randomBytes(32);
    const rotating = new TextKeyring([newKey, database.dataKey]);
    const client = await openDatabase(database.target, rotating);
    try {
      const seen: number[] = [];
      const result = await rotateTextKeys(client.db, rotating, { batchSize: 3, now: new Date('2026-11-01T00:00:00Z'), onProgress: ({ done }) => seen.push(done) });
      expect(result.resealed).toBe(7 + 7 + 1);
      expect(seen.length).toBeGreaterThan(3);

      const uses = await textKeyUses(client.db, rotating, { now: new Date('2026-11-02T00:00:00Z'), backupRetentionDays: 90 });
      expect(uses.clear).toBe(0);
      expect(uses.keys).toEqual([
        { id: textKeyId(newKey), current: true, values: 7 * 3 + 1, unusedSince: null, retirable: false },
        { id: textKeyId(database.dataKey), current: false, values: 0, unusedSince: new Date('2026-11-01T00:00:00Z'), retirable: false },
      ]);
      const later = await textKeyUses(client.db, rotating, { now: new Date(Date.parse('2026-11-01T00:00:00Z') + 90 * DAY), backupRetentionDays: 90 });
      expect(later.keys[1]!.retirable).toBe(true);
    } finally {
      await client.close();
    }

    const newOnly = await openDatabase(database.target, new TextKeyring([newKey]));
    try {
      const reports = await newOnly.db.report.findMany({ orderBy: { id: 'asc' }, include: { steps: true } });
      expect(reports.map((report) => report.description)).toEqual([1, 2, 3, 4, 5, 6, 7].map((index) => `${DESCRIPTION} ${index}`));
      expect(reports.every((report) => report.steps[0]!.note === STEP_NOTE && report.actionsTaken === '已送医')).toBe(true);
      expect((await newOnly.db.child.findUniqueOrThrow({ where: { id: village.childId } })).familySituation).toBe(FAMILY);
    } finally {
      await newOnly.close();
    }
  });
});

describeEachEngine('chat messages and attachments at rest', (engine) => {
  let database: TestDatabase;
  let attachmentDir: string;
  const NOW = new Date('2026-11-02T08:00:00Z');
  const to = { channel: 'http', botAccount: 'default', address: 'tel:1', isRoom: false };
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    attachmentDir = mkdtempSync(path.join(os.tmpdir(), 'sealed-attachments-'));
  });
  afterEach(async () => {
    await database.drop();
    rmSync(attachmentDir, { recursive: true, force: true });
  });

  /** An inbound message, an answer, a keyed alert and a batch prompt, as the service writes them. */
  async function writeMessages(db: Database['db']): Promise<number> {
    const inbound = await recordInbound(db, { channel: 'http', botAccount: 'default', platformMessageId: 'm1', from: { externalId: 'tel:1' }, text: `情况 ${DESCRIPTION}`, receivedAt: NOW });
    await db.$transaction(async (tx) => {
      await queueMessage(tx, to, '已记录，儿童主任会尽快处理。', { now: NOW, inboxMessageId: inbound.id });
      await queueMessage(tx, to, { key: 'case.urgent', params: { child: '张小明', summary: DESCRIPTION }, text: `紧急：张小明 ${DESCRIPTION}` }, { now: NOW, urgent: true });
    });
    await queuePromptsOnce(db, engine, [{ to, text: { key: 'contact.reminder', params: { child: '张小明' }, text: '本周还没有和张小明联系' }, dedupeKey: 'p1' }], NOW);
    return inbound.id;
  }

  async function storedMessageValues(): Promise<string> {
    const inbox = await database.db.$queryRawUnsafe<unknown[]>('SELECT "text" FROM "InboxMessage"');
    const outbox = await database.db.$queryRawUnsafe<unknown[]>('SELECT "text", "params" FROM "OutboxMessage"');
    return JSON.stringify([inbox, outbox]);
  }

  it('keeps inbound and outbound texts and template parameters sealed, and gives them back clear', async () => {
    const inboxId = await writeMessages(database.db);
    const stored = await storedMessageValues();
    for (const clear of ['淤青', '张小明', '已记录', '本周']) expect(stored).not.toContain(clear);

    const claimed = await database.db.$transaction((tx) => claimInbound(tx, inboxId, NOW));
    expect(claimed?.text).toBe(`情况 ${DESCRIPTION}`);
    const sent = await outboxForAddress(database.db, { channel: 'http', address: 'tel:1', after: 0, limit: 10 });
    expect(sent.map((message) => [message.text, message.params])).toEqual([
      ['已记录，儿童主任会尽快处理。', null],
      [`紧急：张小明 ${DESCRIPTION}`, { child: '张小明', summary: DESCRIPTION }],
      ['本周还没有和张小明联系', { child: '张小明' }],
    ]);
  });

  it('seals a job\'s batch of prompts, large enough to be sealed off the service\'s thread, and gives each back clear in order', async () => {
    const prompts = Array.from({ length: 300 }, (_, index) => ({
      to: { ...to, address: `tel:${index % 3}` },
      text: index % 2 === 0 ? { key: 'contact.reminder', params: { child: `张小明${index}` }, text: `本周还没有和张小明${index}联系` } : `张伟您好，张小明${index}的寒假1月20日开始`,
      dedupeKey: `batch:${index}`,
    }));
    expect(await queueSealedPromptsOnce(database.db, engine, await sealPrompts(database.db, prompts), NOW)).toBe(300);
    expect(await storedMessageValues()).not.toContain('张小明');
    const sent = await outboxForAddress(database.db, { channel: 'http', address: 'tel:1', after: 0, limit: 200 });
    const expected = prompts.filter((prompt) => prompt.to.address === 'tel:1');
    expect(sent.map((message) => [message.text, message.params])).toEqual(
      expected.map(({ text }) => (typeof text === 'string' ? [text, null] : [text.text, text.params])),
    );
  });

  it('moves messages, parameters written in clear before this version, and attachment files to a new key; retention still purges texts', async () => {
    await writeMessages(database.db);
    // Rows and a file from before this version: clear text, clear JSON parameters, a clear file.
    await database.db.$executeRawUnsafe(`UPDATE "OutboxMessage" SET "text" = '旧的提醒', "params" = ${engine === 'sqlite' ? `'{"child":"李小红"}'` : `'{"child":"李小红"}'::jsonb`} WHERE "dedupeKey" = 'p1'`);
    const photo = await saveAttachment(attachmentDir, { kind: 'image', name: 'a.jpg', mimeType: 'image/jpeg', data: Buffer.from('PHOTO-1') }, database.keyring);
    const oldFile = path.join(attachmentDir, 'ab', 'old.jpg');
    await import('node:fs/promises').then(async (fs) => {
      await fs.mkdir(path.dirname(oldFile), { recursive: true });
      await fs.writeFile(oldFile, 'CLEAR-PHOTO');
    });

    const newKey = randomBytes(32);
    const rotating = new TextKeyring([newKey, database.dataKey]);
    const client = await openDatabase(database.target, rotating);
    try {
      const before = await textKeyUses(client.db, rotating, { now: NOW, backupRetentionDays: 90, attachmentDir });
      expect(before.clear).toBe(3);
      await rotateTextKeys(client.db, rotating, { batchSize: 2, now: NOW, attachmentDir });
      const after = await textKeyUses(client.db, rotating, { now: NOW, backupRetentionDays: 90, attachmentDir });
      expect(after.clear).toBe(0);
      expect(after.keys.find((use) => !use.current)?.values).toBe(0);
    } finally {
      await client.close();
    }

    const newOnly = await openDatabase(database.target, new TextKeyring([newKey]));
    try {
      const sent = await outboxForAddress(newOnly.db, { channel: 'http', address: 'tel:1', after: 0, limit: 10 });
      expect(sent.map((message) => message.params)).toEqual([null, { child: '张小明', summary: DESCRIPTION }, { child: '李小红' }]);
      expect((await newOnly.db.inboxMessage.findFirstOrThrow()).text).toBe(`情况 ${DESCRIPTION}`);
      const ring = new TextKeyring([newKey]);
      expect(await readAttachment(attachmentDir, photo.path, ring)).toEqual(Buffer.from('PHOTO-1'));
      expect(await readAttachment(attachmentDir, path.join('ab', 'old.jpg'), ring)).toEqual(Buffer.from('CLEAR-PHOTO'));
      const files = readdirSync(attachmentDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      expect(files).toHaveLength(2);
      expect(stored(files.map((entry) => path.join(entry.parentPath, entry.name)))).toEqual([textKeyId(newKey), textKeyId(newKey)]);

      // Purged texts are '' (not a sealed empty text), so a second run finds nothing more.
      await newOnly.db.inboxMessage.updateMany({ data: { status: 'handled' } });
      await newOnly.db.outboxMessage.updateMany({ data: { status: 'sent' } });
      const later = new Date(NOW.getTime() + 31 * DAY);
      expect(await applyRetention(newOnly.db, { childYears: 3, messageDays: 30, caseDays: 365 }, later, { dryRun: false })).toMatchObject({ inboxTextsPurged: 1, outboxTextsPurged: 3 });
      expect(await applyRetention(newOnly.db, { childYears: 3, messageDays: 30, caseDays: 365 }, later, { dryRun: true })).toMatchObject({ inboxTextsPurged: 0, outboxTextsPurged: 0 });
    } finally {
      await newOnly.close();
    }
  });
});

describeEachEngine('referral texts, sender names and handling errors at rest', (engine) => {
  let database: TestDatabase;
  let village: TestVillage;
  const NOW = new Date('2026-11-02T08:00:00Z');
  const REQUEST = '请派出所核实继父的情况';
  const FEEDBACK = '民警已上门，继父已被训诫';
  const RETURNED = '不属于本部门职责，退回民政';
  const SENDER = '王秀英';
  const ERROR = `could not handle "情况 ${DESCRIPTION}"`;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    village = await createVillage(database.db);
  });
  afterEach(() => database.drop());

  /** A referral asked, answered and returned; an inbound message from a named sender whose handling failed. */
  async function write(db: Database['db']): Promise<{ referralId: number; inboxId: number }> {
    const report = await fileReport(db, village, 'TV-2026-0001');
    const referral = await db.referral.create({ data: { reportId: report.id, department: 'police', request: REQUEST, sentAt: NOW, dueAt: new Date(NOW.getTime() + 7 * DAY) } });
    await db.referral.updateMany({ where: { id: referral.id }, data: { feedback: FEEDBACK, returnReason: RETURNED } });
    const inbound = await recordInbound(db, { channel: 'http', botAccount: 'default', platformMessageId: 'm1', from: { externalId: 'tel:1', name: SENDER }, text: '情况', receivedAt: NOW });
    await markInboundFailed(db, inbound.id, ERROR, NOW);
    return { referralId: referral.id, inboxId: inbound.id };
  }

  const clearTexts = [REQUEST, FEEDBACK, RETURNED, SENDER, DESCRIPTION];

  it('keeps them sealed in the database file, gives them back clear, and moves them to a new key', async () => {
    const { referralId, inboxId } = await write(database.db);
    const stored = JSON.stringify([
      await database.db.$queryRawUnsafe('SELECT "request", "feedback", "returnReason" FROM "Referral"'),
      await database.db.$queryRawUnsafe('SELECT "fromName", "error" FROM "InboxMessage"'),
    ]);
    for (const clear of clearTexts) expect(stored).not.toContain(clear);
    if (engine === 'sqlite') {
      await database.db.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
      const file = database.target.engine === 'sqlite' ? database.target.file : '';
      const bytes = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
      for (const clear of clearTexts) expect(bytes.includes(Buffer.from(clear))).toBe(false);
    }

    const newKey = randomBytes(32);
    const rotating = new TextKeyring([newKey, database.dataKey]);
    const client = await openDatabase(database.target, rotating);
    try {
      await rotateTextKeys(client.db, rotating, { batchSize: 2, now: NOW });
      expect((await textKeyUses(client.db, rotating, { now: NOW, backupRetentionDays: 90 })).keys.find((use) => !use.current)?.values).toBe(0);
    } finally {
      await client.close();
    }
    const newOnly = await openDatabase(database.target, new TextKeyring([newKey]));
    try {
      expect(await newOnly.db.referral.findUniqueOrThrow({ where: { id: referralId }, select: { request: true, feedback: true, returnReason: true } })).toEqual({
        request: REQUEST,
        feedback: FEEDBACK,
        returnReason: RETURNED,
      });
      expect(await newOnly.db.inboxMessage.findUniqueOrThrow({ where: { id: inboxId }, select: { fromName: true, error: true } })).toEqual({ fromName: SENDER, error: ERROR });
    } finally {
      await newOnly.close();
    }
  });
});

function stored(files: string[]): Array<string | null> {
  return files.map((file) => fileKeyIdOf(readFileSync(file)));
}
