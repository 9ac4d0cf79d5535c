import { eldestFirst } from '../../src/domain/child';
import type { Db, LinkKind, Tx } from '../../src/store/db/database';
import { logContactCounting } from '../../src/store/contact/contactWeeks';
import { markIdentitySeen, type Sender } from '../../src/store/messaging/identities';
import { claimInbound, recordInbound, type InboxRecord } from '../../src/store/messaging/inbox';
import { linkedChildren, type LinkedChild } from '../../src/store/registry/linkedPeople';
import { careRoomsOf } from '../../src/store/messaging/outbox';
import { wakeWaitingFor } from '../../src/store/messaging/outboxLeases';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

// The chat path's raw statements (BENCHMARKS.md "Chat path, round three"), each run beside its
// typed twin, the Prisma code it replaced, on the same rows: they must read and write the same.
const NOW = new Date('2026-11-04T04:00:00.000Z');
const LATER = new Date('2026-11-04T05:30:00.000Z');

const typed = {
  async markIdentitySeen(tx: Tx, key: { channel: string; botAccount: string; externalId: string }, now: Date): Promise<Sender | null> {
    const [known] = await tx.chatIdentity.updateManyAndReturn({ where: key, data: { lastSeenAt: now, unreachableAt: null }, select: { id: true, personId: true } });
    if (!known) return null;
    const person = await tx.person.findUniqueOrThrow({ where: { id: known.personId }, select: { id: true, name: true, role: true, areaId: true } });
    return { identityId: known.id, person, mayHaveDialog: (await tx.chatDialog.count({ where: { personId: person.id } })) > 0 };
  },
  async claimInbound(tx: Tx, id: number, now: Date): Promise<InboxRecord | null> {
    const [claimed] = await tx.inboxMessage.updateManyAndReturn({
      where: { id, status: 'received' },
      data: { status: 'handled', handledAt: now },
      select: {
        id: true, channel: true, botAccount: true, kind: true, fromExternalId: true, fromName: true, roomExternalId: true, mentionsBot: true, fromTag: true, text: true, receivedAt: true,
        attachmentKind: true, attachmentPath: true, attachmentSha256: true, attachmentSize: true, attachmentMime: true,
      },
    });
    if (!claimed) return null;
    const { attachmentKind, attachmentPath, attachmentSha256, attachmentSize, attachmentMime, ...row } = claimed;
    return { ...row, attachment: attachmentKind === null ? null : { kind: attachmentKind, path: attachmentPath, sha256: attachmentSha256, size: attachmentSize, mimeType: attachmentMime } };
  },
  async linkedChildren(tx: Db | Tx, personId: number, kind: LinkKind): Promise<LinkedChild[]> {
    const links = await tx.childLink.findMany({ where: { personId, kind, endedAt: null, child: { archivedAt: null } }, select: { child: { select: { id: true, name: true, areaId: true, birthDate: true } } } });
    return links.map((link) => link.child).sort(eldestFirst).map(({ id, name, areaId }) => ({ id, name, areaId }));
  },
  async logContactCounting(tx: Tx, entry: Parameters<typeof logContactCounting>[1]): Promise<number> {
    await tx.contactLog.create({ data: { ...entry, createdAt: entry.contactedAt } });
    return tx.contactLog.count({ where: { parentId: entry.parentId, childId: entry.childId, weekKey: entry.weekKey } });
  },
  careRoomsOf: (tx: Db | Tx, childId: number) => tx.careRoom.findMany({ where: { childId }, orderBy: { id: 'asc' }, select: { id: true, channel: true, botAccount: true, externalId: true } }),
  async hasWaiting(db: Db, address: { channel: string; botAccount: string; address: string }): Promise<boolean> {
    return (await db.outboxMessage.findFirst({ where: { ...address, status: 'pending', waitingSince: { not: null } }, select: { id: true } })) !== null;
  },
};

