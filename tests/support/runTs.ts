import { spawn } from 'node:child_process';
import path from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point in a child process through tsx, as npm scripts do. `unread`: its
 * output's reader is gone from the start, as `| head -1` is once it has its line.
 */
export function runTs(file: string, args: string[], env: Record<string, string | undefined> = {}, input?: string, unread = false): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, file), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...cleanEnv(), ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    if (unread) child.stdout!.destroy();
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npm run cli -- …` with the given environment, and `input` piped to it when given. */
export function runCli(args: string[], env: Record<string, string | undefined>, input?: string): Promise<Finished> {
  return runTs('src/cli/main.ts', args, env, input);
}

/** `npm run cli -- … | head -0`: nobody reads what it prints. */
export function runCliUnread(args: string[], env: Record<string, string | undefined>): Promise<Finished> {
  return runTs('src/cli/main.ts', args, env, undefined, true);
}

/** The parent's environment without the service's own variables, so tests set exactly what they mean. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete env[name];
  return env;
}
