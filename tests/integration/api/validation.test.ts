import { z } from 'zod';
import type { AnyRoute } from '../../../src/api/route';
import { RESOURCES } from '../../../src/api/routes';
import { startApiServer, tokenFor, type ApiTestServer } from '../../support/adminApi';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';
import { createVillage } from '../../support/village';

/**
 * A body each write route accepts. Validation runs before anything is looked up, so the ids need
 * not exist. A route with a body and no entry here fails the first test: none can be forgotten.
 */
const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /areas': { parentCode: '880101001', code: '880101001009', name: '新村', casePrefix: 'XC' },
  'POST /children': { areaCode: '880101001001', name: '李小花', birthDate: '2017-02-03', gender: 'female', nationalId: '420102201605010015', categories: ['left_behind'] },
  'PATCH /children/:id': { name: '李小花', schoolStage: 'primary', focusFlags: ['dropout'], leftBehindOverride: { leftBehind: true, reason: '父亲服刑' } },
  'POST /people': { name: '李父', role: 'parent', areaCode: '880101001001', phone: '13900002222', hasGuardianshipCapacity: true },
  'PATCH /people/:id': { wecomUserId: 'li.fu' },
  'POST /children/:id/links': { personId: 1, kind: 'parent', relation: '父亲', worksAway: true },
  'POST /invites': { personId: 1, childId: 1 },
  'POST /cases/:number/steps': { action: 'refer', department: 'education', note: '转教育局' },
  'POST /data-requests/:id/answer': { answer: '已更正' },
  'PUT /school-calendars': { areaCode: '880101', year: 2027, vacation: 'winter', startsOn: '2027-01-20', endsOn: '2027-02-20' },
  'POST /tokens': { role: 'director', areaCode: '880101001001', name: '村儿童主任' },
  'POST /referrals/:id/accept': { note: '已接收' },
  'POST /referrals/:id/progress': { note: '已联系学校' },
  'POST /referrals/:id/feedback': { note: '已劝返复学' },
  'POST /referrals/:id/return': { note: '不属于本部门职责' },
  'POST /users': { login: 'wang.zhuren', name: '王主任', role: 'director', areaCode: '880101001001', password: 'a-long-password' },
};

const ROUTES: AnyRoute[] = RESOURCES.flatMap((resource) => resource.routes);
const key = (route: AnyRoute) => `${route.method.toUpperCase()} ${route.path}`;
/** Path parameters filled with values that pass validation. */
const samplePath = (route: AnyRoute, bad?: string) =>
  route.path.replace(/:(\w+)/g, (_m, name: string) => (name === bad ? 'not-valid!' : name === 'number' ? 'TV-2026-000001' : name === 'code' ? '880101' : '1'));

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

const jsonSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** A value of the wrong JSON type for a property. */
function wrongValue(property: JsonSchema): unknown {
  const types = [property.type, ...(property.anyOf ?? []).map((s) => s.type)].flat().filter(Boolean);
  return types.includes('string') ? 12345 : 'not-a-number-or-flag';
}

const BODY_ROUTES = ROUTES.filter((route) => route.body);
/**
 * Bodies with required fields, and a PATCH where every field is optional (an empty one changes
 * nothing). An action such as POST /referrals/:id/accept takes an empty body: its note is optional.
 */
const REQUIRING_ROUTES = BODY_ROUTES.filter((route) => (jsonSchema(route.body!).required ?? []).length > 0);
const OPTIONAL_ROUTES = BODY_ROUTES.filter((route) => !REQUIRING_ROUTES.includes(route) && route.method === 'patch');
const QUERY_ROUTES = ROUTES.filter((route) => route.query);
const PARAM_ROUTES = ROUTES.filter((route) => route.params);

