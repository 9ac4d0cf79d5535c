import { readingAhead } from '../../../src/store/db/readingAhead';

/** Pages 0..count-1; each read logs when it starts, and the page given in `failing` fails. */
function pagesOf(count: number, log: string[], failing?: number) {
  return readingAhead<number, number>(
    count > 0 ? 0 : null,
    async (page: number) => {
      log.push(`read ${page}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (page === failing) throw new Error(`page ${page} could not be read`);
      return page * 10;
    },
    (_, page) => (page + 1 < count ? page + 1 : null),
  );
}

/** Rejections nobody handled while `work` ran: each would stop the service. */
async function unhandledDuring(work: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return unhandled;
}

describe('reading pages one ahead', () => {
  it('gives every page in order, the next already asked for while the caller works on the current one', async () => {
    const log: string[] = [];
    for await (const { cursor, page } of pagesOf(3, log)) {
      log.push(`work on ${cursor}`);
      expect(page).toBe(cursor * 10);
    }
    expect(log).toEqual(['read 0', 'read 1', 'work on 0', 'read 2', 'work on 1', 'work on 2']);
  });

  it('reads nothing when there is no first page', async () => {
    const log: string[] = [];
    for await (const { cursor } of pagesOf(0, log)) log.push(`work on ${cursor}`);
    expect(log).toEqual([]);
  });

  it('throws a failed read ahead when its page is asked for, once the caller has finished the page before', async () => {
    const log: string[] = [];
    const reading = (async () => {
      for await (const { cursor } of pagesOf(3, log, 1)) {
        await new Promise((resolve) => setTimeout(resolve, 30)); // the read ahead fails meanwhile
        log.push(`work on ${cursor}`);
      }
    })();
    await expect(reading).rejects.toThrow('page 1 could not be read');
    expect(log).toEqual(['read 0', 'read 1', 'work on 0']);
  });

  it('lets a caller stop early without the read ahead’s failure counting as unhandled', async () => {
    const log: string[] = [];
    const unhandled = await unhandledDuring(async () => {
      for await (const { cursor } of pagesOf(3, log, 1)) {
        log.push(`work on ${cursor}`);
        break;
      }
    });
    expect(log).toEqual(['read 0', 'read 1', 'work on 0']);
    expect(unhandled).toEqual([]);
  });
});
