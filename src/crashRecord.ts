import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The unexpected exits of the service, one JSON line each in the data folder: a process that
 * dies cannot report itself in /metrics, so the next one reads what its predecessors wrote.
 */
export class CrashRecord {
  constructor(readonly file: string) {}

  static in(dataDir: string): CrashRecord {
    return new CrashRecord(path.join(dataDir, 'crashes.jsonl'));
  }

  /** Synchronous: it runs on the way out of a dying process. Only the error's name, never its text. */
  add(kind: string, error: unknown, at = new Date()): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const name = error instanceof Error ? error.name : typeof error;
    appendFileSync(this.file, `${JSON.stringify({ at: at.toISOString(), kind, error: name })}\n`);
  }

  count(): number {
    try {
      return readFileSync(this.file, 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  }
}
