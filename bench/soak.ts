import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { JOBS } from '../src/jobs/jobRegistry';
import { createLogger } from '../src/log';
import { startService } from '../src/service';
import { createApiToken } from '../src/store/access/apiTokens';
import type { Engine } from '../src/store/db/providers';
import { createBenchDatabase } from './benchDatabase';
import { round } from './measure';
import { BENCH_BOT_ACCOUNT, BENCH_CHANNEL, seedInChildProcess } from './seed';

export interface SoakOptions {
  engine: Engine;
  durationMs: number;
  /** Chat messages a second, steady. */
  messagesPerSecond: number;
  children: number;
  postgresUrl: string;
  timeZone: string;
  progress?: (line: string) => void;
}

export interface SoakSample {
  atSeconds: number;
  rssMb: number;
  /** Heap used right after a full collection: what the process really keeps. */
  heapAfterGcMb: number;
  loopDelayMeanMs: number;
  loopDelayP99Ms: number;
}

export interface SoakResult {
  options: Omit<SoakOptions, 'progress' | 'postgresUrl'>;
  startedAt: string;
  counts: { messages: number; exports: number; jobRuns: number; non2xx: number; unanswered: number; errorLogLines: number };
  samples: SoakSample[];
  /** Last sample over the first one after warm-up (a quarter of the run), as a ratio: 1.05 is 5% growth. */
  growth: { rss: number; heapAfterGc: number; loopDelayP99: number };
  failures: string[];
}

const SAMPLE_EVERY_MS = 5000;
const EXPORT_EVERY_MS = 15_000;
const JOB_EVERY_MS = 20_000;
const SOAK_JOBS = ['contact-reminder', 'case-overdue', 'agreement-expiry'];
const ALLOWED_GROWTH = 1.1;

/**
 * The service in this process under a steady mix for a while: chat messages through the HTTP
 * channel, ledger exports through the admin API, scheduled jobs; RSS, the heap after GC and the
 * event-loop delay sampled every 5 s. A leak or a loop that slows shows as growth after warm-up.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const progress = options.progress ?? (() => undefined);
  const bench = await createBenchDatabase(options.engine, options.postgresUrl);
  const now = new Date();
  const errorLines = { count: 0 };
  try {
    progress(`seeding ${options.children} children on ${options.engine}`);
    const area = await seedInChildProcess(bench.target, { children: options.children, senders: Math.min(options.children, 500), filers: 0, now, timeZone: options.timeZone });
    const config = loadConfig({
      DATABASE_URL: bench.target.url,
      SHOUWANG_DATA_KEY: randomBytes(32).toString('hex'),
      HOST: '127.0.0.1',
      PORT: '0',
      CHANNEL_TOKEN: randomBytes(16).toString('hex'),
      LOG_LEVEL: 'warn',
      SHOUWANG_QUIET_HOURS: '',
      SHOUWANG_MAX_REQUESTS_PER_ADDRESS: '1000',
    });
    const logger = createLogger('warn', countingErrors(errorLines));
    const service = await startService(config, logger, { jobs: [] });
    try {
      const setup = await bench.open();
      // The seed binds its people to a bench account; the HTTP channel has one account, 'default'.
      await setup.db.chatIdentity.updateMany({ where: { channel: BENCH_CHANNEL, botAccount: BENCH_BOT_ACCOUNT }, data: { botAccount: 'default' } });
      const { token } = await createApiToken(setup.db, { role: 'officer_city', areaCode: area.city.code, createdBy: 'soak' });
      await setup.close();
      return await soak(service.url, config.channelToken!, token, area.senders, service, options, errorLines, progress);
    } finally {
      await service.stop();
    }
  } finally {
    await bench.drop();
  }
}

async function soak(
  url: string,
  channelToken: string,
  apiToken: string,
  senders: Array<{ externalId: string }>,
  service: Awaited<ReturnType<typeof startService>>,
  options: SoakOptions,
  errorLines: { count: number },
  progress: (line: string) => void,
): Promise<SoakResult> {
  const counts = { messages: 0, exports: 0, jobRuns: 0, non2xx: 0, unanswered: 0, errorLogLines: 0 };
  const samples: SoakSample[] = [];
  const startedAt = performance.now();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const inFlight = new Set<Promise<unknown>>();
  // A request the service dropped (a reset connection) is a finding to report, not the end of the run.
  const track = (work: Promise<unknown>) => {
    const counted = work.catch(() => {
      counts.unanswered += 1;
    });
    inFlight.add(counted);
    void counted.finally(() => inFlight.delete(counted));
  };
  const check = (status: number) => {
    if (status < 200 || status >= 300) counts.non2xx += 1;
  };

  let message = 0;
  const say = async () => {
    const sender = senders[message % senders.length]!;
    const id = `soak-${message++}`;
    const response = await fetch(`${url}/channels/http/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${channelToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, from: sender.externalId, text: `已联系 电话 ${(message % 50) + 1}` }),
    });
    await response.arrayBuffer();
    check(response.status);
    counts.messages += 1;
  };
  const exportLedger = async () => {
    const ledger = ['children', 'cases', 'categories'][counts.exports % 3];
    const response = await fetch(`${url}/api/v1/exports/${ledger}?format=csv`, { headers: { authorization: `Bearer ${apiToken}` } });
    await response.arrayBuffer();
    check(response.status);
    counts.exports += 1;
  };
  let occurrence = Date.now();
  const runJob = async () => {
    const job = JOBS.find((candidate) => candidate.name === SOAK_JOBS[counts.jobRuns % SOAK_JOBS.length])!;
    occurrence += 60_000;
    await service.scheduler.fire(job, new Date(occurrence));
    counts.jobRuns += 1;
  };

  const timers = [
    setInterval(() => track(say()), Math.max(1, Math.round(1000 / options.messagesPerSecond))),
    setInterval(() => track(exportLedger()), EXPORT_EVERY_MS),
    setInterval(() => track(runJob()), JOB_EVERY_MS),
  ];
  try {
    while (performance.now() - startedAt < options.durationMs) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      samples.push({
        atSeconds: Math.round((performance.now() - startedAt) / 1000),
        rssMb: round(memory.rss / 2 ** 20, 1),
        heapAfterGcMb: round(memory.heapUsed / 2 ** 20, 1),
        loopDelayMeanMs: round(delay.mean / 1e6),
        loopDelayP99Ms: round(delay.percentile(99) / 1e6),
      });
      delay.reset();
      const last = samples.at(-1)!;
      progress(`${last.atSeconds}s: ${counts.messages} messages, ${counts.exports} exports, ${counts.jobRuns} job runs; RSS ${last.rssMb} MB, heap ${last.heapAfterGcMb} MB, loop delay p99 ${last.loopDelayP99Ms} ms`);
    }
  } finally {
    for (const timer of timers) clearInterval(timer);
    await Promise.allSettled([...inFlight]);
    delay.disable();
  }

  counts.errorLogLines = errorLines.count;
  const warm = samples[Math.floor(samples.length / 4)] ?? samples[0]!;
  const last = samples.at(-1)!;
  const growth = {
    rss: round(last.rssMb / warm.rssMb, 3),
    heapAfterGc: round(last.heapAfterGcMb / warm.heapAfterGcMb, 3),
    loopDelayP99: round(last.loopDelayP99Ms / warm.loopDelayP99Ms, 3),
  };
  const failures: string[] = [];
  if (counts.non2xx > 0) failures.push(`${counts.non2xx} requests were not answered 2xx`);
  if (counts.unanswered > 0) failures.push(`${counts.unanswered} requests or job runs failed without an answer`);
  if (counts.errorLogLines > 0) failures.push(`${counts.errorLogLines} error log lines`);
  if (growth.rss > ALLOWED_GROWTH) failures.push(`RSS grew ${Math.round((growth.rss - 1) * 100)}% after warm-up`);
  if (growth.heapAfterGc > ALLOWED_GROWTH) failures.push(`the heap after GC grew ${Math.round((growth.heapAfterGc - 1) * 100)}% after warm-up`);
  const { progress: _progress, postgresUrl: _url, ...reported } = options;
  return { options: reported, startedAt: new Date(Date.now() - options.durationMs).toISOString(), counts, samples, growth, failures };
}

/** The service's log, dropped but for a count of its error (and fatal) lines. */
function countingErrors(errorLines: { count: number }): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (/"level":(50|60)/.test(line)) errorLines.count += 1;
      }
      done();
    },
  });
}

