import { assessmentRoundsLedger } from './assessmentRounds';
import { casesLedger } from './cases';
import { childCategoriesLedger } from './childCategories';
import { childLedger } from './childLedger';
import { contactComplianceLedger } from './contactCompliance';
import { dropoutLedger } from './dropout';
import type { Ledger } from './ledger';
import { leftBehindTrendLedger } from './leftBehindTrend';
import { migrantWorkLedger } from './migrantWork';
import { overdueStepsLedger } from './overdueSteps';
import { referralTimelinessLedger } from './referralTimeliness';
import { staleRecordsLedger } from './staleRecords';
import { teacherCheckInLedger } from './teacherCheckIns';

/** Every 台账, by the name the API and the CLI use. */
export const LEDGERS: readonly Ledger[] = [
  childLedger,
  childCategoriesLedger,
  contactComplianceLedger,
  teacherCheckInLedger,
  casesLedger,
  overdueStepsLedger,
  referralTimelinessLedger,
  assessmentRoundsLedger,
  staleRecordsLedger,
  dropoutLedger,
  migrantWorkLedger,
  leftBehindTrendLedger,
];

export const LEDGER_NAMES = LEDGERS.map((ledger) => ledger.name);

export function ledgerNamed(name: string): Ledger | undefined {
  return LEDGERS.find((ledger) => ledger.name === name);
}
