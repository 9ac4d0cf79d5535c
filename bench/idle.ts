// `npm run bench:idle -- [--db sqlite|postgres] [--seconds N] [--node-args "…"]`: the service's
// resident memory when idle, started as `npm start` starts it (see BENCHMARKS.md, issue 17).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { createBenchDatabase, DEFAULT_POSTGRES_URL } from './benchDatabase';
import { startArguments } from './serviceFlags';

const ROOT = path.resolve(__dirname, '..');
const LISTENING = /"msg":"Shouwang is listening"/;

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : NaN;
}

async function main(options: { db: string; seconds: number; nodeArgs?: string }): Promise<void> {
  const engine = options.db === 'sqlite' ? 'sqlite' : 'postgresql';
  const args = options.nodeArgs ? options.nodeArgs.split(/\s+/) : startArguments();
  // What `npm start`'s prestart does for the service (the console is served from files, not memory).
  if (!options.nodeArgs) spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'deploy', 'buildServer.ts')], { stdio: 'inherit' });
  const database = await createBenchDatabase(engine, process.env.SHOUWANG_BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-idle-'));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: database.target.url,
      SHOUWANG_DATA_KEY: randomBytes(32).toString('hex'),
      SHOUWANG_SPOOL_DIR: path.join(dataDir, 'spool'),
      SHOUWANG_ATTACHMENT_DIR: path.join(dataDir, 'attachments'),
      HOST: '127.0.0.1',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (LISTENING.test(output)) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
    });
    const samples: number[] = [];
    for (let second = 0; second < options.seconds; second += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      samples.push(kilobytes(readFileSync(`/proc/${child.pid}/status`, 'utf8'), 'VmRSS'));
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const mb = (kb: number) => (kb / 1024).toFixed(1);
    process.stdout.write(
      [
        `idle service (${engine}), node ${args.join(' ')}`,
        `RSS after ${options.seconds} s idle: ${mb(samples.at(-1)!)} MB (samples ${mb(Math.min(...samples))}–${mb(Math.max(...samples))} MB)`,
        `peak RSS since start (VmHWM): ${mb(kilobytes(status, 'VmHWM'))} MB`,
        `target: ≤ 150 MB — ${samples.at(-1)! / 1024 <= 150 ? 'met' : 'MISSED'}`,
      ].join('\n') + '\n',
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

new Command('bench:idle')
  .description('Starts the service as npm start does on a fresh database and reads its resident memory while nothing arrives')
  .option('--db <engine>', 'sqlite or postgres', 'sqlite')
  .option('--seconds <n>', 'seconds idle before the reading', (raw) => Number.parseInt(raw, 10), 15)
  .option('--node-args <args>', 'instead of npm start\'s: node arguments to start the service with (e.g. "--import tsx src/main.ts")')
  .action(main)
  .parseAsync()
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
