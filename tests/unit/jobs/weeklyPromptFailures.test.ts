import { runTs } from '../../support/runTs';

// The weekly prompts read the next batch of parents while a batch's prompts are written, and write
// a batch while the next is read. A database failing in either must fail the job with its error, not
// leave a rejection unhandled: the service stops on one (src/fatal.ts), which would take the chat
// down with a single job.
describe('the weekly prompts reading and writing at once', () => {
  it('fails the reading with the database error once the batch before is handled, and the process goes on', async () => {
    const run = await runTs('tests/support/weeklyPromptFailure.ts', ['read']);
    expect(run.stdout).toBe('handled 1,2\nfailed: connection lost\n');
    expect(run.code).toBe(0);
  }, 60000);

  it('fails the job with the error of an INSERT that failed while the next batch was read, and the process goes on', async () => {
    const run = await runTs('tests/support/weeklyPromptFailure.ts', ['write']);
    expect(run.stdout).toBe('failed: insert failed\n');
    expect(run.code).toBe(0);
  }, 60000);

  it('reports a failed read only once the INSERT it overlapped has finished, so nothing writes after the job has ended', async () => {
    const run = await runTs('tests/support/weeklyPromptFailure.ts', ['read-while-writing']);
    expect(run.stdout).toBe('insert done\nfailed: connection lost\n');
    expect(run.code).toBe(0);
  }, 60000);
});
