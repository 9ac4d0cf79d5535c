// `npm run bench:idle -- [--db sqlite|postgres] [--seconds N] [--node-args "…"] [--messages N --free-text N --concurrency N]`:
// the service's resident memory, started as `npm start` starts it (see BENCHMARKS.md, issue 17):
// idle on a fresh database, or after N messages through the HTTP channel on a city with a sender for each.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_TIME_ZONE } from '../src/domain/contactWeek';
import { createBenchDatabase, DEFAULT_POSTGRES_URL, type BenchDatabase } from './benchDatabase';
import { FREE_TEXTS, keywordTextOf } from './inbound';
import { percentiles, round, runPool } from './measure';
import { BENCH_BOT_ACCOUNT, BENCH_CHANNEL, seedInChildProcess, type Sender } from './seed';
import { startArguments } from './serviceFlags';

const ROOT = path.resolve(__dirname, '..');
const LISTENING = /^.*"msg":"Shouwang is listening".*$/m;
/** Issue 17: the idle service, and the service after 20,000 messages with free text among them. */
const IDLE_TARGET_MB = 150;
const MESSAGES_TARGET_MB = 300;

interface Options {
  db: string;
  seconds: number;
  nodeArgs?: string;
  messages: number;
  freeText: number;
  concurrency: number;
}

interface Service {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Error and fatal lines the service has logged so far. */
  errorLines: { count: number };
}

interface Phase {
  name: string;
  messages: number;
  unanswered: number;
  messagesPerSecond: number;
  cpuMsPerMessage: number;
  p50Ms: number;
  p99Ms: number;
}

const mb = (kb: number) => (kb / 1024).toFixed(1);

function kilobytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** The process's CPU time (user + system) so far, from /proc: the service's own work, whatever the bench's. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

