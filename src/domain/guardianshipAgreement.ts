import { DateTime } from 'luxon';
import { DomainError } from './DomainError';

/**
 * Entrusted guardianship (委托监护责任确认书): an away parent entrusts an adult with the child,
 * the village assesses the adult's capacity and approves. Dates are calendar dates YYYY-MM-DD
 * in the service's zone, compared as strings.
 */

/** The levels of the Hubei guardianship-capacity standard, best first. */
export const CAPACITY_LEVELS = ['normal', 'insufficient', 'improper', 'absent'] as const;
export type CapacityLevel = (typeof CAPACITY_LEVELS)[number];

const CAPACITY_BY_WORD: Readonly<Record<string, CapacityLevel>> = {
  正常: 'normal',
  不足: 'insufficient',
  失当: 'improper',
  缺失: 'absent',
};

export type AgreementStatus = 'pending' | 'approved' | 'rejected' | 'ended';

/** Days before validUntil that the village directors are reminded to renew. */
export const EXPIRY_NOTICE_DAYS = 30;

/** Guardianship is about minors: from 18 a child needs no entrusted guardian. */
export const GUARDIANSHIP_AGE_LIMIT = 18;

/** The youngest guardian the village may approve: an adult. */
export const MIN_GUARDIAN_AGE = 18;

/**
 * What the village does with an assessment. 正常 approves. 不足 approves too, because the child
 * has nobody better at hand, but the director is asked to follow up. 失当 (the adult neglects or
 * harms the child) is refused and filed as a high-severity 监护缺失 report; 缺失 (no capacity at
 * all) is refused and filed as an urgent one. An adult who is not willing cannot be entrusted.
 */
export interface CapacityDecision {
  status: 'approved' | 'rejected';
  /** Severity of the 监护缺失 report to file, if any. */
  report: 'urgent' | 'high' | null;
  followUp: boolean;
}

export function decideOnCapacity(level: CapacityLevel, willing: boolean): CapacityDecision {
  if (level === 'absent') return { status: 'rejected', report: 'urgent', followUp: false };
  if (level === 'improper') return { status: 'rejected', report: 'high', followUp: false };
  if (!willing) return { status: 'rejected', report: null, followUp: false };
  return { status: 'approved', report: null, followUp: level === 'insufficient' };
}

export interface AgreementPeriod {
  status: AgreementStatus;
  validFrom: string | null;
  validUntil: string | null;
}

/** Whether the agreement covers the day: approved, started, and not past its last day. */
export function isValidOn(agreement: AgreementPeriod, date: string): boolean {
  if (agreement.status !== 'approved') return false;
  if (agreement.validFrom !== null && agreement.validFrom > date) return false;
  return agreement.validUntil === null || date <= agreement.validUntil;
}

/** Whether an approved agreement's last day has passed. */
export function isExpired(agreement: AgreementPeriod, date: string): boolean {
  return agreement.status === 'approved' && agreement.validUntil !== null && agreement.validUntil < date;
}

/** The last day an expiry reminder looks ahead to: `days` after today. */
export function expiryHorizon(today: string, days = EXPIRY_NOTICE_DAYS): string {
  return plusDays(today, days);
}

/** Whether an approved agreement ends within the notice window (today included). */
export function isExpiringWithin(agreement: AgreementPeriod, today: string, days = EXPIRY_NOTICE_DAYS): boolean {
  return isValidOn(agreement, today) && agreement.validUntil !== null && agreement.validUntil <= expiryHorizon(today, days);
}

/**
 * The default term when the director names no end: one year, to the day before the anniversary,
 * e.g. 2026-09-01 to 2027-08-31. From 29 February the year ends on 28 February (no 29th to precede).
 */
export function defaultValidUntil(validFrom: string): string {
  const from = calendarDate(validFrom);
  const anniversary = from.plus({ years: 1 });
  return (anniversary.day === from.day ? anniversary.minus({ days: 1 }) : anniversary).toISODate()!;
}

export interface ChildGuardianshipFacts {
  birthDate: string;
  /** The child's current parent links. */
  parents: ReadonlyArray<{ worksAway: boolean | null }>;
  agreements: readonly AgreementPeriod[];
}

/** Whether both parents work away, so someone else must be entrusted with the child. */
export function bothParentsAway(parents: ChildGuardianshipFacts['parents']): boolean {
  return parents.filter((parent) => parent.worksAway === true).length >= 2;
}

