// Run in a child process by seedInChildProcess: seeding a city allocates hundreds of megabytes the
// measured process would keep (V8 does not hand its heap back), and the service never seeds.
import { openDatabase } from '../src/store/db/database';
import { seedSyntheticArea } from './seed';

const [engine, location, options] = process.argv.slice(2);
const target = engine === 'sqlite' ? { engine: 'sqlite' as const, url: `file:${location}`, file: location! } : { engine: 'postgresql' as const, url: location! };
const { children, senders, filers, now, timeZone } = JSON.parse(options!) as { children: number; senders: number; filers: number; now: string; timeZone: string };

(async () => {
  const database = await openDatabase(target);
  try {
    const area = await seedSyntheticArea(database.db, target.engine, { children, senders, filers, now: new Date(now), timeZone });
    process.stdout.write(JSON.stringify(area));
  } finally {
    await database.close();
  }
})().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
