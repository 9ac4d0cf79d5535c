/** Severity of a report: sets how soon each step of its case is due. */
export const SEVERITIES = ['urgent', 'high', 'normal'] as const;
export type Severity = (typeof SEVERITIES)[number];

const HOUR = 3_600_000;

/** Hours allowed, per severity, to verify a new report and then (from verification) to refer it. */
export type CaseDeadlineHours = Record<Severity, { verify: number; refer: number }>;

/** The plan's defaults: urgent 2 h / 24 h, high 24 h / 3 days, normal 3 days / 7 days. */
export const DEFAULT_DEADLINE_HOURS: CaseDeadlineHours = {
  urgent: { verify: 2, refer: 24 },
  high: { verify: 24, refer: 72 },
  normal: { verify: 72, refer: 168 },
};

/** When a report filed at `reportedAt` must be verified. */
export function verifyDueAt(severity: Severity, reportedAt: Date, hours: CaseDeadlineHours = DEFAULT_DEADLINE_HOURS): Date {
  return new Date(reportedAt.getTime() + hours[severity].verify * HOUR);
}

/** When a case verified (or reopened) at `verifiedAt` must be referred. */
export function referDueAt(severity: Severity, verifiedAt: Date, hours = DEFAULT_DEADLINE_HOURS): Date {
  return new Date(verifiedAt.getTime() + hours[severity].refer * HOUR);
}

const DURATION = /^(\d+(?:\.\d+)?)\s*([hd])$/;
const ENTRY = /^([a-z]+)\s*=\s*([^/]+)\/([^/]+)$/;

/** '2h' → 2, '3d' → 72; null when it is not a positive number of hours or days. */
function parseHours(text: string): number | null {
  const match = DURATION.exec(text.trim().toLowerCase());
  if (!match) return null;
  const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1);
  return hours > 0 ? hours : null;
}

/**
 * Reads `urgent=2h/24h,high=24h/3d,normal=3d/7d`: per severity the time to verify, then the time
 * to refer, in hours (h) or days (d). Severities left out keep their defaults. Throws an Error whose
 * message says what is wrong, for the configuration to name the variable.
 */
export function parseCaseDeadlines(text: string, defaults: CaseDeadlineHours = DEFAULT_DEADLINE_HOURS): CaseDeadlineHours {
  const result: CaseDeadlineHours = { urgent: { ...defaults.urgent }, high: { ...defaults.high }, normal: { ...defaults.normal } };
  const seen = new Set<string>();
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = ENTRY.exec(entry);
    const severity = match?.[1] as Severity | undefined;
    if (!match || !severity || !(SEVERITIES as readonly string[]).includes(severity)) {
      throw new Error(`has "${entry}": write severity=verify/refer with severities urgent, high, normal, e.g. urgent=2h/24h,high=24h/3d,normal=3d/7d`);
    }
    if (seen.has(severity)) throw new Error(`names ${severity} twice`);
    seen.add(severity);
    const verify = parseHours(match[2]!);
    const refer = parseHours(match[3]!);
    if (verify === null || refer === null) throw new Error(`has "${entry}": each time is a positive number of hours or days, e.g. 2h or 3d`);
    result[severity] = { verify, refer };
  }
  return result;
}
