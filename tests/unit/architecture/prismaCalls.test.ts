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

/** Every line of src/ and bots/ outside src/store that calls the Prisma client. */
function prismaCallsOutsideStore(): string[] {
  return sourceFiles(['src', 'bots'])
    .filter((file) => !ALLOWED.some((folder) => file.startsWith(folder)))
    .flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (CALL.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
}

describe('only src/store talks to Prisma (ARCHITECTURE.md)', () => {
  it('recognises the client calls it looks for', () => {
    expect(MODELS).toEqual(expect.arrayContaining(['child', 'childLink', 'report', 'outboxMessage']));
    for (const line of ['await tx.child.findMany({', 'deps.db.childLink.updateMany({', 'await db.$transaction(async (tx) => {', 'db.$queryRaw`SELECT 1`']) expect(CALL.test(line)).toBe(true);
    for (const line of ['inTransaction(db, async (tx) => {', 'await findChild(tx, id)', 'children.findIndex(']) expect(CALL.test(line)).toBe(false);
  });

  it('finds no Prisma client call outside src/store', () => {
    expect(prismaCallsOutsideStore()).toEqual([]);
  });
});
