import type { InboundMessage, OutboundMessage } from '../../src/channel';
import { eldestFirst } from '../../src/domain/child';
import { openDatabase } from '../../src/store/db/database';
import { Prisma, type Db, type LinkKind, type Tx } from '../../src/store/db/database';
import { contactsRecordedAt, logContactCounting } from '../../src/store/contact/contactWeeks';
import { openPlansOfParent, vacationAskedAbout } from '../../src/store/contact/schoolCalendars';
import { saveDialog } from '../../src/store/messaging/chatDialogs';
import { markIdentitySeen, type Sender } from '../../src/store/messaging/identities';
import { claimInbound, claimInboundFromSender, recordInbound, type InboxAttachment, type InboxRecord, type RecordedInbound } from '../../src/store/messaging/inbox';
import { childrenLinkedTo, linkedChildren, type ChildToPick, type LinkedChild } from '../../src/store/registry/linkedPeople';
import { answersQueuedIn, careRoomsOf, queueMessage, repliesTo, type Address, type Outgoing, type QueueOptions } from '../../src/store/messaging/outbox';
import { wakeWaitingFor } from '../../src/store/messaging/outboxLeases';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

// The chat path's raw statements (BENCHMARKS.md "Chat path, round three"), each run beside its
// typed twin, the Prisma code it replaced, on the same rows: they must read and write the same.
const NOW = new Date('2026-11-04T04:00:00.000Z');
const LATER = new Date('2026-11-04T05:30:00.000Z');

