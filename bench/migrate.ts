// Run in a child process by createBenchDatabase: the schema engine's WebAssembly stays out of the
// measured process, whose memory should be the service's alone.
import { migrateDatabase } from '../src/store/db/migrations/migrate';

const [engine, location] = process.argv.slice(2);
const target = engine === 'sqlite' ? { engine: 'sqlite' as const, url: `file:${location}`, file: location! } : { engine: 'postgresql' as const, url: location! };

migrateDatabase(target).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