/** A minor whose parents both work away, and no approved agreement covers today. */
export function needsAgreement(child: ChildGuardianshipFacts, today: string): boolean {
  if (calendarDate(child.birthDate).plus({ years: GUARDIANSHIP_AGE_LIMIT }).toISODate()! <= today) return false;
  return bothParentsAway(child.parents) && !child.agreements.some((agreement) => isValidOn(agreement, today));
}

/** The assessment and term a director writes after the child and guardian, recognised by shape. */
export interface AgreementTerms {
  relation: string | null;
  guardianAge: number | null;
  guardianHealth: string | null;
  guardianWilling: boolean;
  capacityLevel: CapacityLevel;
  validUntil: string | null;
}

export type TermsProblem =
  | { code: 'bad_age'; token: string }
  | { code: 'minor_guardian'; age: number }
  | { code: 'bad_date'; token: string }
  | { code: 'repeated'; token: string };

/** Relation words of the people usually entrusted; an unlisted word right after the guardian counts too. */
export const RELATION_WORDS: readonly string[] = [
  '祖父', '祖母', '外祖父', '外祖母', '爷爷', '奶奶', '外公', '外婆', '姥爷', '姥姥',
  '伯父', '伯母', '叔叔', '婶婶', '姑姑', '姑父', '舅舅', '舅妈', '姨妈', '姨父', '阿姨',
  '哥哥', '姐姐', '嫂子', '姐夫', '亲戚', '邻居', '朋友',
];

const AGE = /^(\d{1,3})岁$/;
const UNTIL = /^(?:至|到)(.+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Words that say how someone's health is: such a token is the health, not a relation. */
const HEALTH_HINT = /健康|良好|一般|较差|差|病|残|弱|好/;

/**
 * Reads `[关系] [N岁] [健康…] [愿意/不愿意] [正常/不足/失当/缺失] [至YYYY-MM-DD]` in any order.
 * The token right after the guardian is the relation unless its shape says otherwise; every
 * other unrecognised token is the health. Defaults: willing, 正常, the default term.
 */
export function parseAgreementTerms(tokens: readonly string[]): { terms: AgreementTerms } | { problem: TermsProblem } {
  const terms: AgreementTerms = { relation: null, guardianAge: null, guardianHealth: null, guardianWilling: true, capacityLevel: 'normal', validUntil: null };
  const seen = new Set<string>();
  const once = (kind: string, token: string): TermsProblem | null => {
    if (seen.has(kind)) return { code: 'repeated', token };
    seen.add(kind);
    return null;
  };
  const health: string[] = [];
  for (const [index, token] of tokens.entries()) {
    let problem: TermsProblem | null = null;
    const age = AGE.exec(token);
    const until = UNTIL.exec(token);
    if (age) {
      const years = Number(age[1]);
      if (years > 120) return { problem: { code: 'bad_age', token } };
      if (years < MIN_GUARDIAN_AGE) return { problem: { code: 'minor_guardian', age: years } };
      problem = once('age', token);
      terms.guardianAge = years;
    } else if (/^\d+$/.test(token)) {
      return { problem: { code: 'bad_age', token } };
    } else if (token === '愿意' || token === '不愿意') {
      problem = once('willing', token);
      terms.guardianWilling = token === '愿意';
    } else if (CAPACITY_BY_WORD[token]) {
      problem = once('level', token);
      terms.capacityLevel = CAPACITY_BY_WORD[token]!;
    } else if (until) {
      if (!isCalendarDate(until[1]!)) return { problem: { code: 'bad_date', token } };
      problem = once('until', token);
      terms.validUntil = until[1]!;
    } else if (RELATION_WORDS.includes(token) || (index === 0 && !HEALTH_HINT.test(token))) {
      problem = once('relation', token);
      terms.relation = token;
    } else {
      health.push(token);
    }
    if (problem) return { problem };
  }
  terms.guardianHealth = health.length ? health.join(' ') : null;
  return { terms };
}

function isCalendarDate(text: string): boolean {
  return ISO_DATE.test(text) && DateTime.fromISO(text, { zone: 'utc' }).isValid;
}

function calendarDate(text: string): DateTime {
  const date = isCalendarDate(text) ? DateTime.fromISO(text, { zone: 'utc' }) : null;
  if (!date?.isValid) throw new DomainError('bad_calendar_date', `not a YYYY-MM-DD date: ${text}`);
  return date;
}

function plusDays(date: string, days: number): string {
  return calendarDate(date).plus({ days }).toISODate()!;
}
