/**
 * Pages read one ahead: the next page is asked for as soon as the current one is known, so on
 * PostgreSQL the server reads it while the caller works on this one, instead of the two taking
 * turns (BENCHMARKS.md: the export and the weekly fan-out). At most two pages are held.
 *
 * `read` fetches the page at a cursor; `next` says where the following page starts, or null after
 * the last. A read ahead that fails is held until its page is asked for, then thrown: left
 * unawaited it would count as an unhandled rejection, which stops the service. A caller that stops
 * early leaves it unawaited, and its failure goes with it.
 */
export async function* readingAhead<Cursor, Page>(
  first: Cursor | null,
  read: (cursor: Cursor) => Promise<Page>,
  next: (page: Page, cursor: Cursor) => Cursor | null,
): AsyncGenerator<{ cursor: Cursor; page: Page }> {
  const ask = (cursor: Cursor | null) => (cursor === null ? null : { cursor, page: held(read(cursor)) });
  for (let ahead = ask(first); ahead !== null; ) {
    const { cursor } = ahead;
    const page = await ahead.page;
    ahead = ask(next(page, cursor));
    yield { cursor, page };
  }
}

function held<T>(reading: Promise<T>): Promise<T> {
  reading.catch(() => undefined);
  return reading;
}
