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

const samples: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  for (const line of lines) {
    const start = process.hrtime.bigint();
    understand(line.text, contextOf(line));
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
samples.sort((a, b) => a - b);
const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(3);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
process.stdout.write(
  [
    `first free-text message (loads lunar-typescript, pinyin-pro and the danger model): ${loadMs.toFixed(0)} ms`,
    `memory added: heap+external ${mb(after.heap - before.heap)} MB, rss ${mb(after.rss - before.rss)} MB`,
    `${samples.length} messages: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
  ].join('\n') + '\n',
);
