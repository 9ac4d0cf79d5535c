import { ConfigError } from './configError';
import type { CrashRecord } from './crashRecord';
import type { Logger } from './log';
import { MigrationError } from './store/db/migrations/migrate';

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

/**
 * An unhandled rejection or uncaught exception is a bug, and the state it leaves is unknown: log it
 * with its context, record it for /metrics, and exit 1 so the supervisor starts a clean process.
 */
export function exitOnBugs(logger: Logger, crashes: CrashRecord): void {
  const die = (kind: 'unhandledRejection' | 'uncaughtException') => (error: unknown) => {
    logger.fatal({ err: error, kind }, 'unexpected error: exiting so that the supervisor restarts the service');
    try {
      crashes.add(kind, error);
    } finally {
      process.exit(1);
    }
  };
  process.on('unhandledRejection', die('unhandledRejection'));
  process.on('uncaughtException', die('uncaughtException'));
}
