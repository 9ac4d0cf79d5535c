/** Error codes of a connection the client closed: a cancelled download, a flaky link. */
const GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_DESTROYED', 'HPE_INVALID_EOF_STATE']);

/** True when `error` says the client went away: no fault of the service, and nobody left to answer. */
export function clientWentAway(error: unknown): boolean {
  return GONE.has((error as NodeJS.ErrnoException | null)?.code ?? '');
}
