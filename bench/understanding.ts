// `npm run bench:understanding`: the understanding step's lazy library load and its time per message (BENCHMARKS.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabelledMessage } from '../src/chat/understanding/evaluation';
import { understand } from '../src/chat/understanding/understand';

const ROUNDS = 20;

function heapAndRss(): { heap: number; rss: number } {
  global.gc?.();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed + usage.external, rss: usage.rss };
}

const lines = ['dev', 'test'].flatMap((part) =>
  readFileSync(path.join(__dirname, '../tests/corpus/understanding', `${part}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LabelledMessage),
);
const contextOf = (line: LabelledMessage) => ({ role: line.role, today: line.today, children: line.children, parents: line.parents });

const before = heapAndRss();
const loadStart = process.hrtime.bigint();
understand('过年回家 和小红视频了二十分钟', contextOf(lines[0]!));
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
const after = heapAndRss();

// On a shared machine the wall-clock tail is other processes' time slices: the CPU time of each
// message and each message's median over the rounds show what the understanding step itself costs.
const samples: number[] = [];
const cpuSamples: number[] = [];
const perLine = lines.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round += 1) {
  lines.forEach((line, index) => {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    understand(line.text, contextOf(line));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    samples.push(ms);
    perLine[index]!.push(ms);
    cpuSamples.push((used.user + used.system) / 1000);
  });
}
samples.sort((a, b) => a - b);
cpuSamples.sort((a, b) => a - b);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const at = (q: number) => quantile(samples, q).toFixed(3);
const slowestMedian = Math.max(...perLine.map((times) => quantile(times.sort((a, b) => a - b), 0.5)));
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
process.stdout.write(
  [
    `first free-text message (loads lunar-typescript, pinyin-pro and the danger model): ${loadMs.toFixed(0)} ms`,
    `memory added: heap+external ${mb(after.heap - before.heap)} MB, rss ${mb(after.rss - before.rss)} MB`,
    `${samples.length} messages: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
    `CPU time a message: p99 ${quantile(cpuSamples, 0.99).toFixed(3)} ms; slowest message's median ${slowestMedian.toFixed(3)} ms`,
  ].join('\n') + '\n',
);
