/** Severity of a report: sets how soon each step of its case is due. */
export const SEVERITIES = ['urgent', 'high', 'normal'] as const;
export type Severity = (typeof SEVERITIES)[number];

const HOUR = 3_600_000;

/** Hours allowed, per severity, to verify a new report and then to refer it. */
export type CaseDeadlineHours = Record<Severity, { verify: number; refer: number }>;

/** The plan's defaults. */
export const DEFAULT_DEADLINE_HOURS: CaseDeadlineHours = {
  urgent: { verify: 2, refer: 24 },
  high: { verify: 24, refer: 72 },
  normal: { verify: 72, refer: 168 },
};

/** When a report filed at `reportedAt` must be verified. */
export function verifyDueAt(severity: Severity, reportedAt: Date, hours: CaseDeadlineHours = DEFAULT_DEADLINE_HOURS): Date {
  return new Date(reportedAt.getTime() + hours[severity].verify * HOUR);
}
