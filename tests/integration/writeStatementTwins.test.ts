import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/store/db/database';
import { openDatabase } from '../../src/store/db/database';
import { awayParentBatches, awayParentWeekBatches, contactCountsForWeek, pairKey, summarizeAgainAfterMove, summarizeContactWeek, type AwayParentWeek } from '../../src/store/contact/contactWeeks';
import { recordHolidayQuestions } from '../../src/store/contact/schoolCalendars';
import { countSealableRows, storedRows } from '../../src/store/crypto/keyRotation';
import { SEALED_FIELDS, SEALED_TABLES, type SealedModel } from '../../src/store/crypto/sealedTexts';
import { TextKeyring } from '../../src/store/crypto/textKeyring';
import { freshestAddresses } from '../../src/store/messaging/identities';
import { queueMessage, queuePromptsOnce, type Prompt } from '../../src/store/messaging/outbox';
import { claimOutbound, markSent, releaseLease, releaseLeasesOf, type ClaimRequest } from '../../src/store/messaging/outboxLeases';
import { blockAccountUntil, takeTokenRefreshLease } from '../../src/store/messaging/platformTokens';
import { pausedAmong, UNSUBSCRIBED_UNTIL } from '../../src/store/privacy/privacy';
import { addVillages } from '../support/roster';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage, type TestVillage } from '../support/village';

// The store's raw writes (and the readers left without a twin elsewhere), each beside the typed
// Prisma code that would do the same, on the same rows: a rule changed in one and not the other,
// or an engine reading the SQL its own way, fails here. Later than the wall clock, so a row whose
// time came from a column default (the real now) is already due.
const NOW = new Date('2030-11-06T02:00:00.000Z');
const EARLIER = new Date('2030-11-05T02:00:00.000Z');
const LATER = new Date('2030-11-07T02:00:00.000Z');
const MINUTE = 60_000;

const typed = {
  async markSent(db: Db, id: number, owner: string, now: Date): Promise<boolean> {
    const updated = await db.outboxMessage.updateMany({ where: { id, status: 'sending', leaseOwner: owner }, data: { status: 'sent', sentAt: now, leaseOwner: null, leaseExpiresAt: null } });
    return updated.count === 1;
  },
  /** queuePromptsOnce one prompt at a time: the paused skipped, each upserted by its dedupe key. */
  async queuePromptsOnce(db: Db, prompts: Prompt[], now: Date): Promise<number> {
    const before = await db.outboxMessage.count();
    const paused = await pausedAmong(db, prompts.flatMap((prompt) => (prompt.to.personId === undefined ? [] : [prompt.to.personId])), now);
    await db.$transaction(async (tx) => {
      for (const prompt of prompts) {
        if (prompt.to.personId !== undefined && paused.has(prompt.to.personId)) continue;
        await queueMessage(tx, prompt.to, prompt.text, { now, dedupeKey: prompt.dedupeKey });
      }
    });
    return (await db.outboxMessage.count()) - before;
  },
  /** The rows claimOutbound should take, in the order it should hand them out. */
  claimable: (db: Db, request: Omit<ClaimRequest, 'owner' | 'leaseMs'>) =>
    db.outboxMessage.findMany({
      where: {
        channel: request.channel,
        botAccount: request.botAccount,
        ...(request.quiet ? { urgent: true } : {}),
        OR: [
          { status: 'pending', nextAttemptAt: { lte: request.now } },
          { status: 'sending', leaseExpiresAt: { lt: request.now } },
        ],
      },
      orderBy: [{ urgent: 'desc' }, { id: 'asc' }],
      take: request.limit,
    }),
  async recordHolidayQuestions(db: Db, plans: Array<{ parentId: number; childId: number; calendarId: number }>, askedAt: Date): Promise<void> {
    for (const plan of plans) await db.holidayPlan.upsert({ where: { parentId_childId_calendarId: plan }, create: { ...plan, askedAt }, update: {}, select: { id: true } });
  },
  async takeTokenRefreshLease(db: Db, account: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    await db.platformToken.upsert({ where: { account }, create: { account }, update: {} });
    const taken = await db.platformToken.updateMany({
      where: { account, OR: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { lt: now } }] },
      data: { refreshOwner: owner, refreshLeaseUntil: new Date(now.getTime() + leaseMs) },
    });
    return taken.count === 1;
  },
  async blockAccountUntil(db: Db, account: string, until: Date): Promise<void> {
    await db.platformToken.upsert({ where: { account }, create: { account, blockedUntil: until }, update: { blockedUntil: until } });
  },
  /** awayParentWeekBatches from the typed readers the weekly prompts used before it. */
  async awayParentWeeks(db: Db, weekKey: string): Promise<AwayParentWeek[]> {
    const weeks: AwayParentWeek[] = [];
    for await (const parents of awayParentBatches(db, { period: { current: true }, withChatIdentity: true, batchSize: 2 })) {
      const addresses = await freshestAddresses(db, parents.map((parent) => parent.id));
      const contacts = await contactCountsForWeek(db, weekKey, parents.map((parent) => parent.id));
      const rooms = await db.careRoom.findMany({ where: { childId: { in: parents.flatMap((parent) => parent.children.map((child) => child.id)) } }, orderBy: { id: 'asc' } });
      weeks.push(
        ...parents.map((parent) => ({
          id: parent.id,
          name: parent.name,
          address: addresses.get(parent.id)!,
          children: parent.children.map((child) => ({
            ...child,
            contacted: (contacts.get(pairKey(parent.id, child.id)) ?? 0) > 0,
            rooms: rooms
              .filter((room) => room.childId === child.id)
              .map((room) => ({ roomId: room.id, channel: room.channel, botAccount: room.botAccount, address: room.externalId, isRoom: true })),
          })),
        })),
      );
    }
    return weeks;
  },
  /** A week's verdicts per child's area, as ContactWeekSummary should hold them. */
  async weekSummary(db: Db, weekKey: string): Promise<Array<{ weekKey: string; areaId: number; kept: number; missed: number; paused: number }>> {
    const verdicts = await db.contactWeek.findMany({ where: { weekKey }, select: { status: true, child: { select: { areaId: true } } } });
    const byArea = new Map<number, { weekKey: string; areaId: number; kept: number; missed: number; paused: number }>();
    for (const { status, child } of verdicts) {
      const row = byArea.get(child.areaId) ?? { weekKey, areaId: child.areaId, kept: 0, missed: 0, paused: 0 };
      row[status] += 1;
      byArea.set(child.areaId, row);
    }
    return [...byArea.values()].sort((a, b) => a.areaId - b.areaId);
  },
};

