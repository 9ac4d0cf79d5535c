import { runTs } from '../../support/runTs';

describe('reading the next batch of away parents ahead', () => {
  // The reader asks for the next batch while the job writes the one before. A database that fails on
  // that read must fail the job with its error, not leave a rejection unhandled: the service stops
  // on one (src/fatal.ts), which would take the chat down with a single job.
  it('fails the reading with the database error once the batch before is handled, and the process goes on', async () => {
    const run = await runTs('tests/support/readAheadFailure.ts', []);
    expect(run.stdout).toBe('handled 1,2\nthe reading failed: connection lost\n');
    expect(run.code).toBe(0);
  }, 60000);
});
