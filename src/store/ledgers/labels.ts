import { REPORT_TYPE_INFO, REPORT_TYPES } from '../../domain/reportType';
import type { CaseState, Gender, ReportType, RiskLevel, SchoolStage, Severity } from '../database';

/** Chinese names of the stored values that ledgers and exports show. */
export const CASE_STATE_LABELS: Readonly<Record<CaseState, string>> = {
  reported: '已报告',
  verified: '已核实',
  referred: '已转介',
  assisting: '帮扶中',
  closed: '已结案',
  dismissed: '不予立案',
};

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { urgent: '紧急', high: '较重', normal: '一般' };

/** The names the report filing uses, so a ledger calls a type what the alert called it. */
export const REPORT_TYPE_LABELS: Readonly<Record<ReportType, string>> = Object.fromEntries(REPORT_TYPES.map((type) => [type, REPORT_TYPE_INFO[type].name])) as Record<ReportType, string>;

export const RISK_LEVEL_LABELS: Readonly<Record<RiskLevel, string>> = { low: '低', medium: '中', high: '高' };

export const GENDER_LABELS: Readonly<Record<Gender, string>> = { male: '男', female: '女' };

export const SCHOOL_STAGE_LABELS: Readonly<Record<SchoolStage, string>> = {
  preschool: '学前',
  primary: '小学',
  junior: '初中',
  senior: '高中',
  vocational: '职校',
  not_in_school: '未在校',
};

export { CASE_STATES, OPEN_CASE_STATES } from '../../domain/caseWorkflow';
export { SEVERITIES } from '../../domain/caseDeadlines';
export { REPORT_TYPES };
