import { agreementExpiryJob } from './agreementExpiry';
import { agreementMissingJob } from './agreementMissing';
import { assessmentRoundCloseJob, assessmentRoundReminderJob, assessmentRoundStartJob } from './assessmentRounds';
import { caseOverdueJob } from './caseOverdue';
import { referralOverdueJob } from './referralOverdue';
import { contactLastCallJob } from './contactLastCall';
import { contactReminderJob } from './contactReminder';
import { contactWeekCloseJob } from './contactWeekClose';
import { holidayPromptJob } from './holidayPrompt';
import { leftBehindAgeOutJob } from './leftBehindAgeOut';
import { ConfigError } from '../configError';
import type { Job } from './job';
import { platformLimitsPurgeJob } from './platformLimitsPurge';
import { quarterlyReportJob } from './quarterlyReport';
import { retentionJob } from './retention';
import { returnHomeQuestionJob } from './returnHomeQuestion';
import { quarterlyUpdateCloseJob, quarterlyUpdateStartJob } from './quarterlyUpdates';
import { parseSchedules } from './schedules';
import { teacherCheckInJob } from './teacherCheckIn';
import { teacherCheckInReminderJob } from './teacherCheckInReminder';
import { weeklySummaryJob } from './weeklySummary';

/**
 * Every scheduled job of the service. Add a job by importing it here; its schedule is then
 * configurable as SHOUWANG_SCHEDULE_<NAME> (see ./schedules.ts) and `jobs list` shows it.
 */
export const JOBS: Job[] = [contactReminderJob, contactLastCallJob, contactWeekCloseJob, holidayPromptJob, teacherCheckInJob, teacherCheckInReminderJob, assessmentRoundStartJob, assessmentRoundReminderJob, assessmentRoundCloseJob, quarterlyUpdateStartJob, quarterlyUpdateCloseJob, agreementMissingJob, agreementExpiryJob, caseOverdueJob, referralOverdueJob, platformLimitsPurgeJob, retentionJob, leftBehindAgeOutJob, returnHomeQuestionJob, quarterlyReportJob, weeklySummaryJob];

/** The job of that name, or undefined. */
export function jobByName(name: string, jobs: readonly Job[] = JOBS): Job | undefined {
  return jobs.find((job) => job.name === name);
}

/**
 * Each registered job's cron expression: its default, overridden by SHOUWANG_SCHEDULE_<NAME>
 * (Config['scheduleOverrides']). Validated here, where the jobs are known: a bad expression or
 * a variable naming no job is a ConfigError in one line.
 */
export function jobSchedules(overrides: Record<string, string | undefined>, jobs: readonly Job[] = JOBS): Record<string, string> {
  try {
    return parseSchedules(overrides, jobs);
  } catch (error) {
    throw new ConfigError(`Configuration error: ${(error as Error).message}.`);
  }
}
