import { verifyPassword } from '../../src/store/crypto/passwordHash';
import { runCli } from '../support/runTs';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 3 }));

describe('npm run cli -- user', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: 'e'.repeat(64) };
    await runCli(['seed', 'demo'], env);
  });
  afterAll(() => database.drop());

  it('creates an account with a piped password, stored only as a scrypt hash, and lists it', async () => {
    const created = await runCli(['user', 'create', '--login', 'hu.wenjing', '--role', 'officer_township', '--area', '990101001', '--name', '胡文静'], env, 'qinghe-2026-secret\n');
    expect(created).toMatchObject({ code: 0, stdout: 'Account 1 hu.wenjing (officer_township, area 990101001 清河镇) created.\n' });
    const stored = await database.db.userAccount.findUniqueOrThrow({ where: { login: 'hu.wenjing' } });
    expect(stored.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored.passwordHash).not.toContain('qinghe-2026-secret');
    expect(await verifyPassword('qinghe-2026-secret', stored.passwordHash)).toBe(true);
    expect((await runCli(['user', 'list'], env)).stdout).toMatch(/^#1 {2}hu\.wenjing {2}胡文静 {2}officer_township {2}990101001 清河镇 {2}last login never$/m);
    expect(await database.db.auditLog.count({ where: { action: 'user.create', actor: 'cli' } })).toBe(1);
  });

  it('refuses a short password, a role that does not fit the area, and no password at all, in one line each', async () => {
    const args = (login: string, role: string, area: string) => ['user', 'create', '--login', login, '--role', role, '--area', area, '--name', '某人'];
    expect(await runCli(args('short', 'director', '990101001001'), env, 'short\n')).toMatchObject({ code: 2, stderr: 'a password has at least 10 characters\n' });
    expect(await runCli(args('mismatch', 'director', '990101001'), env, 'long-enough-pass\n')).toMatchObject({ code: 2, stderr: 'a director token must be scoped to a village, not a township\n' });
    expect(await runCli(args('nopassword', 'director', '990101001001'), env, '')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^No password on standard input/) });
    expect(await database.db.userAccount.count({ where: { login: { in: ['short', 'mismatch', 'nopassword'] } } })).toBe(0);
  });

  it('unlocks a locked account, and sets a new password that ends its sessions', async () => {
    await database.db.userAccount.update({ where: { login: 'hu.wenjing' }, data: { lockedAt: new Date(), failedLogins: 5 } });
    expect((await runCli(['user', 'unlock', 'hu.wenjing'], env)).stdout).toBe('Account hu.wenjing unlocked.\n');
    expect(await database.db.userAccount.findUniqueOrThrow({ where: { login: 'hu.wenjing' } })).toMatchObject({ lockedAt: null, failedLogins: 0 });
    const user = await database.db.userAccount.findUniqueOrThrow({ where: { login: 'hu.wenjing' } });
    await database.db.userSession.create({ data: { tokenHash: 'x', csrfToken: 'y', userId: user.id, lastSeenAt: new Date() } });
    expect((await runCli(['user', 'password', 'hu.wenjing'], env, 'a-new-password-2026\n')).stdout).toBe('Password of hu.wenjing set.\n');
    const after = await database.db.userAccount.findUniqueOrThrow({ where: { login: 'hu.wenjing' } });
    expect(await verifyPassword('a-new-password-2026', after.passwordHash)).toBe(true);
    expect(await database.db.userSession.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    expect((await runCli(['user', 'unlock', 'nobody'], env)).stderr).toBe('No account nobody.\n');
  });
});
