import { awayParentAddressBatches, awayParentBatches } from '../../src/store/contact/contactWeeks';
import { freshestAddresses } from '../../src/store/messaging/identities';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

const SINCE = new Date('2026-10-01T00:00:00Z');

describeEachEngine('the holiday question’s SQL reader beside its typed twin', (engine) => {
  let database: TestDatabase;
  afterEach(() => database.drop());

  it('reads the same parents, addresses and children, leaving out ended, archived and not-away links, guardians and parents without a chat', async () => {
    database = await createTestDatabase(engine);
    const { db } = database;
    const village = await createVillage(db, SINCE);
    const child = async (name: string, birthDate: string, archived = false) =>
      (await db.child.create({ data: { name, birthDate, areaId: village.villageId, archivedAt: archived ? SINCE : null } })).id;
    const person = async (name: string, role: 'parent' | 'guardian', chats: Array<{ id: string; seen: string; unreachable?: boolean }>) => {
      const id = (await db.person.create({ data: { name, role, areaId: village.villageId } })).id;
      for (const chat of chats) {
        await db.chatIdentity.create({
          data: { personId: id, channel: 'wechaty', botAccount: 'village-a', externalId: chat.id, lastSeenAt: new Date(chat.seen), unreachableAt: chat.unreachable ? new Date(chat.seen) : null },
        });
      }
      return id;
    };
    const link = (childId: number, personId: number, options: { kind?: 'parent' | 'guardian'; worksAway?: boolean; ended?: boolean } = {}) =>
      db.childLink.create({
        data: { childId, personId, kind: options.kind ?? 'parent', worksAway: (options.kind ?? 'parent') === 'parent' ? (options.worksAway ?? true) : null, startedAt: SINCE, endedAt: options.ended ? SINCE : null },
      });

    const elder = await child('王大', '2012-03-01');
    const younger = await child('王二', '2016-03-01');
    const archived = await child('王三', '2014-03-01', true);
    const father = await person('王父', 'parent', [{ id: 'wx-old', seen: '2026-10-02T00:00:00Z' }, { id: 'wx-new', seen: '2026-11-02T00:00:00Z' }]);
    for (const id of [younger, elder, archived]) await link(id, father);
    const mother = await person('王母', 'parent', [{ id: 'wx-mother', seen: '2026-10-02T00:00:00Z' }, { id: 'wx-mother-gone', seen: '2026-11-20T00:00:00Z', unreachable: true }]);
    await link(elder, mother);
    await link(younger, mother, { ended: true });
    await link(village.childId, await person('张父', 'parent', [{ id: 'wx-home', seen: '2026-10-02T00:00:00Z' }]), { worksAway: false });
    await link(village.childId, await person('张母', 'parent', []));
    await link(village.childId, await person('张前父', 'parent', [{ id: 'wx-ended', seen: '2026-10-02T00:00:00Z' }]), { ended: true });
    await link(village.childId, await person('张奶奶', 'guardian', [{ id: 'wx-grandma', seen: '2026-10-02T00:00:00Z' }]), { kind: 'guardian' });
    for (let i = 1; i <= 3; i += 1) await link(await child(`李${i}`, `201${i}-01-01`), await person(`李父${i}`, 'parent', [{ id: `wx-li-${i}`, seen: '2026-10-02T00:00:00Z' }]));

    const fromSql = [];
    for await (const batch of awayParentAddressBatches(db, 2)) fromSql.push(...batch);
    const typed = [];
    for await (const batch of awayParentBatches(db, { period: { current: true }, withChatIdentity: true, batchSize: 2 })) {
      const addresses = await freshestAddresses(db, batch.map((parent) => parent.id));
      typed.push(...batch.map((parent) => ({ id: parent.id, name: parent.name, address: addresses.get(parent.id)!, children: parent.children })));
    }

    expect(fromSql).toEqual(typed);
    expect(fromSql.map((parent) => [parent.name, parent.address.address, parent.children.map((kid) => kid.name)])).toEqual([
      ['王父', 'wx-new', ['王大', '王二']],
      ['王母', 'wx-mother', ['王大']],
      ['李父1', 'wx-li-1', ['李1']],
      ['李父2', 'wx-li-2', ['李2']],
      ['李父3', 'wx-li-3', ['李3']],
    ]);
  });
});