describeEachEngine('admin API input validation', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let token: string;
  /** Referral routes are the department role's alone: validated for its token. */
  let departmentToken: string;
  /** Rows of the tables a request could write: a 400 leaves every count as it was. */
  let counts: () => Promise<Record<string, number>>;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await createVillage(database.db);
    token = await tokenFor(database.db, 'officer_district', '880101');
    departmentToken = await tokenFor(database.db, 'department', '880101', 'education');
    api = await startApiServer(database);
    const { db } = database;
    counts = async () => ({
      audit: await db.auditLog.count(),
      areas: await db.area.count(),
      children: await db.child.count(),
      people: await db.person.count(),
      links: await db.childLink.count(),
      invites: await db.invite.count(),
      steps: await db.caseStep.count(),
      calendars: await db.schoolCalendar.count(),
      tokens: await db.apiToken.count(),
      users: await db.userAccount.count(),
      referrals: await db.referral.count(),
    });
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  /** Sends a request that must be refused with 400 naming `field`, and checks nothing was written. */
  async function expectRefused(method: string, path: string, field: string, options: { body?: unknown; raw?: string } = {}) {
    const before = await counts();
    const response = await api.call(method, path, { token: path.startsWith('/referrals') ? departmentToken : token, ...options });
    expect({ request: `${method} ${path}`, status: response.status, fields: (response.body.issues ?? []).map((i: { path: string }) => i.path) }).toEqual({
      request: `${method} ${path}`,
      status: 400,
      fields: expect.arrayContaining([field]),
    });
    expect(response.body.message).toContain(field);
    expect(await counts()).toEqual(before);
  }

  it('has a valid sample body for every route that takes one', () => {
    expect(BODY_ROUTES.map(key).filter((k) => !(k in VALID_BODIES))).toEqual([]);
    for (const route of BODY_ROUTES) {
      const parsed = route.body!.safeParse(VALID_BODIES[key(route)]);
      expect({ route: key(route), ok: parsed.success }).toEqual({ route: key(route), ok: true });
    }
  });

  it.each(BODY_ROUTES.map((route) => [key(route), route] as const))('%s: a malformed body is 400 and writes nothing', async (_name, route) => {
    await expectRefused(route.method.toUpperCase(), samplePath(route), 'body', { raw: '{"name": ' });
    await expectRefused(route.method.toUpperCase(), samplePath(route), 'body', { body: ['not', 'an', 'object'] });
  });

  it.each(REQUIRING_ROUTES.map((route) => [key(route), route] as const))('%s: each missing field is 400 naming it', async (_name, route) => {
    const valid = VALID_BODIES[key(route)]!;
    for (const field of jsonSchema(route.body!).required!) {
      const { [field]: _dropped, ...body } = valid;
      await expectRefused(route.method.toUpperCase(), samplePath(route), `body.${field}`, { body });
    }
  });

  it.each(OPTIONAL_ROUTES.map((route) => [key(route), route] as const))('%s: every field is optional, but an empty body is 400', async (_name, route) => {
    await expectRefused(route.method.toUpperCase(), samplePath(route), 'body', { body: {} });
  });

  it.each(BODY_ROUTES.map((route) => [key(route), route] as const))('%s: each field of the wrong type is 400 naming it', async (_name, route) => {
    const valid = VALID_BODIES[key(route)]!;
    for (const [field, property] of Object.entries(jsonSchema(route.body!).properties ?? {})) {
      await expectRefused(route.method.toUpperCase(), samplePath(route), `body.${field}`, { body: { ...valid, [field]: wrongValue(property) } });
    }
  });

  it.each(BODY_ROUTES.map((route) => [key(route), route] as const))('%s: an unknown field is 400 naming it', async (_name, route) => {
    await expectRefused(route.method.toUpperCase(), samplePath(route), 'body.surprise', { body: { ...VALID_BODIES[key(route)], surprise: 1 } });
  });

  it.each(QUERY_ROUTES.map((route) => [key(route), route] as const))('%s: an unknown or ill-typed query parameter is 400 naming it', async (_name, route) => {
    const method = route.method.toUpperCase();
    await expectRefused(method, `${samplePath(route)}?surprise=1`, 'query.surprise');
    for (const [name, property] of Object.entries(jsonSchema(route.query!).properties ?? {})) {
      if (property.type === 'string' && !property.enum) continue; // any text is a string; patterns are covered by the area code below
      await expectRefused(method, `${samplePath(route)}?${name}=not-a-value`, `query.${name}`);
    }
    if (jsonSchema(route.query!).properties?.area) await expectRefused(method, `${samplePath(route)}?area=abc`, 'query.area');
  });

  it.each(PARAM_ROUTES.map((route) => [key(route), route] as const))('%s: an ill-formed path parameter is 400 naming it', async (_name, route) => {
    for (const name of [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
      await expectRefused(route.method.toUpperCase(), samplePath(route, name), `params.${name}`, route.body ? { body: VALID_BODIES[key(route)] } : {});
    }
  });

  it('names the field a case step needs for its action', async () => {
    await expectRefused('POST', '/cases/TV-2026-000001/steps', 'body.department', { body: { action: 'refer' } });
    await expectRefused('POST', '/cases/TV-2026-000001/steps', 'body.note', { body: { action: 'close' } });
  });

  it('refuses a change of a child that changes nothing', async () => {
    await expectRefused('PATCH', '/children/1', 'body', { body: {} });
  });

  it('refuses an ID number with a wrong check character, naming the field', async () => {
    await expectRefused('POST', '/children', 'body.nationalId', { body: { ...VALID_BODIES['POST /children'], nationalId: '420102201605010011' } });
  });
});
