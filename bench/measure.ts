import { readFileSync, writeFileSync } from 'node:fs';

/** Timing helpers of the benchmark: latency percentiles, a bounded-concurrency pool and a peak-RSS sampler. */

export interface Latency {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentiles(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted.at(-1) ?? 0) };
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export const elapsedMs = (startedAt: bigint): number => Number(process.hrtime.bigint() - startedAt) / 1e6;

/**
 * Runs work(i) for i in [0, count) with at most `concurrency` calls in flight, as a channel
 * delivers messages, and returns each call's latency in milliseconds.
 */
export async function runPool(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<number[]> {
  const latencies = new Array<number>(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) {
      const startedAt = process.hrtime.bigint();
      await work(index);
      latencies[index] = elapsedMs(startedAt);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return latencies;
}

/**
 * Peak resident set size while `work` runs: the kernel's high-water mark (VmHWM), reset before,
 * where Linux allows it; elsewhere sampled every few milliseconds and at the end. The kernel's mark
 * is needed: on SQLite every await of a job resolves at once (better-sqlite3 answers synchronously),
 * so no timer fires until the job ends and the sampler saw only the end. Garbage is collected
 * first when node runs with --expose-gc, so one measure's leftovers do not count against the next.
 */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number; baselineRssMb: number }> {
  await collectGarbage();
  const baseline = process.memoryUsage.rss();
  const kernelPeak = resetPeakRss() ? peakRssSinceReset : () => 0;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss(), kernelPeak());
    return { result, peakRssMb: toMb(peak), baselineRssMb: toMb(baseline) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A full collection where node runs with --expose-gc, twice with a pause between: V8 sweeps and
 * unmaps freed pages concurrently, so the RSS read right after one gc() still counts them.
 */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
}

/** Sets this process's VmHWM to its current RSS (Linux: clear_refs "5"); false where that is not possible. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssSinceReset(): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

const toMb = (bytes: number): number => round(bytes / 2 ** 20, 1);
