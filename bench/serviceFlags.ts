import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** The node arguments of `npm start` (package.json), so a measure follows what operators run. */
export function startArguments(): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [command, ...args] = scripts.start!.split(/\s+/);
  if (command !== 'node') throw new Error(`npm start runs ${command}, not node: measure it by hand`);
  return args;
}

/** The V8 flags `npm start` gives the service (its arguments but the script). */
export function serviceV8Flags(): string[] {
  return startArguments().filter((argument) => argument.startsWith('--'));
}
