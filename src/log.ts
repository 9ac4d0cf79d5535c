import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Field names that may hold a child's ID number, a phone or an address. They are censored
 * wherever they appear in a log line, so no code path can leak them by logging an object.
 */
const SENSITIVE_FIELDS = ['nationalId', 'nationalIdCipher', 'phone', 'address', 'authorization', 'token', 'password'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'shouwang' },
      redact: {
        paths: [...SENSITIVE_FIELDS, ...SENSITIVE_FIELDS.map((field) => `*.${field}`), ...SENSITIVE_FIELDS.map((field) => `*.*.${field}`)],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
