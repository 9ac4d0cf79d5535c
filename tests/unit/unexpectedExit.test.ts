import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CrashRecord } from '../../src/crashRecord';
import { ServiceMetrics } from '../../src/metrics';
import type { Db } from '../../src/store/db/database';
import { runTs } from '../support/runTs';

describe('a bug that escapes every handler', () => {
  it('is logged with its context, recorded, and ends the process with exit code 1 for the supervisor to restart', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'shouwang-crash-')), 'crashes.jsonl');
    const run = await runTs('tests/support/unhandledRejection.ts', [file]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('still running');
    const line = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { level: number; kind: string; err: { message: string }; msg: string };
    expect(line).toMatchObject({ level: 60, kind: 'unhandledRejection', err: { message: 'a bug' }, msg: expect.stringContaining('exiting') });
    expect(new CrashRecord(file).count()).toBe(1);
  }, 60000);

  it('is counted in /metrics by the processes that come after', async () => {
    const record = new CrashRecord(path.join(mkdtempSync(path.join(os.tmpdir(), 'shouwang-crash-')), 'crashes.jsonl'));
    const metrics = new ServiceMetrics({} as Db, undefined, record);
    const exits = async () => (await metrics.registry.getSingleMetricAsString('shouwang_unexpected_exits')).split('\n').at(-1);
    expect(await exits()).toBe('shouwang_unexpected_exits 0');
    record.add('uncaughtException', new RangeError('x'));
    record.add('unhandledRejection', 'not an error');
    expect(await exits()).toBe('shouwang_unexpected_exits 2');
  });
});
