import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { derivePostgresSchema, PROVIDER_FILES } from '../../src/store/db/providers';
import { runTs, PROJECT_ROOT } from '../support/runTs';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/testDatabase';
import { processBudget } from '../support/budgets';

jest.setTimeout(processBudget({ runs: 1 }));

function drift(prismaDir: string, database: TestDatabase) {
  const location = database.target.engine === 'sqlite' ? database.target.file : database.target.url;
  return runTs('tests/support/schemaEngineTasks.ts', ['drift', prismaDir, database.target.engine, location]);
}

/** A copy of the prisma folder, so a test can change the models without touching the real ones. */
function copyOfPrismaFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-prisma-'));
  cpSync(path.join(PROJECT_ROOT, 'prisma'), dir, { recursive: true });
  return dir;
}

describeEachEngine('migrations', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
  });
  afterAll(() => database.drop());

  it('produce exactly the schema in prisma/ (replaying them leaves nothing to diff)', async () => {
    const result = await drift(path.join(PROJECT_ROOT, 'prisma'), database);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ drift: null });
  });

  it('notice a model change that has no migration yet', async () => {
    const dir = copyOfPrismaFolder();
    try {
      const schemaFile = path.join(dir, engine === 'sqlite' ? 'schema.prisma' : 'postgresql/schema.prisma');
      const schema = readFileSync(schemaFile, 'utf8').replace('  schoolName               String?', '  schoolName               String?\n  nickname                 String?');
      writeFileSync(schemaFile, schema);
      const result = await drift(dir, database);
      expect(JSON.parse(result.stdout).drift).toMatch(/nickname/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('creating a migration offline', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyOfPrismaFolder();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one migration per engine for a model change, without a database or the schema-engine binary', async () => {
    const schemaFile = path.join(dir, 'schema.prisma');
    writeFileSync(
      schemaFile,
      readFileSync(schemaFile, 'utf8').replace('  schoolName               String?', '  schoolName               String?\n  nickname                 String?'),
    );
    const result = await runTs('tests/support/schemaEngineTasks.ts', ['create', dir, 'add_child_nickname'], {
      PRISMA_SCHEMA_ENGINE_BINARY: '/nonexistent',
    });
    expect(result.stderr).toBe('');
    const created = JSON.parse(result.stdout) as Array<{ engine: string; name: string; sql: string }>;
    expect(created.map((migration) => migration.engine)).toEqual(['sqlite', 'postgresql']);
    expect(created[0]!.sql).toContain('ALTER TABLE "Child" ADD COLUMN "nickname" TEXT');
    expect(created[1]!.sql).toContain('ADD COLUMN     "nickname" TEXT');
    expect(readFileSync(path.join(dir, 'postgresql/schema.prisma'), 'utf8')).toContain('nickname');
    expect(readdirSync(path.join(dir, 'migrations')).filter((name) => name.endsWith('_add_child_nickname'))).toHaveLength(1);
    // only the newest migration keeps the schema it was made from
    for (const folder of ['migrations', 'postgresql/migrations']) {
      const withSnapshot = readdirSync(path.join(dir, folder)).filter((name) => existsSync(path.join(dir, folder, name, 'schema.prisma')));
      expect(withSnapshot).toEqual([created[0]!.name]);
    }
  });

  it('creates nothing when the models have not changed since the latest migration', async () => {
    const result = await runTs('tests/support/schemaEngineTasks.ts', ['create', dir, 'nothing_changed']);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});

describe('the PostgreSQL schema', () => {
  it('is derived from prisma/schema.prisma and committed in sync with it', () => {
    expect(readFileSync(PROVIDER_FILES.postgresql.schemaFile, 'utf8')).toBe(
      derivePostgresSchema(readFileSync(PROVIDER_FILES.sqlite.schemaFile, 'utf8')),
    );
  });
});
