import type { Command } from 'commander';
import { seedDemo } from '../../store/seed/demoSeed';
import type { CliContext } from '../context';

export function registerSeedCommands(program: Command, context: CliContext): void {
  const seed = program.command('seed').description('sample data');

  seed
    .command('demo')
    .description('a demo district (two townships, four villages) with children of every category, all marked as demo data')
    .action(async () => {
      const summary = await context.withDatabase(({ db }, cipher) => seedDemo(db, cipher, new Date()));
      context.print(summary.created ? 'Seeded the demo district 守望示范区 (990101).' : 'The demo district already exists; nothing changed.');
      context.print(JSON.stringify(summary));
    });
}
