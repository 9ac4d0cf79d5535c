/**
 * A broken domain rule or malformed domain input. `code` is stable and machine-readable
 * so the chat and API layers can map it to a catalog message or an HTTP error.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: string,
    message: string = code,
  ) {
    super(message);
  }
}
