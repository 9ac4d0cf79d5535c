/**
 * Builds the web console into console/dist when it is missing or older than its sources, so
 * `npm start` always serves the console of the checked-out code. `--force` builds regardless.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const here = __dirname;
const built = path.join(here, 'dist', 'index.html');
// The console builds in the domain's label table (src/domain/labels.ts and what it imports).
const SOURCES = [path.join(here, 'src'), path.join(here, '..', 'src', 'domain'), path.join(here, 'index.html'), path.join(here, 'vite.config.mts'), path.join(here, '..', 'package-lock.json')];

function newest(file: string): number {
  const stats = statSync(file);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((entry) => newest(path.join(file, entry))));
}

function builtAt(): number | null {
  try {
    return statSync(built).mtimeMs;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const last = builtAt();
  if (!force && last !== null && Math.max(...SOURCES.map(newest)) <= last) return;
  process.stderr.write(last === null || force ? 'Building the web console…\n' : 'The web console is older than its sources: rebuilding…\n');
  const { build } = await import('vite');
  await build({ configFile: path.join(here, 'vite.config.mts'), logLevel: 'warn' });
}

main().catch((error: unknown) => {
  process.stderr.write(`The web console did not build: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
