import { writingBehind } from '../../../src/jobs/writingBehind';

// The weekly and holiday prompts write a batch while they read the next (src/jobs/writingBehind.ts).
// What happens when, written as a log: `read N`, `start N`, `end N`.
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function* batches(log: string[], count: number, failAt?: number): AsyncGenerator<number> {
  for (let batch = 1; batch <= count; batch++) {
    await tick();
    if (batch === failAt) throw new Error(`read ${batch} failed`);
    log.push(`read ${batch}`);
    yield batch;
  }
}

function writer(log: string[], failing?: number) {
  return (batch: number) => async () => {
    log.push(`start ${batch}`);
    await tick();
    await tick();
    if (batch === failing) throw new Error(`write ${batch} failed`);
    log.push(`end ${batch}`);
  };
}

describe('writing a job’s batches behind its reading', () => {
  it('in order: a batch’s write starts once the one before has ended, and the next batch is read meanwhile', async () => {
    const log: string[] = [];
    const write = writer(log);
    await writingBehind(batches(log, 3), (batch) => write(batch), { overlap: false });
    expect(log).toEqual(['read 1', 'start 1', 'read 2', 'end 1', 'start 2', 'read 3', 'end 2', 'start 3', 'end 3']);
  });

  it('overlapping: a batch’s write starts before the one before has ended, two at most, and all end before the job does', async () => {
    const log: string[] = [];
    const write = writer(log);
    await writingBehind(batches(log, 3), (batch) => write(batch), { overlap: true });
    expect(log).toEqual(['read 1', 'start 1', 'read 2', 'start 2', 'end 1', 'read 3', 'start 3', 'end 2', 'end 3']);
  });

  it('skips a batch with nothing to write', async () => {
    const log: string[] = [];
    const write = writer(log);
    await writingBehind(batches(log, 3), (batch) => (batch === 2 ? undefined : write(batch)), { overlap: false });
    expect(log.filter((entry) => !entry.startsWith('read'))).toEqual(['start 1', 'end 1', 'start 3', 'end 3']);
    expect(log).toContain('read 2');
  });

  it.each([false, true])('fails with a write’s error, and stops reading (overlap %s)', async (overlap) => {
    const log: string[] = [];
    await expect(writingBehind(batches(log, 4), writer(log, 1), { overlap })).rejects.toThrow('write 1 failed');
    expect(log).not.toContain('read 4');
    expect(log).not.toContain('start 3');
  });

  it.each([false, true])('fails with a read’s error only once the write in flight has ended (overlap %s)', async (overlap) => {
    const log: string[] = [];
    const run = writingBehind(batches(log, 3, 2), writer(log), { overlap });
    await expect(run.finally(() => log.push('job ended'))).rejects.toThrow('read 2 failed');
    expect(log).toEqual(['read 1', 'start 1', 'end 1', 'job ended']);
  });
});
