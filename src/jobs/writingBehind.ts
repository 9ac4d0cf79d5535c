/** A batch's write, once the batch is prepared; nothing when it has nothing to write. */
export type BatchWrite = (() => Promise<void>) | undefined;

/**
 * A job's batch writes run behind its reading: while one batch is written the next is read and
 * prepared (on PostgreSQL the server inserts as this process reads and seals). With `overlap`, a
 * batch's write starts before the one before has finished (INSERTs that do not depend on each
 * other: two in flight at most); without it, writes run one after another, in order. A write's
 * failure fails the job at the next batch's hand-off or at the end, and the job never ends while
 * a write it started still runs: its run is then recorded as failed, and a shutdown may close the
 * connections. No failure is left unhandled (the service stops on one).
 */
export async function writingBehind<T>(batches: AsyncIterable<T>, prepare: (batch: T) => BatchWrite | Promise<BatchWrite>, { overlap }: { overlap: boolean }): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  const start = (write: () => Promise<void>) => {
    writing = write();
    // Awaited at the next hand-off or at the end; until then its failure must not count as unhandled.
    writing.catch(() => undefined);
  };
  try {
    for await (const batch of batches) {
      const write = await prepare(batch);
      if (!write) continue;
      if (overlap) {
        const previous = writing;
        start(write);
        await previous;
      } else {
        await writing;
        start(write);
      }
    }
  } catch (error) {
    await writing.catch(() => undefined);
    throw error;
  }
  await writing;
}