describeEachEngine('raw writes and readers beside their typed twins', (engine) => {
  let database: TestDatabase;
  let db: Db;
  let village: TestVillage;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
    db = database.db;
    village = await createVillage(db, EARLIER);
  });
  afterEach(() => database.drop());

  const person = async (name: string, promptsPausedUntil: Date | null = null) =>
    (await db.person.create({ data: { name, role: 'parent', areaId: village.villageId, promptsPausedUntil } })).id;
  const child = async (name: string, birthDate = '2016-05-01', areaId = village.villageId) => (await db.child.create({ data: { name, birthDate, areaId } })).id;

  it('queues many prompts once per key, skipping paused parents, as upserting them one by one does', async () => {
    const parents = {
      active: await person('王父'),
      paused: await person('暂停的李父', LATER),
      pauseOver: await person('恢复了的赵父', EARLIER),
      pauseEndsNow: await person('正好到期的孙父', NOW),
      unsubscribed: await person('退订的周父', UNSUBSCRIBED_UNTIL),
    };
    const to = (personId: number) => ({ channel: 'wechatmp', botAccount: 'mp', address: `openid-${personId}`, isRoom: false, personId });
    const reminder = (child: string) => ({ key: 'contact.reminder', params: { child, note: '引号"和\\反斜杠\n换行' }, text: `本周还没有和${child}联系 😊` });
    const prompts = (set: string): Prompt[] => [
      { to: to(parents.active), text: reminder('王小明'), dedupeKey: `${set}:active-keyed` },
      { to: to(parents.active), text: '他说"好"\n明天\t再联系', dedupeKey: `${set}:active-plain` },
      { to: to(parents.paused), text: reminder('李小红'), dedupeKey: `${set}:paused` },
      { to: to(parents.pauseOver), text: reminder('赵小军'), dedupeKey: `${set}:pause-over` },
      { to: to(parents.pauseEndsNow), text: reminder('孙小丽'), dedupeKey: `${set}:pause-ends-now` },
      { to: to(parents.unsubscribed), text: reminder('周小宇'), dedupeKey: `${set}:unsubscribed` },
      { to: { channel: 'wechaty', botAccount: 'village-a', address: 'room-1', isRoom: true }, text: reminder('王小明'), dedupeKey: `${set}:room` },
      { to: to(parents.active), text: '这一条的键已用过', dedupeKey: `${set}:taken` },
      { to: to(parents.active), text: '同一批里的第一条', dedupeKey: `${set}:twice` },
      { to: to(parents.active), text: '同一批里的第二条', dedupeKey: `${set}:twice` },
    ];
    for (const set of ['raw', 'typed']) await queueMessage(db, to(parents.active), '早先的提醒', { now: EARLIER, dedupeKey: `${set}:taken`, urgent: true });

    const written = [await queuePromptsOnce(db, engine, prompts('raw'), NOW), await typed.queuePromptsOnce(db, prompts('typed'), NOW)];

    const rowsOf = async (set: string) =>
      (await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: `${set}:` } }, orderBy: { id: 'asc' }, omit: { id: true } })).map((row) => ({
        ...row,
        dedupeKey: row.dedupeKey!.slice(set.length + 1),
      }));
    const raw = await rowsOf('raw');
    expect(raw).toEqual(await rowsOf('typed'));
    expect(written).toEqual([6, 6]);
    expect(raw.map((row) => [row.dedupeKey, row.text])).toEqual([
      ['taken', '早先的提醒'],
      ['active-keyed', '本周还没有和王小明联系 😊'],
      ['active-plain', '他说"好"\n明天\t再联系'],
      ['pause-over', '本周还没有和赵小军联系 😊'],
      ['pause-ends-now', '本周还没有和孙小丽联系 😊'],
      ['room', '本周还没有和王小明联系 😊'],
      ['twice', '同一批里的第一条'],
    ]);
    expect(raw[1]).toMatchObject({ params: { child: '王小明', note: '引号"和\\反斜杠\n换行' }, messageKey: 'contact.reminder', personId: parents.active, nextAttemptAt: NOW, createdAt: NOW, urgent: false });
    expect(raw[5]).toMatchObject({ isRoom: true, personId: null });
  });

  it('claims the due rows of one account, urgent then oldest, and hands back leases, as the typed conditions select them', async () => {
    const account = { channel: 'wechatmp', botAccount: 'mp' };
    const row = async (label: string, fields: Partial<{ status: 'pending' | 'sending' | 'sent' | 'dead'; urgent: boolean; nextAttemptAt: Date; leaseOwner: string; leaseExpiresAt: Date; attempts: number; channel: string; botAccount: string; waitingSince: Date }>) =>
      [label, (await db.outboxMessage.create({ data: { ...account, address: `openid-${label}`, text: `给${label}的消息`, params: { label }, messageKey: 'contact.reminder', createdAt: EARLIER, nextAttemptAt: EARLIER, ...fields } })).id] as const;
    const ids = new Map([
      await row('due', {}),
      await row('due-now', { nextAttemptAt: NOW }),
      await row('urgent', { urgent: true }),
      await row('not-yet', { nextAttemptAt: LATER }),
      await row('lease-expired', { status: 'sending', leaseOwner: 'crashed', leaseExpiresAt: EARLIER, attempts: 1 }),
      await row('lease-ends-now', { status: 'sending', leaseOwner: 'slow', leaseExpiresAt: NOW }),
      await row('leased', { status: 'sending', leaseOwner: 'busy', leaseExpiresAt: LATER }),
      await row('sent', { status: 'sent' }),
      await row('dead', { status: 'dead', attempts: 5 }),
      await row('other-channel', { channel: 'wechaty' }),
      await row('other-account', { botAccount: 'mp-2' }),
      await row('waiting', { urgent: true, nextAttemptAt: new Date('9999-12-31T00:00:00.000Z'), waitingSince: EARLIER }),
    ]);
    // Written by raw SQL: the prompt statement binds its time, a column default writes the wall clock.
    await queuePromptsOnce(db, engine, [{ to: { ...account, address: 'openid-prompt', isRoom: false }, text: '批量提醒', dedupeKey: 'prompt' }], EARLIER);
    ids.set('prompt', (await db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'prompt' } })).id);
    await db.$executeRawUnsafe(`INSERT INTO "OutboxMessage" ("channel", "botAccount", "address", "text") VALUES ('wechatmp', 'mp', 'openid-default', '默认时间')`);
    ids.set('column-default', (await db.outboxMessage.findFirstOrThrow({ where: { address: 'openid-default' } })).id);
    const labelOf = new Map([...ids].map(([label, id]) => [id, label] as const));

    const snapshot = () => db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    /** One claim beside its twin: the rows it returns and the whole table afterwards, as the typed selection predicts. */
    const claim = async (request: Omit<ClaimRequest, 'channel' | 'botAccount' | 'leaseMs'>) => {
      const full = { ...account, ...request, leaseMs: 5 * MINUTE };
      const chosen = await typed.claimable(db, full);
      const leased = new Map(chosen.map((row) => [row.id, { status: 'sending' as const, leaseOwner: request.owner, leaseExpiresAt: new Date(NOW.getTime() + 5 * MINUTE), attempts: row.attempts + (row.status === 'sending' ? 1 : 0) }]));
      const expected = (await snapshot()).map((row) => ({ ...row, ...leased.get(row.id) }));
      const claimed = await claimOutbound(db, engine, full);
      expect(await snapshot()).toEqual(expected);
      expect(claimed).toEqual(
        expected
          .filter((row) => leased.has(row.id))
          .sort((a, b) => chosen.findIndex((row) => row.id === a.id) - chosen.findIndex((row) => row.id === b.id))
          .map(({ id, channel, botAccount, address, isRoom, text, messageKey, params, attempts, urgent }) => ({ id, channel, botAccount, address, isRoom, text, messageKey, params, attempts, urgent })),
      );
      return claimed.map((row) => labelOf.get(row.id));
    };

    expect(await claim({ owner: 'd1', now: NOW, limit: 10, quiet: true })).toEqual(['urgent']);
    // an alert queued after the backlog goes before it
    const [label, id] = await row('urgent-late', { urgent: true });
    ids.set(label, id);
    labelOf.set(id, label);
    expect(await claim({ owner: 'd1', now: NOW, limit: 2 })).toEqual(['urgent-late', 'due']);
    expect(await claim({ owner: 'd2', now: NOW, limit: 10 })).toEqual(['due-now', 'lease-expired', 'prompt', 'column-default']);
    expect(await claim({ owner: 'd3', now: NOW, limit: 10 })).toEqual([]);

    // Only the owner's leases go back, without counting an attempt; the next claim takes them again.
    expect(await releaseLease(db, [ids.get('due')!, ids.get('lease-expired')!], 'd1')).toBe(1);
    expect(await releaseLeasesOf(db, 'd2')).toBe(4);
    const released = await db.outboxMessage.findMany({ where: { status: 'pending', leaseOwner: null, id: { in: ['due', 'lease-expired', 'prompt', 'column-default'].map((label) => ids.get(label)!) } }, orderBy: { id: 'asc' }, select: { attempts: true, leaseExpiresAt: true } });
    expect(released).toEqual([0, 2, 0, 0].map((attempts) => ({ attempts, leaseExpiresAt: null })));
    expect(await claim({ owner: 'd3', now: NOW, limit: 10 })).toEqual(['due', 'due-now', 'lease-expired', 'prompt', 'column-default']);
  });

  it('marks a sent row only while its dispatcher holds the lease, as the typed update does', async () => {
    const account = { channel: 'wechatmp', botAccount: 'mp' };
    const pair = async (fields: { status: 'pending' | 'sending' | 'sent'; leaseOwner?: string }) => {
      const data = { ...account, text: '你好', params: { n: 1 }, createdAt: EARLIER, nextAttemptAt: EARLIER, leaseExpiresAt: fields.leaseOwner ? LATER : null, ...fields };
      const viaTyped = await db.outboxMessage.create({ data: { ...data, address: 'typed' } });
      const viaRaw = await db.outboxMessage.create({ data: { ...data, address: 'raw' } });
      return [viaTyped.id, viaRaw.id] as const;
    };
    const sameRows = async ([typedId, rawId]: readonly [number, number]) => {
      const [a, b] = await Promise.all([typedId, rawId].map((id) => db.outboxMessage.findUniqueOrThrow({ where: { id }, omit: { id: true, address: true } })));
      expect(b).toEqual(a);
      return b!;
    };
    const cases = [
      { rows: await pair({ status: 'sending', leaseOwner: 'd1' }), owner: 'd1', sent: true },
      { rows: await pair({ status: 'sending', leaseOwner: 'd2' }), owner: 'd1', sent: false },
      { rows: await pair({ status: 'pending' }), owner: 'd1', sent: false },
      { rows: await pair({ status: 'sent' }), owner: 'd1', sent: false },
    ];
    for (const { rows, owner, sent } of cases) {
      expect(await typed.markSent(db, rows[0], owner, NOW)).toBe(sent);
      expect(await markSent(db, rows[1], owner, NOW)).toBe(sent);
      const row = await sameRows(rows);
      if (sent) expect(row).toMatchObject({ status: 'sent', sentAt: NOW, leaseOwner: null, leaseExpiresAt: null });
    }
  });

  it('records whom a holiday question asked once per child and calendar, keeping an answer, as upserts do', async () => {
    const calendar = (vacation: 'winter' | 'summer') =>
      db.schoolCalendar.create({ data: { areaId: village.villageId, year: 2031, vacation, startsOn: vacation === 'winter' ? '2031-01-20' : '2031-07-10', endsOn: vacation === 'winter' ? '2031-02-20' : '2031-08-31' } });
    const [rawCalendar, typedCalendar] = [(await calendar('winter')).id, (await calendar('summer')).id];
    const [father, mother] = [await person('王父'), await person('王母')];
    const [elder, younger] = [village.childId, await child('张小红', '2018-01-01')];
    for (const calendarId of [rawCalendar, typedCalendar]) {
      await db.holidayPlan.create({ data: { parentId: mother, childId: younger, calendarId, askedAt: EARLIER, answer: 'coming_home', date: '2031-01-25', answeredAt: EARLIER } });
    }
    const plans = (calendarId: number) =>
      [[father, elder], [father, younger], [mother, elder], [father, elder], [mother, younger]].map(([parentId, childId]) => ({ parentId: parentId!, childId: childId!, calendarId }));

    await recordHolidayQuestions(db, engine, plans(rawCalendar), NOW);
    await typed.recordHolidayQuestions(db, plans(typedCalendar), NOW);

    const rowsOf = (calendarId: number) => db.holidayPlan.findMany({ where: { calendarId }, orderBy: { id: 'asc' }, omit: { id: true, calendarId: true } });
    const raw = await rowsOf(rawCalendar);
    expect(raw).toEqual(await rowsOf(typedCalendar));
    expect(raw).toEqual([
      { parentId: mother, childId: younger, askedAt: EARLIER, answer: 'coming_home', date: '2031-01-25', answeredAt: EARLIER },
      { parentId: father, childId: elder, askedAt: NOW, answer: null, date: null, answeredAt: null },
      { parentId: father, childId: younger, askedAt: NOW, answer: null, date: null, answeredAt: null },
      { parentId: mother, childId: elder, askedAt: NOW, answer: null, date: null, answeredAt: null },
    ]);
  });

  it('reads the stored sealed values in batches and counts their rows as a client without the keyring does', async () => {
    const oldKey = randomBytes(32);
    const plain = await openDatabase(database.target);
    const old = await openDatabase(database.target, new TextKeyring([oldKey]));
    try {
      await db.child.update({ where: { id: village.childId }, data: { familySituation: '父母在外务工', healthStatus: '' } });
      await plain.db.child.create({ data: { name: '加密前的孩子', birthDate: '2015-01-01', areaId: village.villageId, familySituation: '加密前写的' } });
      await old.db.child.create({ data: { name: '旧钥匙的孩子', birthDate: '2014-01-01', areaId: village.villageId, healthStatus: '旧钥匙封的' } });
      const to = { channel: 'http', botAccount: 'default', address: 'tel:1', isRoom: false };
      await queueMessage(db, to, { key: 'contact.reminder', params: { child: '张小明' }, text: '封好的提醒' }, { now: NOW });
      await queueMessage(plain.db, to, { key: 'contact.reminder', params: { child: '张小明' }, text: '加密前的提醒' }, { now: NOW });
      await queueMessage(old.db, to, { key: 'contact.reminder', params: { child: '张小明' }, text: '旧钥匙的提醒' }, { now: NOW });
      await queueMessage(db, to, '没有参数的回答', { now: NOW });
      await queuePromptsOnce(db, engine, [{ to, text: { key: 'contact.reminder', params: { child: '张小明' }, text: '批量的提醒' }, dedupeKey: 'p' }], NOW);

      const batchSize = 2;
      let rows = 0;
      for (const model of Object.keys(SEALED_TABLES) as SealedModel[]) {
        const delegate = plain.db[model] as unknown as { findMany(args: object): Promise<Array<Record<string, unknown> & { id: number }>> };
        const select = Object.fromEntries(['id', ...SEALED_FIELDS[model]].map((field) => [field, true]));
        for (let after = 0; ; ) {
          const raw = await storedRows(db, model, after, batchSize);
          expect(raw).toEqual(await delegate.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: batchSize, select }));
          if (raw.length === 0) break;
          rows += raw.length;
          after = raw[raw.length - 1]!.id;
        }
      }
      let counted = 0;
      for (const model of Object.keys(SEALED_TABLES) as SealedModel[]) counted += await (plain.db[model] as unknown as { count(): Promise<number> }).count();
      expect(await countSealableRows(db)).toBe(counted);
      expect(rows).toBe(counted);
      expect(counted).toBe(3 + 5);
      // the batches saw sealed, old-key and clear values, text and JSON alike
      const outbox = await storedRows(db, 'outboxMessage', 0, 10);
      expect(outbox.map((row) => [String(row.text).slice(0, 4), typeof row.params === 'string' ? row.params.slice(0, 4) : row.params])).toEqual([
        ['st1:', 'sj1:'],
        ['加密前的', { child: '张小明' }],
        ['st1:', 'sj1:'],
        ['st1:', null],
        ['st1:', 'sj1:'],
      ]);
    } finally {
      await plain.close();
      await old.close();
    }
  });

  it('creates an account’s token row once, leaving a stored token and lease as they are, as an upsert does', async () => {
    const held = { accessToken: 'token-1', expiresAt: LATER, refreshOwner: 'other', refreshLeaseUntil: new Date(NOW.getTime() + MINUTE), blockedUntil: null, refreshedAt: EARLIER };
    for (const set of ['raw', 'typed']) {
      await db.platformToken.create({ data: { account: `${set}/held`, ...held } });
      await db.platformToken.create({ data: { account: `${set}/lease-over`, ...held, refreshLeaseUntil: EARLIER } });
      await db.platformToken.create({ data: { account: `${set}/blocked`, ...held, blockedUntil: EARLIER } });
    }
    const taken: boolean[][] = [];
    for (const account of ['new', 'held', 'lease-over']) {
      taken.push([await takeTokenRefreshLease(db, `raw/${account}`, 'me', NOW, 5 * MINUTE), await typed.takeTokenRefreshLease(db, `typed/${account}`, 'me', NOW, 5 * MINUTE)]);
    }
    for (const account of ['unblocked', 'blocked']) {
      await blockAccountUntil(db, `raw/${account}`, LATER);
      await typed.blockAccountUntil(db, `typed/${account}`, LATER);
    }

    const rowsOf = async (set: string) =>
      (await db.platformToken.findMany({ where: { account: { startsWith: `${set}/` } }, orderBy: { account: 'asc' } })).map((row) => ({ ...row, account: row.account.slice(set.length + 1) }));
    const raw = await rowsOf('raw');
    expect(raw).toEqual(await rowsOf('typed'));
    expect(taken).toEqual([[true, true], [false, false], [true, true]]);
    expect(raw.map((row) => [row.account, row.accessToken, row.refreshOwner, row.blockedUntil])).toEqual([
      ['blocked', 'token-1', 'other', LATER],
      ['held', 'token-1', 'other', null],
      ['lease-over', 'token-1', 'me', null],
      ['new', null, 'me', null],
      ['unblocked', null, null, LATER],
    ]);
  });

  it('reads the week’s away parents with whether each child was contacted and its care rooms, as the typed readers do', async () => {
    const parent = async (name: string, chats: string[]) => {
      const id = await person(name);
      for (const [index, externalId] of chats.entries()) {
        await db.chatIdentity.create({ data: { personId: id, channel: 'wechaty', botAccount: 'village-a', externalId, lastSeenAt: new Date(EARLIER.getTime() + index * MINUTE) } });
      }
      return id;
    };
    const link = (childId: number, personId: number, kind: 'parent' | 'guardian' = 'parent') =>
      db.childLink.create({ data: { childId, personId, kind, worksAway: kind === 'parent' ? true : null, startedAt: EARLIER } });
    const contact = (childId: number, parentId: number, loggedById: number, weekKey: string) =>
      db.contactLog.create({ data: { childId, parentId, loggedById, method: 'video', contactedAt: NOW, weekKey } });
    const room = (childId: number, externalId: string) => db.careRoom.create({ data: { childId, channel: 'wechaty', botAccount: 'village-a', externalId, boundById: village.directorId } });

    const [elder, younger, other] = [await child('王大', '2012-03-01'), await child('王二', '2016-03-01'), await child('李一', '2013-01-01')];
    const father = await parent('王父', ['wx-old', 'wx-new']);
    const mother = await parent('王母', ['wx-mother']);
    const li = await parent('李父', ['wx-li']);
    const grandma = await parent('王奶奶', ['wx-grandma']);
    for (const [kid, who] of [[younger, father], [elder, father], [elder, mother], [other, li]] as const) await link(kid, who);
    await link(elder, grandma, 'guardian');
    await contact(elder, father, grandma, '2030-W45'); // a guardian's 已联系 counts for the parent
    await contact(younger, father, father, '2030-W44'); // last week's does not
    await contact(elder, li, li, '2030-W45'); // nor one with another child
    await room(elder, 'room-b');
    await room(other, 'room-li');
    await room(elder, 'room-a');

    const raw: AwayParentWeek[] = [];
    for await (const batch of awayParentWeekBatches(db, '2030-W45', 2)) raw.push(...batch);
    expect(raw).toEqual(await typed.awayParentWeeks(db, '2030-W45'));
    expect(raw.map((parent) => [parent.name, parent.address.address, parent.children.map((kid) => [kid.name, kid.contacted, kid.rooms.map((r) => r.address)])])).toEqual([
      ['王父', 'wx-new', [['王大', true, ['room-b', 'room-a']], ['王二', false, []]]],
      ['王母', 'wx-mother', [['王大', false, ['room-b', 'room-a']]]],
      ['李父', 'wx-li', [['李一', false, ['room-li']]]],
    ]);
  });

  it('summarizes a closed week per area, and again for both areas when a child moves, as counting the verdicts does', async () => {
    const { eastId } = await addVillages(db, village.townshipId);
    const parentId = await person('王父');
    const verdict = (childId: number, weekKey: string, status: 'kept' | 'missed' | 'paused') =>
      db.contactWeek.create({ data: { childId, parentId, weekKey, weekStart: EARLIER, status, closedAt: NOW } });
    const [moving, staying, east] = [await child('会搬走的', '2014-01-01'), await child('留下的', '2015-01-01'), await child('东山的', '2016-01-01', eastId)];
    for (const [kid, w45, w46] of [[moving, 'kept', 'missed'], [staying, 'missed', 'kept'], [village.childId, 'paused', 'paused'], [east, 'missed', 'missed']] as const) {
      await verdict(kid, '2030-W45', w45);
      await verdict(kid, '2030-W46', w46);
    }
    // a summary left from an earlier close of W45, wrong by now, and a week never summarized
    await db.contactWeekSummary.create({ data: { weekKey: '2030-W45', areaId: village.townshipId, kept: 9, missed: 9, paused: 9 } });
    const summary = (weekKey: string) => db.contactWeekSummary.findMany({ where: { weekKey }, orderBy: { areaId: 'asc' } });

    await summarizeContactWeek(db, '2030-W45', NOW);
    expect(await summary('2030-W45')).toEqual(await typed.weekSummary(db, '2030-W45'));
    expect(await summary('2030-W45')).toEqual([
      { weekKey: '2030-W45', areaId: village.villageId, kept: 1, missed: 1, paused: 1 },
      { weekKey: '2030-W45', areaId: eastId, kept: 0, missed: 1, paused: 0 },
    ]);

    await db.child.update({ where: { id: moving }, data: { areaId: eastId } });
    await db.$transaction((tx) => summarizeAgainAfterMove(tx, moving, [village.villageId, eastId]));
    expect(await summary('2030-W45')).toEqual(await typed.weekSummary(db, '2030-W45'));
    expect(await summary('2030-W45')).toEqual([
      { weekKey: '2030-W45', areaId: village.villageId, kept: 0, missed: 1, paused: 1 },
      { weekKey: '2030-W45', areaId: eastId, kept: 1, missed: 1, paused: 0 },
    ]);
    expect(await summary('2030-W46')).toEqual([]);
  });
});
