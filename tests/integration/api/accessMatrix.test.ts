import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_ROLES, type ApiRole } from '../../../src/domain/apiAccess';
import type { Access } from '../../../src/api/auth';
import { RESOURCES } from '../../../src/api/routes';
import { createApiToken } from '../../../src/store/access/apiTokens';
import { saveAttachment } from '../../../src/store/messaging/attachments';
import { LEDGERS } from '../../../src/store/ledgers';
import { createUserAccount } from '../../../src/store/access/userAccounts';
import { startApiServer, type ApiTestServer } from '../../support/adminApi';
import { createApiWorld, type ApiWorld, type VillageRecords } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

interface Probe {
  route: string;
  access: Access;
  /** The status of an allowed caller inside its area. */
  ok: number;
  /** Where to call, given the village's records (the inside or the outside one); may prepare rows first. */
  request(records: VillageRecords, db: TestDatabase): Promise<{ path: string; body?: unknown }>;
}

let sequence = 0;

/** A fresh referral of the village's case to education, in the given state, so every caller finds it actionable. */
async function referralOf(r: VillageRecords, database: TestDatabase, state: 'sent' | 'accepted'): Promise<number> {
  const report = await database.db.report.findUniqueOrThrow({ where: { number: r.caseNumber } });
  const referral = await database.db.referral.create({ data: { reportId: report.id, department: 'education', state, sentAt: new Date(), dueAt: new Date('2030-01-01') } });
  return referral.id;
}
/** Where the probes' attachment files live: the API streams them from here. */
const attachmentDir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-matrix-attachments-'));

/** A photo on the village's case, on disk and in the database. */
async function photoOf(r: VillageRecords, database: TestDatabase): Promise<number> {
  const stored = await saveAttachment(attachmentDir, { kind: 'image', name: 'photo.jpg', mimeType: 'image/jpeg', data: Buffer.from(`photo ${++sequence}`) }, database.keyring);
  const report = await database.db.report.findUniqueOrThrow({ where: { number: r.caseNumber } });
  return (await database.db.reportAttachment.create({ data: { reportId: report.id, ...stored } })).id;
}

