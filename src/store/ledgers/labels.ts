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

export const REPORT_TYPE_LABELS: Readonly<Record<ReportType, string>> = {
  sexual_abuse_or_pregnancy: '性侵或怀孕',
  abuse_or_injury: '虐待或伤害',
  self_harm_or_unnatural_death: '自伤或非正常死亡',
  abandonment: '遗弃',
  missing_or_trafficked: '失踪或被拐',
  organized_begging: '被组织乞讨',
  guardianship_gap: '监护缺失',
  dropout: '失学辍学',
  illness_or_accident: '疾病或意外',
  psychological: '心理问题',
  living_hardship: '生活困难',
  vagrancy: '流浪',
  contact_gap: '亲情联系缺失',
  other: '其他',
};

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

export const CASE_STATES = Object.keys(CASE_STATE_LABELS) as CaseState[];
export const SEVERITIES = Object.keys(SEVERITY_LABELS) as Severity[];
export const REPORT_TYPES = Object.keys(REPORT_TYPE_LABELS) as ReportType[];
export const OPEN_CASE_STATES: readonly CaseState[] = ['reported', 'verified', 'referred', 'assisting'];
