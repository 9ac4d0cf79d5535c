import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** A request to the thread: texts sealed as TextKeyring.sealAll, or values as sealJsonAll. */
export interface SealingRequest {
  id: number;
  json: boolean;
  values: readonly unknown[];
}

export type SealingAnswer = { id: number; sealed: string[] } | { id: number; error: string };

interface Running {
  worker: Worker;
  waiting: Map<number, { resolve: (sealed: string[]) => void; reject: (error: Error) => void }>;
}

/** With nothing asked of it this long, the thread ends and gives its memory back: jobs come daily or weekly. */
const IDLE_END_MS = 10_000;

/**
 * The worker's own heap: its garbage is a batch's ciphers and strings, dead as soon as they are sent.
 * A small young generation keeps it to some megabytes while a job runs.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

/**
 * The worker: compiled beside the service's bundle (deploy/buildServer.ts), or, when the service,
 * the CLI or the tests run from source, the TypeScript source through tsx's require hook (a worker
 * on Node 20 does not take `--import tsx` from execArgv).
 */
function startWorker(options: { workerData: unknown; resourceLimits: typeof RESOURCE_LIMITS }): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'sealingWorker.js'), options);
  const source = path.join(__dirname, 'sealingWorker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { ...options, eval: true });
}

/**
 * A text keyring's sealing on a worker thread, for the batch jobs: on SQLite their statements and
 * their AES-GCM otherwise share one thread, and the holiday prompt's 280,000 sealed values were a
 * fifth of its time (BENCHMARKS.md, holiday prompt). Started on first use and ended when idle;
 * it keeps the process alive only while it owes answers. Values come back in the order given.
 */
export class SealingThread {
  private running: Running | undefined;
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly keys: readonly Buffer[]) {}

  /** As TextKeyring.sealAll. */
  sealAll(texts: readonly string[]): Promise<string[]> {
    return this.ask(false, texts);
  }

  /** As TextKeyring.sealJsonAll. */
  sealJsonAll(values: readonly unknown[]): Promise<string[]> {
    return this.ask(true, values);
  }

  /** Ends the thread now (it starts again if asked); what it was still sealing fails. */
  async end(): Promise<void> {
    clearTimeout(this.idleTimer);
    const running = this.running;
    this.running = undefined;
    if (running) await running.worker.terminate();
  }

  private ask(json: boolean, values: readonly unknown[]): Promise<string[]> {
    if (values.length === 0) return Promise.resolve([]);
    clearTimeout(this.idleTimer);
    const running = this.started();
    const id = (this.nextId += 1);
    // Kept alive while it owes answers (a CLI job may wait on nothing else), never while idle.
    running.worker.ref();
    return new Promise<string[]>((resolve, reject) => {
      running.waiting.set(id, { resolve, reject });
      running.worker.postMessage({ id, json, values } satisfies SealingRequest);
    });
  }

  private started(): Running {
    if (this.running) return this.running;
    const worker = startWorker({ workerData: { keys: this.keys }, resourceLimits: RESOURCE_LIMITS });
    // Each thread owns its requests: one that ended fails only what was sent to it, not a successor's.
    const running: Running = { worker, waiting: new Map() };
    worker.on('message', (answer: SealingAnswer) => this.answered(running, answer));
    worker.on('error', (error) => this.failAll(running, error));
    worker.on('exit', (code) => this.failAll(running, new Error(`The sealing thread ended (exit code ${code}).`)));
    this.running = running;
    return running;
  }

  private answered(running: Running, answer: SealingAnswer): void {
    const waiter = running.waiting.get(answer.id);
    if (!waiter) return;
    running.waiting.delete(answer.id);
    if ('error' in answer) waiter.reject(new Error(answer.error));
    else waiter.resolve(answer.sealed);
    if (running.waiting.size > 0) return;
    running.worker.unref();
    if (this.running === running) {
      this.idleTimer = setTimeout(() => void this.end(), IDLE_END_MS);
      this.idleTimer.unref();
    }
  }

  /** A thread that failed or ended fails what it still owed; the next request starts another. */
  private failAll(running: Running, error: Error): void {
    if (this.running === running) this.running = undefined;
    for (const waiter of running.waiting.values()) waiter.reject(error);
    running.waiting.clear();
  }
}
