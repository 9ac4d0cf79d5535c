// Run in a child process by the jest global setup: the schema engine's WebAssembly cannot be
// loaded inside jest's module system.
import { migrateDatabase } from '../../src/store/db/migrations/migrate';

const [engine, url] = process.argv.slice(2);
const target =
  engine === 'sqlite'
    ? { engine: 'sqlite' as const, url: `file:${url}`, file: url! }
    : { engine: 'postgresql' as const, url: url! };

migrateDatabase(target).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
