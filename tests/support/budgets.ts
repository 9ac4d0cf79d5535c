/**
 * Time limits of tests that start processes, sized for a loaded 2-core machine (several test
 * workers, other services): limits, not waits — a test goes on as soon as what it waits for
 * happens. jest.config.js's 30 s default holds for everything else.
 */

/** A CLI command or `npm start` that fails fast: node, tsx, the configuration, maybe the database. */
export const PROCESS_RUN_MS = 30_000;

/** A service process up and listening: migrations applied, data key checked, channels started. */
export const SERVICE_START_MS = 60_000;

/** Something an in-process service does in answer to a message: handling, the dispatcher's send. */
export const EVENT_WAIT_MS = 20_000;

/** The limit of one test that runs `runs` processes and starts `services` service processes, one after the other. */
export function processBudget(spawned: { runs?: number; services?: number }): number {
  return (spawned.runs ?? 0) * PROCESS_RUN_MS + (spawned.services ?? 0) * SERVICE_START_MS + 10_000;
}

/** Waits until `probe` gives a value (a polled event), failing with `what` after `timeoutMs`. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = EVENT_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
