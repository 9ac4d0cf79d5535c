import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../support/runTs';
import { startServiceProcess } from '../support/serviceProcess';

/** The accounts the stories log in with, made with `npm run cli -- user create` as an operator would. */
export const ACCOUNTS = {
  officer: { login: 'hu.wenjing', password: 'qinghe-officer-2026', role: 'officer_township', area: '990101001', name: '胡文静' },
  director: { login: 'liu.chunhua', password: 'yangliu-director-2026', role: 'director', area: '990101001001', name: '刘春花' },
  locked: { login: 'wang.deming', password: 'shiqiao-director-2026', role: 'director', area: '990101001002', name: '王德明' },
  education: { login: 'zhou.min', password: 'qinghe-education-2026', role: 'department', area: '990101001', name: '周敏', department: 'education' },
} as const;

export const CHANNEL_TOKEN = 'browser-test-channel-token';

function createAccount(env: Record<string, string>, account: (typeof ACCOUNTS)[keyof typeof ACCOUNTS]): Promise<void> {
  const department = 'department' in account ? ['--department', account.department] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'user', 'create', '--login', account.login, '--role', account.role, '--area', account.area, '--name', account.name, ...department], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(`${account.password}\n`);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`user create failed: ${output}`))));
  });
}

/**
 * The seeded demo city behind the real service process, as `npm start` runs it: a fresh SQLite
 * database, `seed demo`, four accounts (one of department staff), the HTTP channel on. Stopped by the returned teardown.
 */
export default async function demoService(): Promise<() => Promise<void>> {
  const folder = mkdtempSync(path.join(tmpdir(), 'shouwang-browser-'));
  const env = { DATABASE_URL: `file:${path.join(folder, 'demo.db')}`, LOG_LEVEL: 'info', CHANNEL_TOKEN, SHOUWANG_ATTACHMENT_DIR: path.join(folder, 'attachments') };
  const seeded = await runCli(['seed', 'demo'], env);
  if (seeded.code !== 0) throw new Error(`seed demo failed: ${seeded.stderr}`);
  for (const account of Object.values(ACCOUNTS)) await createAccount(env, account);
  const token = await runCli(['token', 'create', '--role', 'officer_township', '--area', '990101001', '--name', 'browser tests'], env);
  const service = await startServiceProcess(env);
  process.env.SHOUWANG_BROWSER_URL = service.url;
  process.env.SHOUWANG_BROWSER_TOKEN = token.stdout.trim().split('\n').at(-1);
  process.env.SHOUWANG_BROWSER_DATABASE_URL = env.DATABASE_URL;
  process.env.SHOUWANG_BROWSER_ATTACHMENT_DIR = env.SHOUWANG_ATTACHMENT_DIR;
  return async () => {
    await service.stop();
    rmSync(folder, { recursive: true, force: true });
  };
}
