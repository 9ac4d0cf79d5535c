import { DateTime } from 'luxon';
import { DEFAULT_TIME_ZONE, inZone } from './contactWeek';

/** GB 11643-1999 weights for the 17 body digits: 2^(17-i) mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** ISO 7064 MOD 11-2 check character, indexed by the weighted sum mod 11. */
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;
const EARLIEST_BIRTH_YEAR = 1900;

/** Users often paste surrounding spaces or type the check character as x; this is the stored form. */
export function normalizeNationalId(id: string): string {
  return id.trim().toUpperCase();
}

/** The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits of an ID number. */
export function checkChar(id: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11];
}

/** The birth date inside a well-formed, correctly checked number, else null. */
function embeddedBirthDate(id: string): DateTime<true> | null {
  const normalized = normalizeNationalId(id);
  if (!SHAPE.test(normalized) || checkChar(normalized) !== normalized[17]) return null;
  const birth = DateTime.fromFormat(normalized.slice(6, 14), 'yyyyMMdd', { zone: 'utc' });
  return birth.isValid && birth.year >= EARLIEST_BIRTH_YEAR ? birth : null;
}

/**
 * An 18-character resident ID number (GB 11643-1999): 17 digits, the right MOD 11-2 check
 * character and a real birth date from 1900 on. Given `asOf`, the birth date must also not
 * be later than asOf's calendar date in `zone`.
 */
export function isValidNationalId(id: string, asOf?: Date, zone: string = DEFAULT_TIME_ZONE): boolean {
  const birth = embeddedBirthDate(id);
  if (!birth) return false;
  return asOf === undefined || birth.toISODate() <= inZone(asOf, zone).toISODate();
}

/** The birth date in a valid number as YYYY-MM-DD, or null if the number is not valid. */
export function birthDateFromNationalId(id: string): string | null {
  return embeddedBirthDate(id)?.toISODate() ?? null;
}

/** First 4 and last 4 characters kept, the rest starred, length preserved; short input is starred entirely. */
export function maskNationalId(id: string): string {
  if (id.length < 9) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}
