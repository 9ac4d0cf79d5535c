import { createUserAccount } from '../../../src/store/access/userAccounts';
import { startApiServer, type ApiResponse, type ApiTestServer } from '../../support/adminApi';
import { createApiWorld, type ApiWorld } from '../../support/apiWorld';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/testDatabase';

const PASSWORD = 'correct horse 马';

/** The value of the session cookie a login set, as a browser would send it back. */
const cookieOf = (response: ApiResponse): string => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

describeEachEngine('console logins (accounts, sessions, CSRF)', (engine) => {
  let database: TestDatabase;
  let api: ApiTestServer;
  let world: ApiWorld;
  let now = new Date('2026-11-25T02:00:00Z');
  let sequence = 0;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    world = await createApiWorld(database.db, database.cipher);
    api = await startApiServer(database, () => now);
  });
  // Each story starts past the per-address failure window (10 in 15 minutes), which counts wrong passwords too.
  beforeEach(() => {
    now = new Date(now.getTime() + 16 * 60_000);
  });
  afterAll(async () => {
    await api.stop();
    await database.drop();
  });

  async function account(role: 'director' | 'officer_township' = 'director', areaCode = '880101001001') {
    const login = `person${++sequence}`;
    await createUserAccount(database.db, { login, name: '王主任', role, areaCode, password: PASSWORD, createdBy: 'test', now });
    return login;
  }

  async function logIn(login: string, password = PASSWORD) {
    const response = await api.call('POST', '/session', { body: { login, password } });
    return { response, cookie: cookieOf(response), csrf: response.body.csrfToken as string };
  }

  it('logs a person in with an HTTP-only SameSite cookie that reads the API within the account’s area only', async () => {
    const { response, cookie } = await logIn(await account());
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/sw_session=[^;]+;.*httponly/i);
    expect(response.headers.get('set-cookie')).toMatch(/samesite=strict/i);
    expect(response.body.user).toMatchObject({ role: 'director', area: { code: '880101001001' } });
    expect((await api.call('GET', `/children/${world.home.childId}`, { headers: { cookie } })).status).toBe(200);
    expect((await api.call('GET', `/children/${world.away.childId}`, { headers: { cookie } })).status).toBe(404);
    expect((await api.call('GET', '/session', { headers: { cookie } })).body.user.role).toBe('director');
  });

  it('refuses a write without the session’s CSRF token, and takes it with the token, audited as the person', async () => {
    const { cookie, csrf, response } = await logIn(await account());
    const step = { action: 'verify', note: '已上门核实' };
    const without = await api.call('POST', `/cases/${world.home.caseNumber}/steps`, { headers: { cookie }, body: step });
    expect(without).toMatchObject({ status: 403, body: { error: 'csrf_failed' } });
    const wrong = await api.call('POST', `/cases/${world.home.caseNumber}/steps`, { headers: { cookie, 'x-csrf-token': 'x'.repeat(csrf.length) }, body: step });
    expect(wrong.status).toBe(403);
    const moved = await api.call('POST', `/cases/${world.home.caseNumber}/steps`, { headers: { cookie, 'x-csrf-token': csrf }, body: step });
    expect(moved).toMatchObject({ status: 201, body: { state: 'verified', nextActions: ['refer', 'dismiss'] } });
    expect(moved.body.steps.at(-1).actor).toEqual({ kind: 'account', label: `user:${response.body.user.id}`, name: '王主任', role: 'director', words: '王主任（儿童主任）' });
    const audited = await api.call('GET', `/cases/${world.home.caseNumber}`, { token: world.tokens.auditor });
    expect(audited.body.nextActions).toEqual([]);
    const audit = await database.db.auditLog.findFirst({ where: { action: 'case.verify' }, orderBy: { id: 'desc' } });
    expect(audit?.actor).toBe(`user:${response.body.user.id}`);
  });

  it('refuses a wrong password, locks the account at the fifth in a row, and audits each', async () => {
    const login = await account();
    for (let attempt = 1; attempt <= 4; attempt++) expect((await logIn(login, 'wrong password!')).response.status).toBe(401);
    expect((await logIn(login, 'wrong password!')).response).toMatchObject({ status: 423, body: { error: 'account_locked' } });
    expect((await logIn(login)).response.status).toBe(423);
    const user = await database.db.userAccount.findUniqueOrThrow({ where: { login } });
    const actions = (await database.db.auditLog.findMany({ where: { subjectType: 'UserAccount', subjectId: String(user.id) }, orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['user.create', ...Array(5).fill('user.login_failed'), 'user.locked', 'user.login_refused_locked']);
  });

  it('forgets wrong passwords after a good one: only five in a row lock', async () => {
    const login = await account();
    for (let attempt = 1; attempt <= 4; attempt++) await logIn(login, 'wrong password!');
    expect((await logIn(login)).response.status).toBe(200);
    for (let attempt = 1; attempt <= 4; attempt++) expect((await logIn(login, 'wrong password!')).response.status).toBe(401);
    expect((await logIn(login)).response.status).toBe(200);
  });

  it('lets an officer unlock an account of its area, and not one outside it', async () => {
    const login = await account();
    for (let attempt = 1; attempt <= 5; attempt++) await logIn(login, 'wrong password!');
    const user = await database.db.userAccount.findUniqueOrThrow({ where: { login } });
    expect((await api.call('POST', `/users/${user.id}/unlock`, { token: world.tokens.officer_city })).status).toBe(404);
    expect((await api.call('POST', `/users/${user.id}/unlock`, { token: world.tokens.officer_township })).status).toBe(200);
    expect((await logIn(login)).response.status).toBe(200);
  });

  it('lets an officer disable an account: its session ends and it cannot log in again', async () => {
    const login = await account();
    const { cookie } = await logIn(login);
    const user = await database.db.userAccount.findUniqueOrThrow({ where: { login } });
    expect((await api.call('POST', `/users/${user.id}/disable`, { token: world.tokens.officer_township })).body.disabledAt).not.toBeNull();
    expect((await api.call('GET', '/children', { headers: { cookie } })).status).toBe(401);
    expect((await logIn(login)).response.status).toBe(401);
    expect(await database.db.auditLog.count({ where: { action: 'user.disable', subjectId: String(user.id) } })).toBe(1);
  });

  it('ends the session at logout and after the idle timeout', async () => {
    const first = await logIn(await account());
    expect((await api.call('DELETE', '/session', { headers: { cookie: first.cookie } })).status).toBe(403);
    expect((await api.call('DELETE', '/session', { headers: { cookie: first.cookie, 'x-csrf-token': first.csrf } })).status).toBe(204);
    expect((await api.call('GET', '/children', { headers: { cookie: first.cookie } })).status).toBe(401);

    const second = await logIn(await account());
    now = new Date(now.getTime() + 29 * 60_000);
    expect((await api.call('GET', '/children', { headers: { cookie: second.cookie } })).status).toBe(200);
    now = new Date(now.getTime() + 29 * 60_000);
    expect((await api.call('GET', '/children', { headers: { cookie: second.cookie } })).status).toBe(200);
    now = new Date(now.getTime() + 31 * 60_000);
    expect((await api.call('GET', '/children', { headers: { cookie: second.cookie } })).status).toBe(401);
  });

  it('changes one’s own password only with the current one, and ends the other sessions', async () => {
    const login = await account();
    const here = await logIn(login);
    const elsewhere = await logIn(login);
    const change = (current: string) => api.call('POST', '/session/password', { headers: { cookie: here.cookie, 'x-csrf-token': here.csrf }, body: { current, next: 'a brand new secret' } });
    expect((await change('not my password')).body.error).toBe('password_wrong');
    expect((await change(PASSWORD)).status).toBe(204);
    expect((await api.call('GET', '/session', { headers: { cookie: here.cookie } })).status).toBe(200);
    expect((await api.call('GET', '/session', { headers: { cookie: elsewhere.cookie } })).status).toBe(401);
    expect((await logIn(login)).response.status).toBe(401);
    expect((await logIn(login, 'a brand new secret')).response.status).toBe(200);
  });

  it('lets officers create accounts inside their area, of a role no higher than their own', async () => {
    const body = (role: string, areaCode: string) => ({ login: `made${++sequence}`, name: '新人', role, areaCode, password: 'a-long-password' });
    expect((await api.call('POST', '/users', { token: world.tokens.officer_township, body: body('director', '880101001001') })).status).toBe(201);
    expect((await api.call('POST', '/users', { token: world.tokens.officer_township, body: body('director', '770101001001') })).status).toBe(404);
    expect((await api.call('POST', '/users', { token: world.tokens.officer_township, body: body('officer_township', '880101') })).status).toBe(404);
    expect((await api.call('POST', '/users', { token: world.tokens.officer_district, body: body('officer_city', '880101') })).body.error).toBe('role_above_own');
    const short = await api.call('POST', '/users', { token: world.tokens.officer_district, body: { ...body('director', '880101001001'), password: 'short' } });
    expect(short.body.error).toBe('password_too_short');
    expect((await api.call('POST', '/users', { token: world.tokens.director, body: body('director', '880101001001') })).status).toBe(403);
  });

  it('answers an unknown login like a wrong password, and audits the attempt', async () => {
    const { response } = await logIn('nobody-here');
    expect(response).toMatchObject({ status: 401, body: { error: 'bad_credentials' } });
    expect(await database.db.auditLog.count({ where: { action: 'user.login_failed', subjectId: null } })).toBeGreaterThan(0);
  });
});