const PROBES: Probe[] = [
  { route: 'GET /areas/:code', access: 'read', ok: 200, request: async (r) => ({ path: `/areas/${r.villageCode}` }) },
  { route: 'GET /children', access: 'read', ok: 200, request: async (r) => ({ path: `/children?area=${r.villageCode}` }) },
  { route: 'GET /children/:id', access: 'read', ok: 200, request: async (r) => ({ path: `/children/${r.childId}` }) },
  { route: 'GET /children/:id/national-id', access: 'officer', ok: 200, request: async (r) => ({ path: `/children/${r.childId}/national-id` }) },
  { route: 'PATCH /children/:id', access: 'write', ok: 200, request: async (r) => ({ path: `/children/${r.childId}`, body: { healthStatus: '良好' } }) },
  {
    route: 'POST /children',
    access: 'write',
    ok: 201,
    request: async (r) => ({ path: '/children', body: { areaCode: r.villageCode, name: `新生${++sequence}`, birthDate: '2019-03-01' } }),
  },
  { route: 'GET /children/:id/check-ins', access: 'read', ok: 200, request: async (r) => ({ path: `/children/${r.childId}/check-ins` }) },
  { route: 'GET /people', access: 'read', ok: 200, request: async (r) => ({ path: `/people?area=${r.villageCode}` }) },
  { route: 'GET /people/:id', access: 'read', ok: 200, request: async (r) => ({ path: `/people/${r.parentId}` }) },
  { route: 'PATCH /people/:id', access: 'write', ok: 200, request: async (r) => ({ path: `/people/${r.parentId}`, body: { wecomUserId: null } }) },
  { route: 'POST /people', access: 'write', ok: 201, request: async (r) => ({ path: '/people', body: { areaCode: r.villageCode, name: '新家长', role: 'parent' } }) },
  {
    route: 'POST /children/:id/links',
    access: 'write',
    ok: 201,
    request: async (r) => ({ path: `/children/${r.childId}/links`, body: { personId: r.parentId, kind: 'parent', relation: '父亲', worksAway: true } }),
  },
  { route: 'POST /children/:id/links/:linkId/end', access: 'write', ok: 200, request: async (r) => ({ path: `/children/${r.childId}/links/${r.linkId}/end` }) },
  { route: 'GET /invites', access: 'read', ok: 200, request: async (r) => ({ path: `/invites?area=${r.villageCode}` }) },
  { route: 'POST /invites', access: 'write', ok: 201, request: async (r) => ({ path: '/invites', body: { personId: r.parentId, childId: r.childId } }) },
  {
    route: 'POST /invites/:id/revoke',
    access: 'write',
    ok: 200,
    request: async (r, database) => {
      const invite = await database.db.invite.create({
        data: { code: String(200000 + ++sequence), personId: r.parentId, role: 'parent', areaId: (await database.db.area.findUniqueOrThrow({ where: { code: r.villageCode } })).id, expiresAt: new Date('2030-01-01') },
      });
      return { path: `/invites/${invite.id}/revoke` };
    },
  },
  { route: 'GET /cases', access: 'read', ok: 200, request: async (r) => ({ path: `/cases?area=${r.villageCode}` }) },
  { route: 'GET /cases/:number/attachments', access: 'read', ok: 200, request: async (r) => ({ path: `/cases/${r.caseNumber}/attachments` }) },
  { route: 'GET /cases/:number/attachments/:id', access: 'write', ok: 200, request: async (r, db) => ({ path: `/cases/${r.caseNumber}/attachments/${await photoOf(r, db)}` }) },
  { route: 'GET /case-counts', access: 'read', ok: 200, request: async (r) => ({ path: `/case-counts?area=${r.villageCode}` }) },
  { route: 'GET /cases/:number', access: 'read', ok: 200, request: async (r) => ({ path: `/cases/${r.caseNumber}` }) },
  {
    route: 'POST /cases/:number/steps',
    access: 'write',
    ok: 201,
    request: async (r, database) => {
      // every caller finds the case freshly reported, so each may verify it
      await database.db.report.update({ where: { number: r.caseNumber }, data: { state: 'reported' } });
      return { path: `/cases/${r.caseNumber}/steps`, body: { action: 'verify', note: '已上门核实' } };
    },
  },
  { route: 'GET /referrals/:id', access: 'department', ok: 200, request: async (r, database) => ({ path: `/referrals/${await referralOf(r, database, 'sent')}` }) },
  { route: 'POST /referrals/:id/accept', access: 'department', ok: 200, request: async (r, database) => ({ path: `/referrals/${await referralOf(r, database, 'sent')}/accept`, body: {} }) },
  {
    route: 'POST /referrals/:id/progress',
    access: 'department',
    ok: 200,
    request: async (r, database) => ({ path: `/referrals/${await referralOf(r, database, 'accepted')}/progress`, body: { note: '已联系学校' } }),
  },
  {
    route: 'POST /referrals/:id/feedback',
    access: 'department',
    ok: 200,
    request: async (r, database) => ({ path: `/referrals/${await referralOf(r, database, 'accepted')}/feedback`, body: { note: '已劝返复学' } }),
  },
  {
    route: 'POST /referrals/:id/return',
    access: 'department',
    ok: 200,
    request: async (r, database) => ({ path: `/referrals/${await referralOf(r, database, 'sent')}/return`, body: { note: '不属于本部门职责' } }),
  },
  { route: 'GET /agreements', access: 'read', ok: 200, request: async (r) => ({ path: `/agreements?area=${r.villageCode}` }) },
  { route: 'GET /agreements/:id', access: 'read', ok: 200, request: async (r) => ({ path: `/agreements/${r.agreementId}` }) },
  { route: 'GET /assessments', access: 'read', ok: 200, request: async (r) => ({ path: `/assessments?area=${r.villageCode}` }) },
  { route: 'GET /contact-weeks', access: 'read', ok: 200, request: async (r) => ({ path: `/contact-weeks?area=${r.villageCode}&week=2026-W46` }) },
  { route: 'GET /school-calendars', access: 'read', ok: 200, request: async (r) => ({ path: `/school-calendars?area=${r.villageCode}` }) },
  { route: 'GET /data-requests', access: 'read', ok: 200, request: async (r) => ({ path: `/data-requests?area=${r.villageCode}&open=true` }) },
  {
    route: 'POST /data-requests/:id/answer',
    access: 'write',
    ok: 200,
    request: async (r, database) => {
      // a fresh open request of the village's parent for every caller
      const parent = await database.db.person.findUniqueOrThrow({ where: { id: r.parentId } });
      const request = await database.db.dataRequest.create({
        data: { personId: parent.id, areaId: parent.areaId, kind: 'correction', text: '电话有误', dueAt: new Date('2026-12-05T00:00:00Z'), createdAt: new Date('2026-11-20T00:00:00Z') },
      });
      return { path: `/data-requests/${request.id}/answer`, body: { answer: '已更正' } };
    },
  },
  {
    route: 'PUT /school-calendars',
    access: 'write',
    ok: 200,
    request: async (r) => ({ path: '/school-calendars', body: { areaCode: r.villageCode, year: 2027, vacation: 'summer', startsOn: '2027-07-10', endsOn: '2027-08-31' } }),
  },
  {
    route: 'POST /outbox/dead-letters/:id/retry',
    access: 'write',
    ok: 202,
    request: async (r, database) => {
      await database.db.outboxMessage.update({ where: { id: r.deadLetterId }, data: { status: 'dead' } });
      return { path: `/outbox/dead-letters/${r.deadLetterId}/retry` };
    },
  },
  {
    route: 'POST /areas',
    access: 'officer',
    ok: 201,
    request: async (r) => ({ path: '/areas', body: { parentCode: r.townshipCode, code: `${r.townshipCode}${String(100 + ++sequence)}`, name: '新村' } }),
  },
  { route: 'POST /tokens', access: 'officer', ok: 201, request: async (r) => ({ path: '/tokens', body: { role: 'auditor', areaCode: r.villageCode } }) },
  {
    route: 'POST /tokens/:id/revoke',
    access: 'officer',
    ok: 200,
    request: async (r, database) => ({ path: `/tokens/${(await createApiToken(database.db, { role: 'director', areaCode: r.villageCode, createdBy: 'test' })).id}/revoke` }),
  },
  {
    route: 'POST /users',
    access: 'officer',
    ok: 201,
    request: async (r) => ({ path: '/users', body: { login: `user${++sequence}`, name: '新主任', role: 'director', areaCode: r.villageCode, password: 'a-long-password' } }),
  },
  {
    route: 'POST /users/:id/unlock',
    access: 'officer',
    ok: 200,
    request: async (r, database) => ({
      path: `/users/${(await createUserAccount(database.db, { login: `locked${++sequence}`, name: '主任', role: 'director', areaCode: r.villageCode, password: 'a-long-password', createdBy: 'test', now: new Date() })).id}/unlock`,
    }),
  },
  {
    route: 'POST /users/:id/disable',
    access: 'officer',
    ok: 200,
    request: async (r, database) => ({
      path: `/users/${(await createUserAccount(database.db, { login: `leaving${++sequence}`, name: '主任', role: 'director', areaCode: r.villageCode, password: 'a-long-password', createdBy: 'test', now: new Date() })).id}/disable`,
    }),
  },
  { route: 'GET /reports/quarterly', access: 'read', ok: 200, request: async (r) => ({ path: `/reports/quarterly?area=${r.villageCode}&quarter=2026Q3` }) },
  // No file is sent: the area is checked (404 outside) before the missing file is refused.
  { route: 'POST /imports/children', access: 'write', ok: 415, request: async (r) => ({ path: `/imports/children?area=${r.villageCode}` }) },
  ...LEDGERS.filter((ledger) => !ledger.exportOnly).map(
    (ledger): Probe => ({ route: `GET /ledgers/${ledger.name}`, access: 'read', ok: 200, request: async (r) => ({ path: `/ledgers/${ledger.name}?area=${r.villageCode}` }) }),
  ),
  ...LEDGERS.map(
    (ledger): Probe => ({ route: `GET /exports/${ledger.name}`, access: 'read', ok: 200, request: async (r) => ({ path: `/exports/${ledger.name}?format=csv&area=${r.villageCode}` }) }),
  ),
];