async function main(options: Options): Promise<void> {
  if (options.freeText > options.messages) throw new Error('--free-text counts messages among --messages: it cannot be more');
  const engine = options.db === 'sqlite' ? 'sqlite' : 'postgresql';
  const args = options.nodeArgs ? options.nodeArgs.split(/\s+/) : startArguments();
  // What `npm start`'s prestart does for the service (the console is served from files, not memory).
  if (!options.nodeArgs) spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'deploy', 'buildServer.ts')], { stdio: 'inherit' });
  const database = await createBenchDatabase(engine, process.env.SHOUWANG_BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shouwang-idle-'));
  try {
    const senders = options.messages > 0 ? await seedSenders(database, options.messages) : [];
    const channelToken = randomBytes(16).toString('hex');
    const service = await start(args, {
      DATABASE_URL: database.target.url,
      SHOUWANG_DATA_KEY: randomBytes(32).toString('hex'),
      SHOUWANG_SPOOL_DIR: path.join(dataDir, 'spool'),
      SHOUWANG_ATTACHMENT_DIR: path.join(dataDir, 'attachments'),
      HOST: '127.0.0.1',
      PORT: '0',
      ...(senders.length > 0 ? { CHANNEL_TOKEN: channelToken } : {}),
    });
    try {
      const lines = [`service (${engine}), node ${args.join(' ')}`];
      let afterMessagesKb: number | undefined;
      if (senders.length > 0) {
        const atStartKb = kilobytes(service.pid, 'VmRSS');
        const keywordSenders = senders.slice(0, options.messages - options.freeText);
        const keyword = await send(service, channelToken, 'keyword (已联系 <孩子> 视频 20)', keywordSenders, 0, options.concurrency, keywordTextOf);
        const afterKeywordKb = kilobytes(service.pid, 'VmRSS');
        const freeText = await send(service, channelToken, 'free text', senders.slice(keywordSenders.length), keywordSenders.length, options.concurrency, (sender, index) =>
          FREE_TEXTS[index % FREE_TEXTS.length]!.textOf(sender),
        );
        afterMessagesKb = kilobytes(service.pid, 'VmRSS');
        // A reply alone proves little (a stranger gets a hint too): the contact logs show the messages were understood.
        const expectedContactLogs = keyword.messages + Array.from({ length: freeText.messages }, (_, index) => FREE_TEXTS[index % FREE_TEXTS.length]!).filter((text) => text.logsContact).length;
        const contactLogs = await countContactLogs(database);
        const phases = [keyword, freeText].filter((phase) => phase.messages > 0);
        lines.push(
          `${options.messages} messages through the HTTP channel, ${options.concurrency} in flight, one per away parent of a ${options.messages}-children city:`,
          ...phases.map(
            (phase) =>
              `  ${phase.messages} ${phase.name}: ${phase.messagesPerSecond} msg/s, service CPU ${phase.cpuMsPerMessage} ms a message, p50 ${phase.p50Ms} ms, p99 ${phase.p99Ms} ms, ${phase.unanswered} unanswered`,
          ),
          `  service CPU over all: ${round(phases.reduce((sum, phase) => sum + phase.cpuMsPerMessage * phase.messages, 0) / options.messages, 3)} ms a message; ${service.errorLines.count} error log lines`,
          `  contact logs written: ${contactLogs} of ${expectedContactLogs} expected`,
          `RSS at start ${mb(atStartKb)} MB, after the keyword messages ${mb(afterKeywordKb)} MB, after all ${options.messages} ${mb(afterMessagesKb)} MB`,
        );
        if (phases.some((phase) => phase.unanswered > 0) || service.errorLines.count > 0 || contactLogs !== expectedContactLogs) process.exitCode = 1;
      }
      const samples: number[] = [];
      for (let second = 0; second < options.seconds; second += 1) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        samples.push(kilobytes(service.pid, 'VmRSS'));
      }
      // The messages' target is on the reading right after them; the idle target on the reading after the wait.
      const judgedKb = afterMessagesKb ?? samples.at(-1) ?? kilobytes(service.pid, 'VmRSS');
      const target = afterMessagesKb === undefined ? IDLE_TARGET_MB : MESSAGES_TARGET_MB;
      if (samples.length > 0) {
        lines.push(
          `RSS after ${options.seconds} s idle${afterMessagesKb === undefined ? '' : ' after them'}: ${mb(samples.at(-1)!)} MB (samples ${mb(Math.min(...samples))}–${mb(Math.max(...samples))} MB)`,
        );
      }
      lines.push(
        `peak RSS since start (VmHWM): ${mb(kilobytes(service.pid, 'VmHWM'))} MB`,
        `target: ≤ ${target} MB${afterMessagesKb === undefined ? '' : ' after the messages'} — ${judgedKb / 1024 <= target ? 'met' : 'MISSED'}`,
        `load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service.child.once('exit', resolve));
    }
  } finally {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A city of `messages` children (every child has an away father, each one sender), bound to the HTTP channel's one account. */
async function seedSenders(database: BenchDatabase, messages: number): Promise<Sender[]> {
  process.stderr.write(`… seeding ${messages} children on ${database.target.engine}\n`);
  const area = await seedInChildProcess(database.target, { children: messages, senders: messages, filers: 0, now: new Date(), timeZone: DEFAULT_TIME_ZONE });
  if (area.senders.length !== messages) throw new Error(`the seed gave ${area.senders.length} senders for ${messages} messages`);
  const setup = await database.open();
  try {
    await setup.db.chatIdentity.updateMany({ where: { channel: BENCH_CHANNEL, botAccount: BENCH_BOT_ACCOUNT }, data: { botAccount: 'default' } });
  } finally {
    await setup.close();
  }
  return area.senders;
}

async function countContactLogs(database: BenchDatabase): Promise<number> {
  const reader = await database.open();
  try {
    return await reader.db.contactLog.count();
  } finally {
    await reader.close();
  }
}

/** The service in a process of its own, as `npm start` runs it, once it listens. */
async function start(args: string[], env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const errorLines = { count: 0 };
  // Kept until the service listens; after that the log is still read (a full pipe would block the service) but only its errors counted.
  let output: string | undefined = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      errorLines.count += (text.match(/"level":(50|60)/g) ?? []).length;
      if (output === undefined) return;
      output += text;
      const listening = LISTENING.exec(output);
      if (listening) {
        output = undefined;
        resolve((JSON.parse(listening[0]) as { url: string }).url);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
  });
  return { child, pid: child.pid!, url, errorLines };
}

/** Each sender's message, `concurrency` in flight; a message counts as answered on a 2xx with at least one reply. */
async function send(
  service: Service,
  channelToken: string,
  name: string,
  senders: Sender[],
  firstIndex: number,
  concurrency: number,
  textOf: (sender: Sender, index: number) => string,
): Promise<Phase> {
  let unanswered = 0;
  const cpuBefore = cpuMs(service.pid);
  const startedAt = performance.now();
  const latencies = await runPool(senders.length, concurrency, async (index) => {
    const sender = senders[index]!;
    const response = await fetch(`${service.url}/channels/http/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channelToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `bench-${firstIndex + index}`, from: sender.externalId, text: textOf(sender, index) }),
    });
    const body = (await response.json().catch(() => ({}))) as { replies?: unknown[] };
    if (!response.ok || !body.replies?.length) unanswered += 1;
  });
  const wallMs = performance.now() - startedAt;
  const divisor = Math.max(1, senders.length);
  return {
    name,
    messages: senders.length,
    unanswered,
    messagesPerSecond: round((senders.length / wallMs) * 1000, 0),
    cpuMsPerMessage: round((cpuMs(service.pid) - cpuBefore) / divisor, 3),
    ...percentiles(latencies),
  };
}

const count = (name: string) => (raw: string) => {
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return parsed;
};

new Command('bench:idle')
  .description('Starts the service as npm start does on a fresh database and reads its resident memory while nothing arrives, or after --messages')
  .option('--db <engine>', 'sqlite or postgres', 'sqlite')
  .option('--seconds <n>', 'seconds idle before the reading (after the messages, if any)', count('--seconds'), 15)
  .option('--node-args <args>', 'instead of npm start\'s: node arguments to start the service with (e.g. "--import tsx src/main.ts")')
  .option('--messages <n>', 'messages through the HTTP channel before the wait, one per away parent of a city of that many children', count('--messages'), 0)
  .option('--free-text <n>', 'of them, sent after the keyword ones: parents\' own words instead of 已联系', count('--free-text'), 0)
  .option('--concurrency <n>', 'messages in flight', count('--concurrency'), 32)
  .action(main)
  .parseAsync()
  .catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
