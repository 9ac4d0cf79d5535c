import { COMMANDS, routeMessage } from '../../src/chat/router';
import type { ChatTurn } from '../../src/chat/turn';
import type { PersonRole } from '../../src/store/db/database';
import type { Sender } from '../../src/store/messaging/identities';
import { recordInbound } from '../../src/store/messaging/inbox';
import { FUZZ_SCALE, FUZZ_SEED, Random } from '../support/fuzz';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { createVillage, invitePerson, type TestVillage } from '../support/village';

const NOW = new Date('2026-11-20T02:00:00Z');
const UNBOUND_INPUTS = 8000 * FUZZ_SCALE;
const BOUND_INPUTS = 12_000 * FUZZ_SCALE;
const KEYWORDS = [...COMMANDS.flatMap((command) => command.keywords), '1', '2 正常', '已联系', '关注', '我的', '取消', '上一步'];
/** What a reply must never show: stack frames, source or system paths, SQL, the ORM. */
const LEAK = /\bat \S+ \(|\.ts:\d|node_modules|\/work\/|\/tmp\/|prisma|SELECT |INSERT INTO|undefined|NaN|\[object/i;

/**
 * The chat router, straight (no inbox, no HTTP: fast), on 20,000 random messages: CJK, emoji,
 * control characters, lone surrogates, 100,000 characters, SQL, half a command. SQLite only:
 * what the engines differ in is fuzzed through the HTTP channel on both (api/fuzz.test.ts).
 */
describe('the chat router, fuzzed', () => {
  let database: TestDatabase;
  let village: TestVillage;
  const senders: Array<Sender | null> = [null];
  let messageId: number;
  const tally = { messages: 0, replies: 0, silent: 0 };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    village = await createVillage(database.db, NOW);
    const roles: Array<[PersonRole, 'parent' | 'guardian' | 'teacher' | undefined]> = [['director', undefined], ['parent', 'parent'], ['guardian', 'guardian'], ['teacher', 'teacher']];
    for (const [role, linkKind] of roles) {
      const { personId } = await invitePerson(database.db, { name: `${role}者`, role, areaId: village.villageId, childId: linkKind ? village.childId : undefined, linkKind, now: NOW });
      const identity = await database.db.chatIdentity.create({ data: { personId, channel: 'http', botAccount: 'default', externalId: `fuzz-${role}`, boundAt: NOW, lastSeenAt: NOW } });
      senders.push({ identityId: identity.id, person: { id: personId, name: `${role}者`, role, areaId: village.villageId }, mayHaveDialog: true });
    }
    messageId = (await recordInbound(database.db, { channel: 'http', botAccount: 'default', platformMessageId: 'fuzz', from: { externalId: 'fuzz' }, text: '', receivedAt: NOW })).id;
  });
  afterAll(async () => {
    process.stdout.write(`chat fuzz seed ${FUZZ_SEED}: ${tally.messages} messages, ${tally.replies} replies, ${tally.silent} unanswered\n`);
    await database.drop();
  });

  function message(random: Random): string {
    const text = random.text();
    return random.next() < 0.5 ? `${random.pick(KEYWORDS)}${random.pick(['', ' ', '　', '\n'])}${text}` : text;
  }

  async function say(sender: Sender | null, text: string, inRoom: boolean): Promise<string[]> {
    const replies: string[] = [];
    await database.db.$transaction(async (tx) => {
      const turn: ChatTurn = {
        tx,
        now: NOW,
        message: { id: messageId, channel: 'http', botAccount: 'default', kind: 'message', fromExternalId: 'fuzz', fromName: null, roomExternalId: inRoom ? 'room-1' : null, mentionsBot: inRoom, fromTag: null, text, attachment: null, receivedAt: NOW },
        sender,
        settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 },
        reply: async (reply) => {
          replies.push(reply);
        },
        notify: async () => true,
        notifyCareRooms: async () => 0,
      };
      await routeMessage(turn);
    });
    tally.messages += 1;
    tally.replies += replies.length;
    if (replies.length === 0) tally.silent += 1;
    // A reply may quote the sender's own words ("本村没有名为…的孩子"): random letters such as "hnangl" are no leak.
    const ownWords = text.split(/\s+/).filter(Boolean);
    for (const reply of replies) {
      const ours = ownWords.reduce((left, word) => left.replaceAll(word, ''), reply);
      if (reply.length === 0 || LEAK.test(ours)) throw new Error(`seed ${FUZZ_SEED}: ${JSON.stringify(text.slice(0, 200))} → ${JSON.stringify(reply.slice(0, 300))}`);
    }
    return replies;
  }

  const rowCounts = async () => {
    const { db } = database;
    return { people: await db.person.count(), identities: await db.chatIdentity.count(), invites: await db.invite.count(), reports: await db.report.count(), links: await db.childLink.count(), rooms: await db.careRoom.count(), outbox: await db.outboxMessage.count(), audit: await db.auditLog.count() };
  };

  it('answers whoever has not bound with a hint, and writes nothing, whatever they send', async () => {
    const random = new Random(FUZZ_SEED);
    const before = await rowCounts();
    for (let i = 0; i < UNBOUND_INPUTS; i += 1) await say(null, message(random), false);
    expect(await rowCounts()).toEqual(before);
  });

  it('survives anything a bound director, parent, guardian or teacher sends, in private or in a room', async () => {
    const random = new Random(FUZZ_SEED + 1);
    for (let i = 0; i < BOUND_INPUTS; i += 1) await say(random.pick(senders.slice(1)), message(random), random.next() < 0.2);
    expect(tally.messages).toBe(UNBOUND_INPUTS + BOUND_INPUTS);
  });
});