/** Routes whose answer is a list of the whole area: what is outside must be missing, not a 404. */
const LIST_PROBES: Array<{ route: string; path: string; ids(body: { items: Array<Record<string, unknown>> }): unknown[]; id(r: VillageRecords): unknown }> = [
  { route: 'GET /areas', path: '/areas', ids: (b) => b.items.map((i) => i.code), id: (r) => r.villageCode },
  { route: 'GET /children', path: '/children', ids: (b) => b.items.map((i) => i.id), id: (r) => r.childId },
  { route: 'GET /people', path: '/people', ids: (b) => b.items.map((i) => i.id), id: (r) => r.parentId },
  { route: 'GET /cases', path: '/cases', ids: (b) => b.items.map((i) => i.number), id: (r) => r.caseNumber },
  { route: 'GET /agreements', path: '/agreements', ids: (b) => b.items.map((i) => i.id), id: (r) => r.agreementId },
  { route: 'GET /assessments', path: '/assessments', ids: (b) => b.items.map((i) => (i.child as { id: number }).id), id: (r) => r.childId },
  { route: 'GET /contact-weeks', path: '/contact-weeks', ids: (b) => b.items.map((i) => (i.child as { id: number }).id), id: (r) => r.childId },
  { route: 'GET /invites', path: '/invites', ids: (b) => b.items.map((i) => (i.child as { id: number } | null)?.id ?? (i.person as { id: number }).id), id: (r) => r.parentId },
  { route: 'GET /outbox/dead-letters', path: '/outbox/dead-letters', ids: (b) => b.items.map((i) => i.id), id: (r) => r.deadLetterId },
  { route: 'GET /outbox/unreachable', path: '/outbox/unreachable', ids: (b) => b.items.map((i) => (i.person as { id: number }).id), id: (r) => r.parentId },
  { route: 'GET /school-calendars', path: '/school-calendars', ids: (b) => b.items.map((i) => (i.area as { code: string }).code), id: (r) => r.villageCode },
];

