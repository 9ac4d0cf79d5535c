import { DateTime } from 'luxon';
import { DEFAULT_TIME_ZONE, inZone } from './contactWeek';
import { DomainError } from './DomainError';

/** The plan's age limit: a child counts as left-behind only while under 16 full years. */
export const LEFT_BEHIND_AGE_LIMIT = 16;

export interface ParentSituation {
  worksAway: boolean;
  hasGuardianshipCapacity: boolean;
}

export interface LeftBehindInput {
  /** YYYY-MM-DD */
  birthDate: string;
  /** Up to two parents; a parent who is not listed (deceased, unknown) lacks guardianship capacity. */
  parents: readonly ParentSituation[];
  asOf: Date;
  /** A director's decision that replaces the computed result; the reason is kept for the record. */
  override?: { leftBehind: boolean; reason: string };
  /** Zone whose calendar date decides birthdays; defaults to Asia/Shanghai. */
  zone?: string;
}

export interface LeftBehindResult {
  leftBehind: boolean;
  basis: 'computed' | 'override';
  /** What the rule says, kept even when overridden so the two can be compared. */
  computed: boolean;
  reason: string;
}

const BIRTH_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseBirthDate(birthDate: string): DateTime {
  const date = BIRTH_DATE.test(birthDate) ? DateTime.fromISO(birthDate, { zone: 'utc' }) : null;
  if (!date?.isValid) throw new DomainError('bad_birth_date', `not a YYYY-MM-DD date: ${birthDate}`);
  return date;
}

/**
 * Age in full years on the calendar date of `asOf` in `zone`. A birthday counts from its
 * own day; a 29 February birthday falls on 28 February in common years.
 */
export function ageOn(birthDate: string, asOf: Date, zone: string = DEFAULT_TIME_ZONE): number {
  const birth = parseBirthDate(birthDate);
  const local = inZone(asOf, zone);
  // compare calendar dates only, both in UTC, so time of day and offsets play no part
  const today = DateTime.utc(local.year, local.month, local.day);
  if (today < birth) throw new DomainError('bad_birth_date', `birth date ${birthDate} is after ${today.toISODate()}`);
  const years = today.year - birth.year;
  return birth.plus({ years }) > today ? years - 1 : years;
}

function computeLeftBehind(input: LeftBehindInput): { leftBehind: boolean; reason: string } {
  if (input.parents.length > 2) throw new DomainError('too_many_parents', 'at most two parents can be listed');
  if (ageOn(input.birthDate, input.asOf, input.zone) >= LEFT_BEHIND_AGE_LIMIT) {
    return { leftBehind: false, reason: `年满${LEFT_BEHIND_AGE_LIMIT}周岁` };
  }
  const away = input.parents.filter((p) => p.worksAway).length;
  if (away === 2) return { leftBehind: true, reason: '父母双方外出务工' };
  if (away === 0) return { leftBehind: false, reason: '父母均未外出务工' };
  const other = input.parents.find((p) => !p.worksAway);
  if (other?.hasGuardianshipCapacity) return { leftBehind: false, reason: '一方外出务工，另一方有监护能力' };
  return { leftBehind: true, reason: '一方外出务工，另一方无监护能力' };
}

export function classifyLeftBehind(input: LeftBehindInput): LeftBehindResult {
  const { override } = input;
  if (override && !override.reason.trim()) {
    throw new DomainError('override_reason_required', 'an override needs a reason');
  }
  const computed = computeLeftBehind(input);
  if (!override) return { ...computed, basis: 'computed', computed: computed.leftBehind };
  return { leftBehind: override.leftBehind, basis: 'override', computed: computed.leftBehind, reason: override.reason.trim() };
}