/** `30m`, `90s`, `2h` → milliseconds; null if it is none of those. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)(s|m|h)$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

/** The soak's figures as a table: the first sample after warm-up, the last, and their ratio. */
export function formatSoak(result: SoakResult): string {
  const warm = result.samples[Math.floor(result.samples.length / 4)] ?? result.samples[0]!;
  const last = result.samples.at(-1)!;
  const { counts, options } = result;
  const lines = [
    `soak on ${options.engine}: ${Math.round(options.durationMs / 1000)} s, ${options.messagesPerSecond} messages/s, ${options.children} children`,
    `${counts.messages} messages, ${counts.exports} exports, ${counts.jobRuns} job runs; ${counts.non2xx} non-2xx answers, ${counts.unanswered} unanswered, ${counts.errorLogLines} error log lines`,
    '',
    `| measure | after warm-up (${warm.atSeconds} s) | end (${last.atSeconds} s) | growth |`,
    '| --- | --- | --- | --- |',
    `| RSS | ${warm.rssMb} MB | ${last.rssMb} MB | ${pct(result.growth.rss)} |`,
    `| heap after GC | ${warm.heapAfterGcMb} MB | ${last.heapAfterGcMb} MB | ${pct(result.growth.heapAfterGc)} |`,
    `| event-loop delay p99 | ${warm.loopDelayP99Ms} ms | ${last.loopDelayP99Ms} ms | ${pct(result.growth.loopDelayP99)} |`,
    '',
    result.failures.length ? `FAILED: ${result.failures.join('; ')}` : 'ok: no error, RSS and heap flat (≤ 10% growth after warm-up)',
  ];
  return lines.join('\n');
}

function pct(ratio: number): string {
  const percent = Math.round((ratio - 1) * 100);
  return `${percent >= 0 ? '+' : ''}${percent}%`;
}
