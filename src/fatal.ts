import { ConfigError } from './configError';
import { MigrationError } from './store/migrations/migrate';

/** Problems an operator fixes from the message alone: shown as one sentence, never a stack trace. */
export function isOperatorError(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof MigrationError;
}

/** Prints why the process cannot go on, in one line, and exits non-zero. */
export function exitWith(error: unknown): never {
  const message = isOperatorError(error) ? error.message : `Shouwang stopped on an unexpected error: ${(error as Error)?.message ?? String(error)}`;
  process.stderr.write(`${message.split('\n')[0]}\n`);
  if (!isOperatorError(error) && process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(error as Error)?.stack}\n`);
  process.exit(isOperatorError(error) ? 2 : 1);
}
