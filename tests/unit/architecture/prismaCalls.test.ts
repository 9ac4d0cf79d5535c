import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sourceFiles } from '../../support/importGraph';

const ROOT = path.resolve(__dirname, '../../..');

/** The client's model properties (childLink for model ChildLink), read from the schema so a new model is covered. */
const MODELS = [...readFileSync(path.join(ROOT, 'prisma/schema.prisma'), 'utf8').matchAll(/^model (\w+)/gm)].map((match) => match[1]![0]!.toLowerCase() + match[1]!.slice(1));

/** A model delegate's call (`tx.child.findMany(`, `deps.db.person.update(`) or a client method (`$transaction`, `$queryRaw` …). */
const CALL = new RegExp(`\\.(?:(?:${MODELS.join('|')})\\s*\\.\\s*(?:find\\w*|create\\w*|update\\w*|upsert|delete\\w*|count|aggregate|groupBy)\\s*\\(|\\$(?:transaction|queryRaw\\w*|executeRaw\\w*|connect|disconnect|on|extends)\\b)`);

/** The store, and the demo seed (fixture rows for the CLI's `seed`, wherever it lives): the code allowed to call the client. */
const ALLOWED = ['src/store/', 'src/cli/demo/'];

/** Raw SQL: only beside its typed twin's test (ARCHITECTURE.md), so never outside src/store, not even in the demo seed. */
const RAW = /\.\$(?:queryRaw|executeRaw)(?:Unsafe|Typed)?\b/;

/** Every line of src/ and bots/ outside the allowed folders that matches the pattern. */
function callsOutside(pattern: RegExp, allowed: string[]): string[] {
  return sourceFiles(['src', 'bots'])
    .filter((file) => !allowed.some((folder) => file.startsWith(folder)))
    .flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (pattern.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
}

describe('only src/store talks to Prisma (ARCHITECTURE.md)', () => {
  it('recognises the client calls it looks for', () => {
    expect(MODELS).toEqual(expect.arrayContaining(['child', 'childLink', 'report', 'outboxMessage']));
    for (const line of ['await tx.child.findMany({', 'deps.db.childLink.updateMany({', 'await db.$transaction(async (tx) => {', 'db.$queryRaw`SELECT 1`']) expect(CALL.test(line)).toBe(true);
    for (const line of ['inTransaction(db, async (tx) => {', 'await findChild(tx, id)', 'children.findIndex(']) expect(CALL.test(line)).toBe(false);
    for (const line of ['db.$queryRaw`SELECT 1`', 'await tx.$executeRaw`DELETE FROM "Child"`', "db.$queryRawUnsafe('SELECT 1')", 'tx.$executeRawUnsafe(sql)']) expect(RAW.test(line)).toBe(true);
    for (const line of ['Prisma.sql`SELECT 1`', 'await queryRawRows(db)']) expect(RAW.test(line)).toBe(false);
  });

  it('finds no Prisma client call outside src/store', () => {
    expect(callsOutside(CALL, ALLOWED)).toEqual([]);
  });

  it('finds no raw SQL outside src/store', () => {
    expect(callsOutside(RAW, ['src/store/'])).toEqual([]);
  });
});
