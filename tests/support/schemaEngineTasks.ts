// Schema-engine work for tests on a copy of the prisma folder, run in a child process because
// the engine's WebAssembly cannot load inside jest. Prints the result as JSON.
import path from 'node:path';
import { createMigration } from '../../src/store/db/migrations/createMigration';
import { driftBetweenMigrationsAndSchema } from '../../src/store/db/migrations/schemaDrift';
import type { ProviderFiles } from '../../src/store/db/providers';

// create <prismaDir> <label>  |  drift <prismaDir> <sqlite|postgresql> <file or url>
const [task, prismaDir, ...rest] = process.argv.slice(2) as [string, string, ...string[]];

const providers: Record<'sqlite' | 'postgresql', ProviderFiles> = {
  sqlite: { engine: 'sqlite', schemaFile: path.join(prismaDir, 'schema.prisma'), migrationsDir: path.join(prismaDir, 'migrations') },
  postgresql: {
    engine: 'postgresql',
    schemaFile: path.join(prismaDir, 'postgresql', 'schema.prisma'),
    migrationsDir: path.join(prismaDir, 'postgresql', 'migrations'),
  },
};

async function run(): Promise<unknown> {
  if (task === 'create') return createMigration(rest[0]!, new Date(), providers);
  const [engine, url] = rest as ['sqlite' | 'postgresql', string];
  const target = engine === 'sqlite' ? { engine, url: `file:${url}`, file: url } : { engine, url };
  return { drift: await driftBetweenMigrationsAndSchema(target, providers[engine]) };
}

run().then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
