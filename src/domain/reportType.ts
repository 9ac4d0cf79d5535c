import type { Severity } from './caseDeadlines';

/**
 * What a report is about (the schema's ReportType). The first six are the situations of China's
 * mandatory-reporting rules (强制报告): urgent by default. The rest are the care gaps of the plan.
 */
export const REPORT_TYPES = [
  'sexual_abuse_or_pregnancy',
  'abuse_or_injury',
  'self_harm_or_unnatural_death',
  'abandonment',
  'missing_or_trafficked',
  'organized_begging',
  'guardianship_gap',
  'dropout',
  'illness_or_accident',
  'psychological',
  'living_hardship',
  'vagrancy',
  'contact_gap',
  'other',
] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

interface ReportTypeInfo {
  /** The name on the 通报处置卡. */
  name: string;
  mandatory: boolean;
  /** Words people use for it in chat. */
  synonyms: readonly string[];
}

export const REPORT_TYPE_INFO: Record<ReportType, ReportTypeInfo> = {
  sexual_abuse_or_pregnancy: { name: '性侵害或怀孕', mandatory: true, synonyms: ['性侵害', '性侵', '猥亵', '强奸', '怀孕', '早孕'] },
  abuse_or_injury: { name: '虐待或伤害', mandatory: true, synonyms: ['虐待', '伤害', '打骂', '殴打', '家暴', '家庭暴力', '体罚'] },
  self_harm_or_unnatural_death: { name: '自伤或非正常死亡', mandatory: true, synonyms: ['自伤', '自残', '自杀', '轻生', '非正常死亡'] },
  abandonment: { name: '遗弃', mandatory: true, synonyms: ['弃养', '抛弃'] },
  missing_or_trafficked: { name: '失踪或被拐', mandatory: true, synonyms: ['失踪', '走失', '被拐', '拐卖', '离家出走'] },
  organized_begging: { name: '组织乞讨', mandatory: true, synonyms: ['强迫乞讨', '胁迫乞讨'] },
  guardianship_gap: { name: '监护缺失', mandatory: false, synonyms: ['无人监护', '监护不力', '无人照看'] },
  dropout: { name: '失学辍学', mandatory: false, synonyms: ['失学', '辍学', '不上学', '逃学'] },
  illness_or_accident: { name: '疾病或意外伤害', mandatory: false, synonyms: ['疾病', '生病', '意外', '意外伤害', '受伤', '溺水'] },
  psychological: { name: '心理问题', mandatory: false, synonyms: ['心理', '抑郁', '情绪', '焦虑', '情绪低落'] },
  living_hardship: { name: '生活困难', mandatory: false, synonyms: ['困难', '贫困'] },
  vagrancy: { name: '流浪乞讨', mandatory: false, synonyms: ['流浪', '乞讨'] },
  contact_gap: { name: '亲情联系缺失', mandatory: false, synonyms: ['亲情缺失', '联系缺失', '不联系'] },
  other: { name: '其他', mandatory: false, synonyms: ['其它'] },
};

const SUSPECTED = '疑似';

const BY_WORD = new Map<string, ReportType>(
  REPORT_TYPES.flatMap((type) => [REPORT_TYPE_INFO[type].name, ...REPORT_TYPE_INFO[type].synonyms].map((word) => [word, type] as const)),
);

/** The six mandatory-reporting situations are urgent unless the reporter says otherwise. */
export function defaultSeverity(type: ReportType): Severity {
  return REPORT_TYPE_INFO[type].mandatory ? 'urgent' : 'normal';
}

/**
 * The type a word names: its name, a synonym, or its number in REPORT_TYPES (1-based, as the
 * guided report lists them). `疑似` in front (`疑似性侵`) marks the report suspected.
 */
export function matchReportType(word: string): { type: ReportType; suspected: boolean } | null {
  const trimmed = word.trim();
  const suspected = trimmed.startsWith(SUSPECTED);
  const rest = suspected ? trimmed.slice(SUSPECTED.length) : trimmed;
  const byWord = BY_WORD.get(rest);
  if (byWord) return { type: byWord, suspected };
  if (/^\d{1,2}$/.test(rest)) {
    const type = REPORT_TYPES[Number(rest) - 1];
    if (type) return { type, suspected };
  }
  return null;
}

/** Whether a description says the situation is only suspected (`疑似`). */
export function mentionsSuspicion(text: string): boolean {
  return text.includes(SUSPECTED);
}
