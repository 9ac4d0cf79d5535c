import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, runCliUnread } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 4 }));

const KEY = 'd'.repeat(64);

describeEachEngine('npm run cli', (engine) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = { DATABASE_URL: database.target.url, SHOUWANG_DATA_KEY: KEY };
  });
  afterAll(() => database.drop());

  it('db migrate reports an up-to-date database, and db check finds the migrations match the schema', async () => {
    expect((await runCli(['db', 'migrate'], env)).stdout).toBe('The database is up to date.\n');
    const check = await runCli(['db', 'check'], env);
    expect(check.stdout).toBe('The migrations produce exactly prisma/schema.prisma.\n');
    expect(check.code).toBe(0);
  });

  it('seed demo creates the demo district once; a second run changes nothing', async () => {
    const first = await runCli(['seed', 'demo'], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^Seeded the demo district 守望示范区 \(990101\)/);
    const children = await database.db.child.count();
    expect(children).toBeGreaterThan(0);
    const second = await runCli(['seed', 'demo'], env);
    expect(second.stdout).toMatch(/^The demo district already exists; nothing changed/);
    expect(await database.db.child.count()).toBe(children);
  });

  it('token create prints the secret once and stores only its hash', async () => {
    const result = await runCli(['token', 'create', '--role', 'officer_township', '--area', '990101001', '--name', '清河镇民政办'], env);
    expect(result.code).toBe(0);
    const [intro, secret] = result.stdout.trim().split('\n');
    expect(intro).toMatch(/^Token \d+ \(officer_township, area 990101001\)\. Store it now; it is not shown again:$/);
    expect(secret).toMatch(/^sw_[A-Za-z0-9_-]{43}$/);
    const stored = await database.db.apiToken.findFirstOrThrow({ where: { name: '清河镇民政办' } });
    expect(stored.tokenHash).toBe(createHash('sha256').update(secret!).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(await database.db.auditLog.count({ where: { action: 'token.create', subjectId: String(stored.id) } })).toBe(1);
  });

  it('finishes its work and exits 0 when nobody reads what it prints (| head)', async () => {
    const result = await runCliUnread(['token', 'create', '--role', 'officer_district', '--area', '990101', '--name', '输出无人读'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(await database.db.apiToken.count({ where: { name: '输出无人读' } })).toBe(1);
  });

  it('token create refuses a role that does not fit the area, an unknown area and a bad role, in one line each', async () => {
    const mismatch = await runCli(['token', 'create', '--role', 'officer_township', '--area', '990101'], env);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toBe('a officer_township token must be scoped to a township, not a district\n');
    const unknown = await runCli(['token', 'create', '--role', 'director', '--area', '123456789012'], env);
    expect(unknown.stderr).toBe('No area has code 123456789012.\n');
    const badRole = await runCli(['token', 'create', '--role', 'mayor', '--area', '990101'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/^Option --role: /);
  });

  it('token create makes a department token for a district, naming the department in Chinese or as its key, and refuses one without it', async () => {
    const created = await runCli(['token', 'create', '--role', 'department', '--department', '教育', '--area', '990101', '--name', '区教育局'], env);
    expect(created.stdout).toMatch(/^Token \d+ \(department education, area 990101\)\./);
    expect(await database.db.apiToken.findFirstOrThrow({ where: { name: '区教育局' } })).toMatchObject({ role: 'department', department: 'education' });
    const missing = await runCli(['token', 'create', '--role', 'department', '--area', '990101'], env);
    expect(missing).toMatchObject({ code: 2, stderr: 'a department token names its department (e.g. education or 教育)\n' });
    const unknown = await runCli(['token', 'create', '--role', 'department', '--department', '气象局', '--area', '990101'], env);
    expect(unknown.stderr).toMatch(/^Option --department: is not a department/);
    const officer = await runCli(['token', 'create', '--role', 'officer_district', '--department', 'police', '--area', '990101'], env);
    expect(officer.stderr).toBe('only a department token names a department, not a officer_district token\n');
  });

  it('token list shows every token without its secret or hash; token revoke stops one', async () => {
    const stored = await database.db.apiToken.findFirstOrThrow({ where: { name: '清河镇民政办' } });
    const listed = await runCli(['token', 'list'], env);
    expect(listed.stdout).toMatch(new RegExp(`^#${stored.id}  officer_township  990101001 \\S+  清河镇民政办  ${stored.hint}…  created \\S+  last used never$`, 'm'));
    expect(listed.stdout).not.toContain(stored.tokenHash);
    const revoked = await runCli(['token', 'revoke', String(stored.id)], env);
    expect(revoked.stdout).toBe(`Token #${stored.id} revoked.\n`);
    expect((await database.db.apiToken.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt).not.toBeNull();
    expect((await runCli(['token', 'list'], env)).stdout).toMatch(new RegExp(`^#${stored.id} .* revoked \\S+$`, 'm'));
    const unknown = await runCli(['token', 'revoke', '987654'], env);
    expect(unknown).toMatchObject({ code: 2, stderr: 'No token #987654.\n' });
  });

  it('invite create issues a single-use code for a registered person, and refuses an unknown person', async () => {
    const director = await database.db.person.findFirstOrThrow({ where: { role: 'director' } });
    const result = await runCli(['invite', 'create', '--person', String(director.id), '--days', '3'], env);
    const code = /: (\d{6}) \(valid until/.exec(result.stdout)?.[1];
    expect(result.stdout).toMatch(new RegExp(`^Invite code for ${director.name}: \\d{6} \\(valid until .+\\)\\. They send: 绑定 \\d{6}\\n$`));
    const invite = await database.db.invite.findUniqueOrThrow({ where: { code: code! } });
    expect(invite.personId).toBe(director.id);
    expect(Math.round((invite.expiresAt.getTime() - invite.createdAt.getTime()) / 86_400_000)).toBe(3);
    // As through the API and in chat: audited, and a new code replaces the open one.
    expect(await database.db.auditLog.count({ where: { action: 'invite.create', actor: 'cli', subjectId: String(invite.id) } })).toBe(1);
    const renewed = await runCli(['invite', 'create', '--person', String(director.id)], env);
    expect(renewed.code).toBe(0);
    expect((await database.db.invite.findUniqueOrThrow({ where: { code: code! } })).revokedAt).not.toBeNull();
    const unknown = await runCli(['invite', 'create', '--person', '987654'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('No person has id 987654.\n');
  });

  it('report quarterly writes the joint meeting’s workbook of an area, and refuses a malformed quarter in one line', async () => {
    const out = path.join(os.tmpdir(), `shouwang-quarterly-${engine}-${process.pid}.xlsx`);
    try {
      const written = await runCli(['report', 'quarterly', '--area', '990101', '--quarter', '2026Q3', '--out', out], env);
      expect(written.stdout).toBe(`Wrote the 2026-Q3 report of 990101 (8 indicators) to ${out}.\n`);
      expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    } finally {
      rmSync(out, { force: true });
    }
    const bad = await runCli(['report', 'quarterly', '--area', '990101', '--quarter', 'Q3'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('2026Q4');
  });
});

describe('npm run cli on a fresh machine', () => {
  it('db check works before any data folder exists (it makes the folder, as npm start does)', async () => {
    const folder = path.join(os.tmpdir(), `shouwang-fresh-${process.pid}`, 'data');
    try {
      const check = await runCli(['db', 'check'], { DATABASE_URL: `file:${folder}/shouwang.db`, SHOUWANG_DATA_KEY: KEY });
      expect(check.stdout).toBe('The migrations produce exactly prisma/schema.prisma.\n');
      expect(check.code).toBe(0);
    } finally {
      rmSync(path.dirname(folder), { recursive: true, force: true });
    }
  });
});
