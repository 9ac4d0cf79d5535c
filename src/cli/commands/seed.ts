import type { Command } from 'commander';
import { seedDemoHistory } from '../demo/demoHistory';
import { seedDemo } from '../demo/demoSeed';
import type { CliContext } from '../context';

export function registerSeedCommands(program: Command, context: CliContext): void {
  const seed = program.command('seed').description('sample data');

  seed
    .command('demo')
    .description('a demo district (two townships, four villages) with children of every category, twelve weeks of contact and cases in every state, all marked as demo data')
    .action(async () => {
      const summary = await context.withDatabase(async ({ db }, cipher) => {
        const now = new Date();
        const seeded = await seedDemo(db, cipher, now);
        // The history only on first seeding: running the seed again changes nothing.
        const history = seeded.created ? await seedDemoHistory(db, now, context.config().timeZone) : null;
        return { ...seeded, ...(history ? { history } : {}) };
      });
      context.print(summary.created ? 'Seeded the demo district 守望示范区 (990101).' : 'The demo district already exists; nothing changed.');
      context.print(JSON.stringify(summary));
    });
}
