import { canonicalJson } from '../../src/domain/auditChain';
import { AuditSealer } from '../../src/jobs/auditSealer';
import { createLogger } from '../../src/log';
import { recordAudit } from '../../src/store/audit/auditLog';
import { sealAuditBatch, sealAuditLog, verifyAuditChain } from '../../src/store/audit/auditChain';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';

const AT = new Date('2026-11-02T08:00:00Z');
const seal = (database: TestDatabase, instance = 'instance-a', now = AT) => sealAuditLog(database.db, { instance, now, leaseMs: 10_000, batchSize: 4 });
const verify = (database: TestDatabase) => verifyAuditChain(database, { batchSize: 3 });

/** Ten entries, their details' keys deliberately unsorted (PostgreSQL's jsonb gives them back sorted its own way). */
async function writeEntries(database: TestDatabase, count = 10): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    await recordAudit(database.db, {
      at: new Date(AT.getTime() + i * 1000),
      actor: `token:${i}`,
      action: 'child.update',
      subjectType: 'Child',
      subjectId: i,
      before: { zeta: i, alpha: { nested: 'b', a: [3, 1] } },
      after: { school: '城关小学', grade: i },
    });
  }
}

const seqOfId = async (database: TestDatabase, seq: number) => (await database.db.auditLog.findUniqueOrThrow({ where: { seq } })).id;

describe('canonical encoding', () => {
  it('does not depend on the order of keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });
});

describeEachEngine('the audit hash chain', (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    await writeEntries(database);
    expect((await seal(database)).sealed).toBe(10);
  });
  afterEach(() => database.drop());

  it('verifies intact when nothing was touched, and seals later rows after the earlier ones', async () => {
    await writeEntries(database, 3);
    expect((await verify(database)).unsealed).toBe(3);
    expect((await seal(database)).head?.lastSeq).toBe(13);
    expect(await verify(database)).toEqual(expect.objectContaining({ checked: 13, unsealed: 0, break: null }));
  });

  it('names the altered row when a field of one is changed', async () => {
    const id = await seqOfId(database, 6);
    await database.db.$executeRawUnsafe(`UPDATE "AuditLog" SET "actor" = 'token:99' WHERE "id" = ${id}`);
    expect(await verify(database)).toEqual(expect.objectContaining({ checked: 5, break: { kind: 'altered', seq: 6, id } }));
  });

  it('names the altered row when its JSON detail is rewritten', async () => {
    const id = await seqOfId(database, 2);
    await database.db.auditLog.update({ where: { id }, data: { detail: { after: { school: '城关小学', grade: 3 } } } });
    expect((await verify(database)).break).toEqual({ kind: 'altered', seq: 2, id });
  });

  it('names the missing place when a row is deleted', async () => {
    const next = await seqOfId(database, 5);
    await database.db.auditLog.delete({ where: { seq: 4 } });
    expect(await verify(database)).toEqual(expect.objectContaining({ checked: 3, break: { kind: 'missing', seq: 4, beforeId: next } }));
  });

  it('notices the last rows deleted', async () => {
    await database.db.auditLog.deleteMany({ where: { seq: { gte: 9 } } });
    expect((await verify(database)).break).toEqual({ kind: 'truncated', lastSeq: 8, expectedLastSeq: 10 });
  });

  it('names the first moved row when two rows swap places', async () => {
    const [seven, eight] = [await seqOfId(database, 7), await seqOfId(database, 8)];
    await database.db.auditLog.update({ where: { id: seven }, data: { seq: -1 } });
    await database.db.auditLog.update({ where: { id: eight }, data: { seq: 7 } });
    await database.db.auditLog.update({ where: { id: seven }, data: { seq: 8 } });
    expect((await verify(database)).break).toEqual({ kind: 'altered', seq: 7, id: eight });
  });

  it('names the row whose time was moved to reorder it', async () => {
    const id = await seqOfId(database, 3);
    await database.db.auditLog.update({ where: { id }, data: { at: new Date(AT.getTime() - 60_000) } });
    expect((await verify(database)).break).toEqual({ kind: 'altered', seq: 3, id });
  });

  // Three workers take the seqs (0,4], (4,8] and (8,…): breaks inside a range, at its edges and at the end.
  it.each([
    ['nothing touched', async () => undefined],
    ['a row altered inside a range', async () => void (await database.db.$executeRawUnsafe(`UPDATE "AuditLog" SET "actor" = 'token:99' WHERE "seq" = 6`))],
    ['the last row of a range altered', async () => void (await database.db.$executeRawUnsafe(`UPDATE "AuditLog" SET "actor" = 'token:99' WHERE "seq" = 4`))],
    ['the last row of a range deleted', async () => void (await database.db.auditLog.delete({ where: { seq: 4 } }))],
    ['the first row of a range deleted', async () => void (await database.db.auditLog.delete({ where: { seq: 5 } }))],
    ['a whole range deleted', async () => void (await database.db.auditLog.deleteMany({ where: { seq: { gt: 4, lte: 8 } } }))],
    ['the rows from a range’s end on deleted', async () => void (await database.db.auditLog.deleteMany({ where: { seq: { gte: 8 } } }))],
    ['the head altered', async () => void (await database.db.auditChainHead.update({ where: { id: 1 }, data: { lastHash: 'f'.repeat(64) } }))],
  ])('gives the verdict of one walk when split across worker threads: %s', async (_case, tamper) => {
    await tamper();
    const walked = await verifyAuditChain(database, { batchSize: 3, workers: 1 });
    expect(await verifyAuditChain(database, { batchSize: 3, workers: 3 })).toEqual(walked);
  });

  it('is sealed by the service’s sealer, which logs the new head', async () => {
    await writeEntries(database, 3);
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    // The first instance's lease has run out by now.
    const sealer = new AuditSealer({ db: database.db, instanceId: 'service-1', logger, intervalMs: 1000, clock: () => new Date(AT.getTime() + 60_000) });
    expect(await sealer.sealOnce()).toBe(3);
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ sealed: 3, lastSeq: 13, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect((await verify(database)).break).toBeNull();
  });

  it('lets one instance seal at a time; another takes over once the lease has run out', async () => {
    await writeEntries(database, 2);
    const request = { now: AT, leaseMs: 10_000, batchSize: 10 };
    expect(await sealAuditBatch(database.db, { ...request, instance: 'instance-b' })).toEqual({ sealed: 0, leaseHeldBy: 'instance-a' });
    const later = new Date(AT.getTime() + 10_001);
    expect(await sealAuditBatch(database.db, { ...request, now: later, instance: 'instance-b' })).toEqual(expect.objectContaining({ sealed: 2, lastSeq: 12 }));
    expect((await verify(database)).break).toBeNull();
  });
});
