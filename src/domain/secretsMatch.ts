import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret someone sent with the expected one in time that depends on neither: both are
 * hashed first, so not even the expected secret's length shows in the timing.
 */
export function secretsMatch(given: string, expected: string): boolean {
  return timingSafeEqual(hash('sha256', given, 'buffer'), hash('sha256', expected, 'buffer'));
}
