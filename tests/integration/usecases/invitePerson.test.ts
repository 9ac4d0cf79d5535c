import type { Db } from '../../../src/store/db/database';
import { tokenFor } from '../../support/adminApi';
import { describeEachEngine } from '../../support/testDatabase';
import { twoDoors } from '../../support/twoDoors';

/**
 * Registering a parent for a child and inviting them is one use case (src/usecases/invitePerson.ts)
 * with two doors: a director's 邀请 in chat, and the API's POST /people, /children/:id/links and
 * /invites. Both must leave the same records: the person, the link, the recomputed left-behind
 * status and category, the invite, and the audit entries.
 */
describeEachEngine('inviting a parent, in chat and through the API', (engine) => {
  const now = new Date('2026-11-25T02:00:00Z');
  const doors = twoDoors(engine, { villageAt: now, now });

  /** What the invitation left behind for one child, with ids replaced by what they name. */
  async function recordsOf(db: Db, childId: number, actor: string) {
    const child = await db.child.findUniqueOrThrow({ where: { id: childId }, select: { leftBehind: true, categories: { select: { category: true } } } });
    const links = await db.childLink.findMany({ where: { childId }, select: { kind: true, worksAway: true, relation: true, endedAt: true, person: { select: { name: true, role: true, areaId: true } } } });
    const invites = await db.invite.findMany({ where: { childId }, select: { role: true, areaId: true, usedAt: true, revokedAt: true, expiresAt: true } });
    const audit = await db.auditLog.findMany({ where: { actor }, orderBy: { id: 'asc' }, select: { action: true, subjectType: true } });
    return { leftBehind: child.leftBehind, categories: child.categories.map(({ category }) => category), links, invites, audit };
  }

  it('leaves the same person, link, left-behind status, invite and audit trail through either door', async () => {
    // Both children have a mother at home who cannot look after them: a father working away makes them left-behind.
    const second = await doors.database.db.child.create({ data: { name: '张小红', birthDate: '2016-05-01', areaId: doors.village.villageId } });
    for (const childId of [doors.village.childId, second.id]) {
      const mother = await doors.database.db.person.create({ data: { name: '母亲', role: 'parent', areaId: doors.village.villageId, hasGuardianshipCapacity: false } });
      await doors.database.db.childLink.create({ data: { childId, personId: mother.id, kind: 'parent', worksAway: false } });
    }
    expect(await doors.say(`绑定 ${doors.village.directorCode}`)).toEqual([expect.stringMatching(/^绑定成功/)]);
    expect(await doors.say('邀请 家长 刘强 张小明')).toEqual([expect.stringMatching(/邀请码：\d{6}/)]);

    const token = await tokenFor(doors.database.db, 'director', '880101001001');
    const person = await doors.api.call('POST', '/people', { token, body: { name: '刘强', role: 'parent', areaCode: '880101001001' } });
    expect(person.status).toBe(201);
    const link = await doors.api.call('POST', `/children/${second.id}/links`, { token, body: { personId: person.body.id, kind: 'parent', worksAway: true } });
    expect(link.status).toBe(201);
    const invite = await doors.api.call('POST', '/invites', { token, body: { personId: person.body.id, childId: second.id } });
    expect(invite.status).toBe(201);

    const tokenRow = await doors.database.db.apiToken.findFirstOrThrow({ orderBy: { id: 'desc' }, select: { id: true } });
    const byChat = await recordsOf(doors.database.db, doors.village.childId, `person:${doors.village.directorId}`);
    const byApi = await recordsOf(doors.database.db, second.id, `token:${tokenRow.id}`);
    expect(byChat.leftBehind).toBe(true);
    expect(byChat.categories).toEqual(['left_behind']);
    expect(byChat.audit.map(({ action }) => action)).toEqual(['person.create', 'child.link', 'invite.create']);
    expect(byChat).toEqual(byApi);
  });
});
