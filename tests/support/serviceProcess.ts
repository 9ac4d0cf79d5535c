import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { cleanEnv, PROJECT_ROOT } from './runTs';
import { SERVICE_START_MS } from './budgets';

export interface ServiceProcess {
  url: string;
  pid: number;
  output(): string;
  /** Resolves once the output (from the start) matches, e.g. a log line; rejects after timeoutMs. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
  /** Kills the process at once, as a crash or power loss would. */
  crash(): Promise<void>;
}

/**
 * Starts the service from its TypeScript sources (or through another entry script; or with
 * `nodeArgs`, exactly those node arguments) and resolves once it logs where it listens.
 */
export function startServiceProcess(env: Record<string, string | undefined>, timeoutMs = SERVICE_START_MS, entry = 'src/main.ts', nodeArgs?: string[]): Promise<ServiceProcess> {
  const child = spawn(process.execPath, nodeArgs ?? ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
    cwd: PROJECT_ROOT,
    env: { ...cleanEnv(), HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const waitForOutput = (pattern: RegExp, waitMs = 20000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no output matched ${pattern} within ${waitMs} ms:\n${output}`));
      }, waitMs);
      waiters.add(check);
      check();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the service did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const waiter of [...waiters]) waiter();
      const match = /"url":"(http:\/\/[^"]+)".*"msg":"Shouwang is listening"/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, pid: child.pid!, output: () => output, waitForOutput, stop: () => stop(child), crash: () => stop(child, 'SIGKILL').then(() => undefined) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`the service exited with ${code} before listening:\n${output}`)));
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
