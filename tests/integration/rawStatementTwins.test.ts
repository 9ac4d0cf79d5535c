import { awayParentBatches, awayParentWeekBatches } from '../../src/store/contact/contactWeeks';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { createVillage } from '../support/village';

/**
 * Each raw SQL statement of the store beside its typed twin, run on the same data: links that
 * ended, children archived, parents not away, parents without a chat. A rule changed in one and
 * not the other (CURRENT_AWAY_LINK and awayLinkWhere in contactWeeks.ts) fails here.
 */
describeEachEngine('raw statements and their typed twins', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
  });
  afterAll(() => database.drop());

  it('the weekly prompts read (SQL) the same away parents and children as the typed reader', async () => {
    const { db } = database;
    const since = new Date('2026-10-01T00:00:00Z');
    const village = await createVillage(db, since);
    const child = async (name: string, archived = false) =>
      (await db.child.create({ data: { name, birthDate: '2015-03-01', areaId: village.villageId, archivedAt: archived ? since : null } })).id;
    const parent = async (name: string, chat: boolean) => {
      const { id } = await db.person.create({ data: { name, role: 'parent', areaId: village.villageId } });
      if (chat) await db.chatIdentity.create({ data: { personId: id, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${id}` } });
      return id;
    };
    const link = (personId: number, childId: number, link: { worksAway?: boolean; ended?: boolean; kind?: 'parent' | 'guardian' } = {}) =>
      db.childLink.create({
        data: { personId, childId, kind: link.kind ?? 'parent', worksAway: link.worksAway ?? true, startedAt: since, endedAt: link.ended ? since : null },
      });

    const mixed = await parent('家长甲', true);
    await link(mixed, await child('现在的孩子'));
    await link(mixed, await child('链接已结束', false), { ended: true });
    await link(mixed, await child('不在外务工', false), { worksAway: false });
    await link(mixed, await child('已归档', true));
    const onlyEnded = await parent('家长乙', true);
    await link(onlyEnded, await child('乙的孩子'), { ended: true });
    const noChat = await parent('家长丙', false);
    await link(noChat, await child('丙的孩子'));
    const atHome = await parent('家长丁', true);
    await link(atHome, await child('丁的孩子'), { worksAway: false });
    const two = await parent('家长戊', true);
    await link(two, await child('戊的老大'));
    await link(two, await child('戊的老二'));
    const guardian = (await db.person.create({ data: { name: '监护人己', role: 'guardian', areaId: village.villageId } })).id;
    await db.chatIdentity.create({ data: { personId: guardian, channel: 'wechaty', botAccount: 'village-a', externalId: 'wxid-guardian' } });
    await link(guardian, await child('己照看的孩子'), { kind: 'guardian' });

    const shape = (parents: Array<{ id: number; children: Array<{ id: number }> }>) =>
      parents.map((p) => [p.id, p.children.map((c) => c.id).sort((a, b) => a - b)] as const).sort((a, b) => a[0] - b[0]);
    const raw = [];
    for await (const batch of awayParentWeekBatches(db, '2026-W45', 2)) raw.push(...batch);
    const typed = [];
    for await (const batch of awayParentBatches(db, { period: { current: true }, withChatIdentity: true, batchSize: 2 })) typed.push(...batch);

    expect(shape(raw)).toEqual(shape(typed));
    expect(shape(raw).map(([id]) => id)).toEqual([mixed, two]);
    expect(shape(raw)[0]![1]).toHaveLength(1);
  });
});