const typed = {
  async recordInbound(db: Db, message: InboundMessage, attachment: InboxAttachment | null = null): Promise<RecordedInbound> {
    const key = { channel: message.channel, platformMessageId: message.platformMessageId };
    try {
      const row = await db.inboxMessage.create({
        data: {
          ...key,
          botAccount: message.botAccount,
          kind: message.kind ?? 'message',
          fromExternalId: message.from.externalId,
          fromName: message.from.name ?? null,
          roomExternalId: message.room?.externalId ?? null,
          mentionsBot: message.room?.mentionsBot ?? false,
          fromTag: message.from.tag ?? null,
          text: message.text,
          attachmentKind: attachment?.kind ?? null,
          attachmentPath: attachment?.path ?? null,
          attachmentSha256: attachment?.sha256 ?? null,
          attachmentSize: attachment?.size ?? null,
          attachmentMime: attachment?.mimeType ?? null,
          receivedAt: message.receivedAt,
        },
        select: { id: true },
      });
      return { id: row.id, duplicate: false, waiting: await typed.hasWaiting(db, { channel: message.channel, botAccount: message.botAccount, address: message.from.externalId }) };
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
      const existing = await db.inboxMessage.findUniqueOrThrow({ where: { channel_platformMessageId: key }, select: { id: true } });
      return { id: existing.id, duplicate: true, waiting: false };
    }
  },
  async queueMessage(tx: Tx, to: Address, message: Outgoing, options: QueueOptions): Promise<void> {
    const { text, messageKey, params } = typeof message === 'string' ? { text: message, messageKey: null, params: null } : { text: message.text, messageKey: message.key, params: message.params };
    const data = {
      channel: to.channel, botAccount: to.botAccount, address: to.address, isRoom: to.isRoom, personId: to.personId ?? null, text, messageKey, params: params ?? Prisma.DbNull,
      urgent: options.urgent ?? false, inboxMessageId: options.inboxMessageId ?? null, nextAttemptAt: options.now, createdAt: options.now,
    };
    if (options.dedupeKey === undefined) {
      await tx.outboxMessage.create({ data, select: { id: true } });
      return;
    }
    await tx.outboxMessage.upsert({ where: { dedupeKey: options.dedupeKey }, create: { ...data, dedupeKey: options.dedupeKey }, update: {}, select: { id: true } });
  },
  async childrenLinkedTo(tx: Tx, personId: number, kind: LinkKind): Promise<ChildToPick[]> {
    const links = await tx.childLink.findMany({ where: { personId, kind, endedAt: null, child: { archivedAt: null } }, select: { child: { select: { id: true, name: true, areaId: true, birthDate: true, gender: true } } } });
    return links.map((link) => link.child);
  },
  vacationAskedAbout: async (tx: Tx, parentId: number, today: string) => (await openPlansOfParent(tx, parentId, today)).map((plan) => plan.calendar.startsOn).sort()[0],
  async contactsRecordedAt(tx: Tx, loggedById: number, at: Date): Promise<Array<{ id: number; childName: string }>> {
    const logs = await tx.contactLog.findMany({ where: { loggedById, createdAt: at }, select: { id: true, child: { select: { name: true } } } });
    return logs.map((log) => ({ id: log.id, childName: log.child.name }));
  },
  async saveDialog(tx: Tx, personId: number, dialog: { kind: string; step: string; data: Prisma.InputJsonValue; expiresAt: Date }): Promise<void> {
    await tx.chatDialog.upsert({
      where: { personId_kind: { personId, kind: dialog.kind } },
      create: { personId, kind: dialog.kind, step: dialog.step, data: dialog.data, expiresAt: dialog.expiresAt },
      update: { step: dialog.step, data: dialog.data, expiresAt: dialog.expiresAt },
    });
  },
  async repliesTo(db: Db, inboxMessageId: number): Promise<OutboundMessage[]> {
    const rows = await db.outboxMessage.findMany({ where: { inboxMessageId }, orderBy: { id: 'asc' }, select: { id: true, channel: true, botAccount: true, address: true, isRoom: true, text: true, messageKey: true, params: true } });
    return rows.map((row) => ({ ...row, params: row.params as Record<string, string> | null }));
  },
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
  async logContactCounting(tx: Tx, entry: Parameters<typeof logContactCounting>[1]): Promise<{ weekCount: number; childHasCareRoom: boolean }> {
    await tx.contactLog.create({ data: { ...entry, createdAt: entry.contactedAt } });
    return {
      weekCount: await tx.contactLog.count({ where: { parentId: entry.parentId, childId: entry.childId, weekKey: entry.weekKey } }),
      childHasCareRoom: (await tx.careRoom.count({ where: { childId: entry.childId } })) > 0,
    };
  },
  careRoomsOf: (tx: Db | Tx, childId: number) => tx.careRoom.findMany({ where: { childId }, orderBy: { id: 'asc' }, select: { id: true, channel: true, botAccount: true, externalId: true } }),
  async hasWaiting(db: Db, address: { channel: string; botAccount: string; address: string }): Promise<boolean> {
    return (await db.outboxMessage.findFirst({ where: { ...address, waitingSince: { not: null } }, select: { id: true } })) !== null;
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

  it('claims a row and marks its known sender seen as the typed claim and identity do, in one statement on PostgreSQL', async () => {
    const identity = await db.chatIdentity.findFirstOrThrow({ where: { personId: parents[1]! }, select: { id: true, externalId: true } });
    await db.chatDialog.create({ data: { personId: parents[1]!, kind: 'report', step: 'child', data: {}, expiresAt: NOW } });
    const from = (externalId: string) => ({ channel: 'http', botAccount: 'default', from: { externalId, name: '王' } });
    for (const [label, extra] of [['known', from(identity.externalId)], ['in a room', { ...from(identity.externalId), room: { externalId: 'room-1', mentionsBot: true } }], ['unknown', from('wx-nobody')]] as const) {
      const [first, second] = [await recordInbound(db, inbound(`one-${label}`, extra)), await recordInbound(db, inbound(`two-${label}`, extra))];
      const folded = await db.$transaction((tx) => claimInboundFromSender(tx, engine, first.id, LATER));
      const seenByFold = await identityOf(parents[1]!);
      await db.chatIdentity.update({ where: { id: identity.id }, data: { lastSeenAt: NOW, unreachableAt: NOW } });
      const twin = await db.$transaction(async (tx) => {
        const message = await typed.claimInbound(tx, second.id, LATER);
        return { message: { ...message!, id: first.id }, knownSender: await typed.markIdentitySeen(tx, { channel: 'http', botAccount: 'default', externalId: extra.from.externalId }, LATER) };
      });
      expect(folded).toEqual(twin);
      expect(seenByFold).toEqual(await identityOf(parents[1]!));
      expect(folded?.knownSender).toEqual(label === 'unknown' ? null : { identityId: identity.id, person: expect.objectContaining({ id: parents[1], role: 'parent' }), mayHaveDialog: true });
      await db.chatIdentity.update({ where: { id: identity.id }, data: { lastSeenAt: NOW, unreachableAt: NOW } });
      // claimed once: the second claim finds nothing, and marks no one seen
      expect(await db.$transaction((tx) => claimInboundFromSender(tx, engine, first.id, LATER))).toBeNull();
      expect(await identityOf(parents[1]!)).toEqual(expect.objectContaining({ lastSeenAt: NOW, unreachableAt: NOW }));
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
      const [raw, twin] = [await db.$transaction((tx) => logContactCounting(tx, entry(children[0]!.id, method, minutes))), await db.$transaction((tx) => typed.logContactCounting(tx, entry(children[1]!.id, method, minutes)))];
      expect([raw.childHasCareRoom, twin.childHasCareRoom]).toEqual([false, false]);
      counts.push([raw.weekCount, twin.weekCount]);
    }
    expect(counts).toEqual([[1, 1], [2, 2], [3, 3]]);
    const logs = await db.contactLog.findMany({ orderBy: { id: 'asc' }, omit: { id: true, childId: true } });
    expect(logs.filter((_, index) => index % 2 === 0)).toEqual(logs.filter((_, index) => index % 2 === 1));
    // Only the pair's week counts: another week, or another parent of the same child, starts at one.
    for (const other of [{ ...entry(children[0]!.id, 'video', 10), weekKey: '2026-W46' }, { ...entry(children[0]!.id, 'video', 10), parentId: parents[1]! }]) {
      const raw = () => db.$transaction((tx) => logContactCounting(tx, other)).then((logged) => logged.weekCount);
      expect([await raw(), (await db.$transaction((tx) => typed.logContactCounting(tx, other))).weekCount, await raw()]).toEqual([1, 2, 3]);
    }
    // a child with care rooms (two) is said to have one, by both
    const roomed = entry(village.childId, 'phone', 5);
    expect(await db.$transaction((tx) => logContactCounting(tx, roomed))).toEqual({ weekCount: 1, childHasCareRoom: true });
    expect(await db.$transaction((tx) => typed.logContactCounting(tx, roomed))).toEqual({ weekCount: 2, childHasCareRoom: true });
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

  it('says, as it records a message, whether anything waits for the sender, as the typed client does', async () => {
    const from = { externalId: 'openid-4' };
    const message = (id: string) => inbound(id, { channel: 'wechatmp', botAccount: 'mp', from });
    const recorded = async (id: string) => [(await recordInbound(db, message(`raw-${id}`))).waiting, (await typed.recordInbound(db, message(`typed-${id}`))).waiting];
    expect(await recorded('before')).toEqual([false, false]);
    // waiting for someone else, or on another account: not this sender's
    await db.outboxMessage.create({ data: { channel: 'wechatmp', botAccount: 'mp', address: 'openid-5', isRoom: false, text: '提醒', nextAttemptAt: NOW, createdAt: NOW, waitingSince: NOW } });
    await db.outboxMessage.create({ data: { channel: 'wechatmp', botAccount: 'mp-2', address: 'openid-4', isRoom: false, text: '提醒', nextAttemptAt: NOW, createdAt: NOW, waitingSince: NOW } });
    expect(await recorded('others')).toEqual([false, false]);
    await db.outboxMessage.create({ data: { channel: 'wechatmp', botAccount: 'mp', address: 'openid-4', isRoom: false, text: '提醒', nextAttemptAt: NOW, createdAt: NOW, waitingSince: NOW } });
    expect(await recorded('mine')).toEqual([true, true]);
    expect(await wakeWaitingFor(db, { channel: 'wechatmp', botAccount: 'mp', address: 'openid-4' }, LATER)).toBe(1);
    expect(await recorded('woken')).toEqual([false, false]);
  });

  it('wakes only the pending messages waiting for that address, whatever else waits in the outbox', async () => {
    const address = { channel: 'wechatmp', botAccount: 'mp', address: 'openid-2' };
    const waitingRow = (to: typeof address, status: 'pending' | 'dead') =>
      db.outboxMessage.create({ data: { ...to, isRoom: false, text: '提醒', status, nextAttemptAt: NOW, createdAt: NOW, waitingSince: NOW }, select: { id: true } });
    const mine = [await waitingRow(address, 'pending'), await waitingRow(address, 'pending')];
    const dead = await waitingRow(address, 'dead');
    const someoneElses = await waitingRow({ ...address, address: 'openid-3' }, 'pending');
    expect(await wakeWaitingFor(db, address, LATER)).toBe(2);
    const rows = await db.outboxMessage.findMany({ where: { id: { in: [...mine, dead, someoneElses].map((row) => row.id) } }, orderBy: { id: 'asc' }, select: { waitingSince: true, nextAttemptAt: true } });
    expect(rows).toEqual([
      { waitingSince: null, nextAttemptAt: LATER },
      { waitingSince: null, nextAttemptAt: LATER },
      { waitingSince: NOW, nextAttemptAt: NOW },
      { waitingSince: NOW, nextAttemptAt: NOW },
    ]);
  });
  const inbound = (platformMessageId: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
    channel: 'wechaty', botAccount: 'b', platformMessageId, from: { externalId: 'wx-1', name: '王', tag: 'SW-1' }, text: '已联系 大毛 视频 20', receivedAt: NOW, ...extra,
  });
  const inboxRows = (ids: number[]) => db.inboxMessage.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' }, omit: { id: true, platformMessageId: true } });
  const storedInbox = (id: number) => db.$queryRaw<Array<{ text: string; fromName: string | null }>>`SELECT "text", "fromName" FROM "InboxMessage" WHERE "id" = ${id}`.then((rows) => rows[0]!);

  it('records an inbound message sealed and once, as the typed client does, each reading the other’s rows', async () => {
    const cases: Array<[Partial<InboundMessage>, InboxAttachment | null]> = [
      [{}, null],
      [{ room: { externalId: 'room-1', mentionsBot: true }, from: { externalId: 'wx-2', name: '' }, kind: 'friendship' }, null],
      [{ from: { externalId: 'wx-3' }, text: '照片' }, { kind: 'image', path: 'ab/cd', sha256: 'ef', size: 1234, mimeType: 'image/jpeg' }],
      [{ text: '' }, { kind: 'voice', path: null, sha256: null, size: null, mimeType: null }],
    ];
    for (const [index, [extra, attachment]] of cases.entries()) {
      const raw = await recordInbound(db, inbound(`raw-${index}`, extra), attachment);
      const twin = await typed.recordInbound(db, inbound(`typed-${index}`, extra), attachment);
      expect([raw.duplicate, twin.duplicate]).toEqual([false, false]);
      const [rawRow, twinRow] = await inboxRows([raw.id, twin.id]);
      expect(rawRow).toEqual(twinRow);
      expect(rawRow).toEqual(expect.objectContaining({ text: inbound('', extra).text, status: 'received' }));
      // sealed alike at rest, and each opened by the other's reader
      const [rawStored, twinStored] = [await storedInbox(raw.id), await storedInbox(twin.id)];
      expect(rawStored.text.startsWith('st1:')).toBe(twinStored.text.startsWith('st1:'));
      expect([rawStored.fromName?.startsWith('st1:'), rawStored.fromName === '']).toEqual([twinStored.fromName?.startsWith('st1:'), twinStored.fromName === '']);
      const [claimedRaw, claimedTwin] = [await db.$transaction((tx) => claimInbound(tx, twin.id, LATER)), await db.$transaction((tx) => typed.claimInbound(tx, raw.id, LATER))];
      expect(claimedRaw).toEqual({ ...claimedTwin, id: twin.id });
      expect(claimedRaw?.text).toBe(inbound('', extra).text);
    }
    expect((await storedInbox((await recordInbound(db, inbound('sealed'))).id)).text).toMatch(/^st1:/);
    // a platform id seen before, by either: a duplicate, the first row's id, nothing written
    const first = await typed.recordInbound(db, inbound('again'));
    const second = await recordInbound(db, inbound('raw-again'));
    expect(await recordInbound(db, inbound('again', { text: '又一次' }))).toEqual({ id: first.id, duplicate: true, waiting: false });
    expect(await typed.recordInbound(db, inbound('raw-again', { text: '又一次' }))).toEqual({ id: second.id, duplicate: true, waiting: false });
    expect(await recordInbound(db, inbound('again', { channel: 'http' }))).toEqual({ id: expect.any(Number), duplicate: false, waiting: false });
    // texts are sealed, so the database cannot find 又一次: every row is opened and read
    expect((await db.inboxMessage.findMany({ select: { text: true } })).filter((row) => row.text === '又一次')).toEqual([]);
  });

  it('records and queues clear texts on a client opened without the text keyring, as the typed client does', async () => {
    const clear = await openDatabase(database.target);
    try {
      const raw = await recordInbound(clear.db, inbound('clear-raw'));
      const twin = await typed.recordInbound(clear.db, inbound('clear-typed'));
      expect(await storedInbox(raw.id)).toEqual(await storedInbox(twin.id));
      expect((await storedInbox(raw.id)).text).toBe('已联系 大毛 视频 20');
      const to = { channel: 'http', botAccount: 'default', address: 'wx-clear', isRoom: false };
      await clear.db.$transaction((tx) => queueMessage(tx, to, { key: 'contact.reminder', params: { child: '大毛' }, text: '提醒' }, { now: NOW, inboxMessageId: raw.id }));
      await clear.db.$transaction((tx) => typed.queueMessage(tx, to, { key: 'contact.reminder', params: { child: '大毛' }, text: '提醒' }, { now: NOW, inboxMessageId: twin.id }));
      expect(await repliesTo(clear.db, raw.id)).toEqual([expect.objectContaining({ text: '提醒', params: { child: '大毛' } })]);
      expect((await repliesTo(clear.db, raw.id)).map(({ id, ...reply }) => reply)).toEqual((await typed.repliesTo(clear.db, twin.id)).map(({ id, ...reply }) => reply));
    } finally {
      await clear.close();
    }
  });

  it('queues answers, keyed prompts and once-only prompts sealed, as the typed client does, each reading the other’s rows', async () => {
    const [rawInbox, twinInbox] = [await recordInbound(db, inbound('asked-raw')), await recordInbound(db, inbound('asked-typed'))];
    const person = { channel: 'http', botAccount: 'default', address: 'wx-王父甲', isRoom: false, personId: parents[0]! };
    const room = { channel: 'wechaty', botAccount: 'b', address: 'room-1', isRoom: true };
    const messages: Array<[Address, Outgoing, Omit<QueueOptions, 'now' | 'inboxMessageId'>]> = [
      [person, '已记录：本周第1次联系', { urgent: true }],
      [room, { key: 'contact.reminder', params: { child: '大毛', week: '2026-W45' }, text: '本周还没联系大毛' }, {}],
      [person, { key: 'holiday.question', params: {}, text: '寒假回家吗' }, { dedupeKey: 'once' }],
      [person, '', {}],
    ];
    for (const [to, message, options] of messages) {
      const dedupeKey = options.dedupeKey;
      await db.$transaction((tx) => queueMessage(tx, to, message, { ...options, now: NOW, inboxMessageId: rawInbox.id, dedupeKey: dedupeKey && `raw-${dedupeKey}` }));
      await db.$transaction((tx) => typed.queueMessage(tx, to, message, { ...options, now: NOW, inboxMessageId: twinInbox.id, dedupeKey: dedupeKey && `typed-${dedupeKey}` }));
    }
    const rows = (inboxMessageId: number) => db.outboxMessage.findMany({ where: { inboxMessageId }, orderBy: { id: 'asc' }, omit: { id: true, inboxMessageId: true, dedupeKey: true } });
    expect(await rows(rawInbox.id)).toEqual(await rows(twinInbox.id));
    expect((await rows(rawInbox.id)).map((row) => [row.text, row.params])).toEqual([
      ['已记录：本周第1次联系', null],
      ['本周还没联系大毛', { child: '大毛', week: '2026-W45' }],
      ['寒假回家吗', {}],
      ['', null],
    ]);
    // each side's replies read by the other's reader, in the order written
    const rawReplies = await repliesTo(db, rawInbox.id);
    expect(rawReplies.map(({ id, ...reply }) => reply)).toEqual((await typed.repliesTo(db, twinInbox.id)).map(({ id, ...reply }) => reply));
    expect(await repliesTo(db, twinInbox.id)).toEqual(await typed.repliesTo(db, twinInbox.id));
    expect(await repliesTo(db, rawInbox.id)).toEqual(await typed.repliesTo(db, rawInbox.id));
    expect(rawReplies[1]).toEqual(expect.objectContaining({ isRoom: true, address: 'room-1', messageKey: 'contact.reminder', params: { child: '大毛', week: '2026-W45' } }));
    // sealed alike at rest: the text, and the template fields as one sealed JSON value
    const stored = await db.$queryRaw<Array<{ text: string; params: unknown }>>`SELECT "text", "params" FROM "OutboxMessage" WHERE "inboxMessageId" IN (${rawInbox.id}, ${twinInbox.id}) ORDER BY "inboxMessageId", "id"`;
    const shapes = stored.map((row) => [row.text.slice(0, 4), typeof row.params === 'string' ? row.params.slice(0, 4) : row.params]);
    expect(shapes.slice(0, 4)).toEqual(shapes.slice(4));
    expect(shapes.slice(0, 4)).toEqual([['st1:', null], ['st1:', 'sj1:'], ['st1:', 'sj1:'], ['', null]]);
  });

  it('hands back what a unit of work queued in answer to a message as the rows read back once committed', async () => {
    const [asked, other] = [await recordInbound(db, inbound('answered')), await recordInbound(db, inbound('another'))];
    const person = { channel: 'http', botAccount: 'default', address: 'wx-王父甲', isRoom: false, personId: parents[0]! };
    const room = { channel: 'wechaty', botAccount: 'b', address: 'room-1', isRoom: true };
    await db.$transaction((tx) => queueMessage(tx, person, '旧的提醒', { now: NOW, dedupeKey: 'taken' }));
    const handedBack = await db.$transaction(async (tx) => {
      await queueMessage(tx, person, '已记录：本周第1次联系', { now: NOW, inboxMessageId: asked.id, urgent: true });
      await queueMessage(tx, room, { key: 'contact.logged.room', params: { parent: '王父甲', child: '大毛', method: '视频' }, text: '王父甲本周已和大毛视频联系了。' }, { now: NOW, inboxMessageId: asked.id });
      // a key already used writes nothing, so it is no answer; nor is a message queued for another message or none
      await queueMessage(tx, person, '重复', { now: NOW, inboxMessageId: asked.id, dedupeKey: 'taken' });
      await queueMessage(tx, person, '别的回答', { now: NOW, inboxMessageId: other.id });
      await queueMessage(tx, person, '提醒', { now: NOW });
      return answersQueuedIn(tx, asked.id);
    });
    expect(handedBack.map((reply) => reply.text)).toEqual(['已记录：本周第1次联系', '王父甲本周已和大毛视频联系了。']);
    expect(handedBack).toEqual(await repliesTo(db, asked.id));
    // what a rolled-back unit queued is gone with it; a new unit starts with nothing
    await expect(
      db.$transaction(async (tx) => {
        await queueMessage(tx, person, '作废', { now: NOW, inboxMessageId: other.id });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.$transaction(async (tx) => answersQueuedIn(tx, other.id))).toEqual([]);
    expect((await repliesTo(db, other.id)).map((reply) => reply.text)).toEqual(['别的回答']);
  });

  it('queues a prompt once per key, whichever wrote it first, without failing the transaction around it', async () => {
    const to = { channel: 'http', botAccount: 'default', address: 'wx-王父甲', isRoom: false, personId: parents[0]! };
    const count = (dedupeKey: string) => db.outboxMessage.count({ where: { dedupeKey } });
    await db.$transaction(async (tx) => {
      await queueMessage(tx, to, '第一次', { now: NOW, dedupeKey: 'week-1' });
      await queueMessage(tx, to, '第二次', { now: LATER, dedupeKey: 'week-1' });
      await typed.queueMessage(tx, to, '第三次', { now: LATER, dedupeKey: 'week-1' });
      // the transaction still works after the repeats (PostgreSQL aborts one on a failed statement)
      await queueMessage(tx, to, '另一周', { now: NOW, dedupeKey: 'week-2' });
    });
    await db.$transaction((tx) => typed.queueMessage(tx, to, '第一次', { now: NOW, dedupeKey: 'typed-week' }));
    await db.$transaction((tx) => queueMessage(tx, to, '第二次', { now: LATER, dedupeKey: 'typed-week' }));
    expect([await count('week-1'), await count('week-2'), await count('typed-week')]).toEqual([1, 1, 1]);
    expect((await db.outboxMessage.findMany({ where: { dedupeKey: { in: ['week-1', 'typed-week'] } }, select: { text: true, createdAt: true } }))).toEqual([
      { text: '第一次', createdAt: NOW },
      { text: '第一次', createdAt: NOW },
    ]);
    // no key: every answer is written
    await db.$transaction((tx) => queueMessage(tx, to, '回答', { now: NOW }));
    await db.$transaction((tx) => queueMessage(tx, to, '回答', { now: NOW }));
    expect(await db.outboxMessage.count({ where: { dedupeKey: null } })).toBe(2);
  });
  // What free text reads and writes on a parent's message (BENCHMARKS.md "Chat path, raw inbox and outbox").
  it('reads the children free text is understood against, with their gender, as the typed client does', async () => {
    const [eldest] = await linkedChildren(db, parents[0]!, 'parent');
    await db.child.update({ where: { id: eldest!.id }, data: { gender: 'female' } });
    const sorted = (children: ChildToPick[]) => [...children].sort((a, b) => a.id - b.id);
    for (const personId of parents) {
      for (const kind of ['parent', 'guardian', 'teacher'] as const) {
        expect(sorted(await db.$transaction((tx) => childrenLinkedTo(tx, personId, kind)))).toEqual(sorted(await db.$transaction((tx) => typed.childrenLinkedTo(tx, personId, kind))));
      }
    }
    const children = await db.$transaction((tx) => childrenLinkedTo(tx, parents[0]!, 'parent'));
    expect(sorted(children).map((child) => [child.name, child.gender])).toEqual([['王父甲大毛', 'female'], ['王父甲二毛', null]]);
  });

  it('finds the vacation a parent was asked about, the latest plan of each child, as the typed client does', async () => {
    const calendar = (year: number, vacation: 'winter' | 'summer', startsOn: string, endsOn: string) =>
      db.schoolCalendar.create({ data: { areaId: village.villageId, year, vacation, startsOn, endsOn } }).then((row) => row.id);
    const over = await calendar(2026, 'summer', '2026-07-10', '2026-08-31');
    const winter = await calendar(2027, 'winter', '2027-01-20', '2027-02-20');
    const summer = await calendar(2027, 'summer', '2027-07-10', '2027-08-31');
    const [first, second] = await linkedChildren(db, parents[0]!, 'parent');
    const plan = (childId: number, calendarId: number, askedAt: Date) => db.holidayPlan.create({ data: { childId, parentId: parents[0]!, calendarId, askedAt } });
    const both = async (parentId: number, today: string) => [
      await db.$transaction((tx) => vacationAskedAbout(tx, parentId, today)),
      await db.$transaction((tx) => typed.vacationAskedAbout(tx, parentId, today)),
    ];
    expect(await both(parents[0]!, '2026-11-04')).toEqual([undefined, undefined]);
    await plan(first!.id, over, NOW);
    expect(await both(parents[0]!, '2026-11-04')).toEqual([undefined, undefined]);
    await plan(first!.id, summer, NOW);
    expect(await both(parents[0]!, '2026-11-04')).toEqual(['2027-07-10', '2027-07-10']);
    // the child's later question stands, not the earlier-starting vacation
    await plan(first!.id, winter, new Date(NOW.getTime() - 86_400_000));
    expect(await both(parents[0]!, '2026-11-04')).toEqual(['2027-07-10', '2027-07-10']);
    await plan(second!.id, winter, NOW);
    expect(await both(parents[0]!, '2026-11-04')).toEqual(['2027-01-20', '2027-01-20']);
    expect(await both(parents[0]!, '2027-03-01')).toEqual(['2027-07-10', '2027-07-10']);
    expect(await both(parents[1]!, '2026-11-04')).toEqual([undefined, undefined]);
  });

  it('reads back the contacts one message recorded, with the children’s names, as the typed client does', async () => {
    const [first, second] = await linkedChildren(db, parents[0]!, 'parent');
    const entry = (childId: number, loggedById: number, contactedAt: Date) => ({ childId, parentId: parents[0]!, loggedById, method: 'video' as const, minutes: 20, contactedAt, weekKey: '2026-W45' });
    await db.$transaction(async (tx) => {
      await logContactCounting(tx, entry(first!.id, parents[0]!, LATER));
      await logContactCounting(tx, entry(second!.id, parents[0]!, LATER));
      await logContactCounting(tx, entry(first!.id, parents[0]!, NOW));
      await logContactCounting(tx, entry(first!.id, parents[1]!, LATER));
    });
    await db.contactLog.create({ data: { ...entry(second!.id, parents[0]!, LATER), createdAt: LATER } });
    for (const [personId, at] of [[parents[0]!, LATER], [parents[0]!, NOW], [parents[1]!, LATER], [parents[1]!, NOW]] as const) {
      const raw = await db.$transaction((tx) => contactsRecordedAt(tx, personId, at));
      expect(raw).toEqual((await db.$transaction((tx) => typed.contactsRecordedAt(tx, personId, at))).sort((a, b) => a.id - b.id));
    }
    expect((await db.$transaction((tx) => contactsRecordedAt(tx, parents[0]!, LATER))).map((log) => log.childName)).toEqual(['王父甲大毛', '王父甲二毛', '王父甲二毛']);
  });

  it('saves and moves on a dialog as the typed client does, each updating the other’s row', async () => {
    const dialogs = () => db.chatDialog.findMany({ orderBy: { personId: 'asc' }, omit: { id: true, personId: true, updatedAt: true } });
    const undo = { kind: 'undo', step: 'contact', data: { contactLogIds: [1, 2], what: '大毛的联系' }, expiresAt: LATER };
    const moved = { kind: 'undo', step: 'holiday', data: { holidayPlan: { id: 3, answer: null, date: null, answeredAt: null }, what: '回家' }, expiresAt: NOW };
    const steps: Array<[typeof saveDialog, typeof saveDialog]> = [[saveDialog, typed.saveDialog], [typed.saveDialog, saveDialog]];
    for (const [index, [one, other]] of steps.entries()) {
      const before = new Date();
      await db.$transaction((tx) => one(tx, parents[0]!, { ...undo, kind: `undo-${index}` }));
      await db.$transaction((tx) => other(tx, parents[1]!, { ...undo, kind: `undo-${index}` }));
      expect((await dialogs()).filter((dialog) => dialog.kind === `undo-${index}`)).toEqual([
        { ...undo, kind: `undo-${index}` },
        { ...undo, kind: `undo-${index}` },
      ]);
      // each moves on the row the other started
      await db.$transaction((tx) => other(tx, parents[0]!, { ...moved, kind: `undo-${index}` }));
      await db.$transaction((tx) => one(tx, parents[1]!, { ...moved, kind: `undo-${index}` }));
      const rows = await db.chatDialog.findMany({ where: { kind: `undo-${index}` }, orderBy: { personId: 'asc' } });
      expect(rows.map(({ step, data, expiresAt }) => ({ step, data, expiresAt }))).toEqual([
        { step: 'holiday', data: moved.data, expiresAt: NOW },
        { step: 'holiday', data: moved.data, expiresAt: NOW },
      ]);
      for (const row of rows) expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    }
    expect(await db.chatDialog.count()).toBe(4);
  });
});