describeEachEngine('the chat path in raw SQL, beside its typed twin', (engine) => {
  let database: TestDatabase;
  let db: Db;
  let village: TestVillage;
  let parents: number[];
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    db = database.db;
    village = await createVillage(db, NOW);
    // two parents alike in everything but their ids, so a raw write and a typed one can be compared
    parents = [];
    for (const name of ['王父甲', '王父乙']) {
      const parent = await db.person.create({ data: { name, role: 'parent', areaId: village.villageId } });
      parents.push(parent.id);
      await db.chatIdentity.create({ data: { personId: parent.id, channel: 'http', botAccount: 'default', externalId: `wx-${name}`, boundAt: NOW, lastSeenAt: NOW, unreachableAt: NOW } });
      for (const [child, birthDate, ended, archived] of [['大毛', '2014-03-01', false, false], ['二毛', '2016-07-01', false, false], ['走了', '2012-01-01', true, false], ['归档', '2011-01-01', false, true]] as const) {
        const kid = await db.child.create({ data: { name: `${name}${child}`, birthDate, areaId: village.villageId, archivedAt: archived ? NOW : null } });
        await db.childLink.create({ data: { childId: kid.id, personId: parent.id, kind: 'parent', worksAway: true, endedAt: ended ? NOW : null } });
      }
    }
    await db.childLink.create({ data: { childId: village.childId, personId: parents[0]!, kind: 'guardian' } });
    await db.careRoom.create({ data: { childId: village.childId, channel: 'wechaty', botAccount: 'b', externalId: 'room-2', boundById: village.directorId } });
    await db.careRoom.create({ data: { childId: village.childId, channel: 'wechaty', botAccount: 'b', externalId: 'room-1', boundById: village.directorId } });
  });
  afterEach(() => database.drop());

  const identityOf = (personId: number) => db.chatIdentity.findFirstOrThrow({ where: { personId }, select: { lastSeenAt: true, unreachableAt: true, boundAt: true } });

  it('marks an identity seen and reads its person and whether they have dialogs as the typed client does', async () => {
    await db.chatDialog.create({ data: { personId: parents[1]!, kind: 'report', step: 'child', data: {}, expiresAt: NOW } });
    const key = (index: number) => ({ channel: 'http', botAccount: 'default', externalId: `wx-${['王父甲', '王父乙'][index]}` });
    for (const index of [0, 1]) {
      const raw = await db.$transaction((tx) => markIdentitySeen(tx, key(index), LATER));
      const rawRow = await identityOf(parents[index]!);
      await db.chatIdentity.updateMany({ where: key(index), data: { lastSeenAt: NOW, unreachableAt: NOW } });
      const twin = await db.$transaction((tx) => typed.markIdentitySeen(tx, key(index), LATER));
      expect(raw).toEqual(twin);
      expect(rawRow).toEqual(await identityOf(parents[index]!));
      expect(raw).toEqual(expect.objectContaining({ person: expect.objectContaining({ id: parents[index], role: 'parent' }), mayHaveDialog: index === 1 }));
    }
    const unknown = { channel: 'http', botAccount: 'default', externalId: 'wx-nobody' };
    expect(await db.$transaction((tx) => markIdentitySeen(tx, unknown, LATER))).toBeNull();
    expect(await db.$transaction((tx) => typed.markIdentitySeen(tx, unknown, LATER))).toBeNull();
  });

  it('claims a row once, its text opened and its attachment as the typed client reads them', async () => {
    const record = (id: string, extra: object) =>
      recordInbound(db, { channel: 'wechaty', botAccount: 'b', platformMessageId: id, from: { externalId: 'wx-1', name: '王', tag: 'SW-1' }, text: '已联系 大毛 视频 20', receivedAt: NOW, ...extra }, null);
    const plain = [await record('a', {}), await record('b', {})];
    const inRoom = [await record('c', { room: { externalId: 'room-1', mentionsBot: true } }), await record('d', { room: { externalId: 'room-1', mentionsBot: true } })];
    const withFile = async (id: string) =>
      (await recordInbound(db, { channel: 'wechaty', botAccount: 'b', platformMessageId: id, from: { externalId: 'wx-1' }, text: '照片', receivedAt: NOW }, { kind: 'image', path: 'ab/cd', sha256: 'ef', size: 1234, mimeType: 'image/jpeg' })).id;
    const files = [await withFile('e'), await withFile('f')];
    for (const [first, second] of [[plain[0]!.id, plain[1]!.id], [inRoom[0]!.id, inRoom[1]!.id], [files[0]!, files[1]!]]) {
      const raw = await db.$transaction((tx) => claimInbound(tx, first!, LATER));
      const twin = await db.$transaction((tx) => typed.claimInbound(tx, second!, LATER));
      expect(raw).toEqual({ ...twin, id: first });
      expect(raw?.text).not.toMatch(/^st1:/);
      // claimed once: the second claim finds nothing
      expect(await db.$transaction((tx) => claimInbound(tx, first!, LATER))).toBeNull();
      const rows = await db.inboxMessage.findMany({ where: { id: { in: [first!, second!] } }, select: { status: true, handledAt: true } });
      expect(rows[0]).toEqual(rows[1]);
    }
  });

  it('reads a person’s current children, eldest first, as the typed client does', async () => {
    for (const personId of parents) {
      for (const kind of ['parent', 'guardian', 'teacher'] as const) {
        expect(await linkedChildren(db, personId, kind)).toEqual(await typed.linkedChildren(db, personId, kind));
      }
      expect((await linkedChildren(db, personId, 'parent')).map((child) => child.name)).toEqual([expect.stringMatching(/大毛$/), expect.stringMatching(/二毛$/)]);
    }
  });

  it('logs a contact and counts the week’s as the typed client does', async () => {
    const children = await linkedChildren(db, parents[0]!, 'parent');
    const entry = (childId: number, method: 'video' | 'phone' | 'visit', minutes: number | null) => ({ childId, parentId: parents[0]!, loggedById: parents[0]!, method, minutes, contactedAt: LATER, weekKey: '2026-W45' });
    const counts: Array<[number, number]> = [];
    for (const [method, minutes] of [['video', 20], ['phone', null], ['visit', 5]] as const) {
      counts.push([await db.$transaction((tx) => logContactCounting(tx, entry(children[0]!.id, method, minutes))), await db.$transaction((tx) => typed.logContactCounting(tx, entry(children[1]!.id, method, minutes)))]);
    }
    expect(counts).toEqual([[1, 1], [2, 2], [3, 3]]);
    const logs = await db.contactLog.findMany({ orderBy: { id: 'asc' }, omit: { id: true, childId: true } });
    expect(logs.filter((_, index) => index % 2 === 0)).toEqual(logs.filter((_, index) => index % 2 === 1));
  });

  it('finds a child’s care rooms and a waiting message as the typed client does', async () => {
    expect(await careRoomsOf(db, village.childId)).toEqual(await typed.careRoomsOf(db, village.childId));
    expect((await careRoomsOf(db, village.childId)).map((room) => room.externalId)).toEqual(['room-2', 'room-1']);
    expect(await careRoomsOf(db, parents[0]!)).toEqual([]);
    const address = { channel: 'wechatmp', botAccount: 'mp', address: 'openid-1' };
    expect([await wakeWaitingFor(db, address, LATER), await typed.hasWaiting(db, address)]).toEqual([0, false]);
    await db.outboxMessage.create({ data: { ...address, isRoom: false, text: '提醒', nextAttemptAt: NOW, createdAt: NOW, waitingSince: NOW } });
    expect(await typed.hasWaiting(db, address)).toBe(true);
    expect(await wakeWaitingFor(db, address, LATER)).toBe(1);
    expect(await typed.hasWaiting(db, address)).toBe(false);
  });
});