const allowed = (role: ApiRole, access: Access): boolean =>
  role === 'department'
    ? access === 'department'
    : access === 'read' || (access === 'write' && role !== 'auditor') || (access === 'officer' && role.startsWith('officer_'));

/** Refused: department staff are told the route is not there (they see their referrals only); everyone else 403. */
const refusal = (role: ApiRole): number => (role === 'department' ? 404 : 403);

describeEachEngine('admin API access matrix', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let world: ApiWorld;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await createApiWorld(database.db, database.cipher);
    // In each village, a message waiting for the parent to write again (a 服务号 outside its window).
    for (const records of [world.home, world.away]) {
      await database.db.outboxMessage.create({
        data: { channel: 'wechat-mp', botAccount: 'default', address: `openid-${records.parentId}`, personId: records.parentId, text: '提醒', status: 'pending', waitingSince: new Date() },
      });
    }
    api = await startApiServer(database, undefined, undefined, { attachmentDir });
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  // GET /return-home-requests (人社 and officers, none of the area's other departments) is told in tests/integration/parentWork.test.ts.
  it('covers every route of the API', () => {
    const routes = RESOURCES.flatMap((r) => r.routes.map((route) => `${route.method.toUpperCase()} ${route.path}`));
    const probed = new Set([...PROBES.map((p) => p.route), ...LIST_PROBES.map((p) => p.route), 'GET /tokens', 'GET /users', 'GET /ledgers', 'GET /referrals', 'GET /return-home-requests']);
    expect(routes.filter((route) => !probed.has(route))).toEqual([]);
    for (const probe of PROBES) {
      const route = RESOURCES.flatMap((r) => r.routes).find((r) => `${r.method.toUpperCase()} ${r.path}` === probe.route);
      expect({ route: probe.route, access: route?.access }).toEqual({ route: probe.route, access: probe.access });
    }
  });

  it('answers 401 to every route without a token', async () => {
    for (const probe of PROBES) {
      const { path, body } = await probe.request(world.home, database);
      const response = await api.call(probe.route.split(' ')[0]!, path, { body });
      expect({ route: probe.route, status: response.status, error: response.body.error }).toEqual({ route: probe.route, status: 401, error: 'unauthorized' });
    }
  });

  it.each(API_ROLES)('gives a %s token what its role allows inside its area, 404 outside it, 403 where the role may not', async (role) => {
    const inside = role === 'officer_city' ? world.away : world.home;
    const outside = role === 'officer_city' ? world.home : world.away;
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const probe of PROBES) {
      const method = probe.route.split(' ')[0]!;
      for (const [where, records] of [['inside', inside], ['outside', outside]] as const) {
        const { path, body } = await probe.request(records, database);
        const response = await api.call(method, path, { token: world.tokens[role], body });
        outcomes.push(`${probe.route} ${where}: ${response.status}`);
        expected.push(`${probe.route} ${where}: ${!allowed(role, probe.access) ? refusal(role) : where === 'inside' ? probe.ok : 404}`);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it.each(API_ROLES.filter((role) => role !== 'department'))('lists for a %s token only what lies in its area', async (role) => {
    const inside = role === 'officer_city' ? world.away : world.home;
    const outside = role === 'officer_city' ? world.home : world.away;
    for (const probe of LIST_PROBES) {
      const response = await api.call('GET', probe.path, { token: world.tokens[role] });
      expect({ route: probe.route, status: response.status }).toEqual({ route: probe.route, status: 200 });
      const ids = probe.ids(response.body);
      expect({ route: probe.route, inside: ids.includes(probe.id(inside)), outside: ids.includes(probe.id(outside)) }).toEqual({
        route: probe.route,
        inside: true,
        outside: false,
      });
    }
  });

  it('describes the ledgers to every role but department staff (for whom the list does not exist), and to nobody without a token', async () => {
    expect((await api.call('GET', '/ledgers')).status).toBe(401);
    expect((await api.call('GET', '/ledgers', { token: world.tokens.department })).status).toBe(refusal('department'));
    for (const role of API_ROLES.filter((r) => r !== 'department')) {
      const response = await api.call('GET', '/ledgers', { token: world.tokens[role] });
      expect({ role, status: response.status, names: response.body.items?.map((item: { name: string }) => item.name) }).toEqual({ role, status: 200, names: LEDGERS.map((ledger) => ledger.name) });
    }
  });

  it('lists for a department token only its own department’s referrals in its area, and refuses the list to every other role', async () => {
    const inside = await referralOf(world.home, database, 'sent');
    const outside = await referralOf(world.away, database, 'sent');
    const report = await database.db.report.findUniqueOrThrow({ where: { number: world.home.caseNumber } });
    const police = (await database.db.referral.create({ data: { reportId: report.id, department: 'police', sentAt: new Date(), dueAt: new Date('2030-01-01') } })).id;
    const ids: number[] = [];
    for (let after: number | null = 0; after !== null; ) {
      const response = await api.call('GET', `/referrals?limit=500&after=${after}`, { token: world.tokens.department });
      expect(response.status).toBe(200);
      ids.push(...response.body.items.map((item: { id: number }) => item.id));
      after = response.body.nextCursor;
    }
    expect({ inside: ids.includes(inside), outside: ids.includes(outside), police: ids.includes(police) }).toEqual({ inside: true, outside: false, police: false });
    for (const role of API_ROLES.filter((r) => r !== 'department')) {
      expect({ role, status: (await api.call('GET', '/referrals', { token: world.tokens[role] })).status }).toEqual({ role, status: 403 });
    }
  });

  it('lets officers list the console accounts of their area only, and nobody else', async () => {
    const login = (records: VillageRecords) => `listed${records.villageCode}`;
    for (const records of [world.home, world.away]) {
      await createUserAccount(database.db, { login: login(records), name: '主任', role: 'director', areaCode: records.villageCode, password: 'a-long-password', createdBy: 'test', now: new Date() });
    }
    for (const role of API_ROLES) {
      const response = await api.call('GET', '/users', { token: world.tokens[role] });
      if (!role.startsWith('officer_')) {
        expect({ role, status: response.status }).toEqual({ role, status: refusal(role) });
        continue;
      }
      const inside = role === 'officer_city' ? world.away : world.home;
      const outside = role === 'officer_city' ? world.home : world.away;
      const logins = response.body.items.map((user: { login: string }) => user.login);
      expect({ role, status: response.status, inside: logins.includes(login(inside)), outside: logins.includes(login(outside)) }).toEqual({ role, status: 200, inside: true, outside: false });
    }
  });

  it('lets officers list the tokens of their area only, and nobody else', async () => {
    for (const role of API_ROLES) {
      const response = await api.call('GET', '/tokens', { token: world.tokens[role] });
      if (!role.startsWith('officer_')) {
        expect({ role, status: response.status }).toEqual({ role, status: refusal(role) });
        continue;
      }
      expect(response.status).toBe(200);
      const areas = new Set(response.body.items.map((t: { area: { code: string } }) => t.area.code.slice(0, 2)));
      expect({ role, areas: [...areas] }).toEqual({ role, areas: [role === 'officer_city' ? '77' : '88'] });
    }
  });
});
