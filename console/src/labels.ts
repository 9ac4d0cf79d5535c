/** Chinese labels of the API's codes: one table, as the bot's catalog is for chat. */

export const ROLE: Record<string, string> = {
  officer_city: '市级工作人员',
  officer_district: '区级工作人员',
  officer_township: '乡镇工作人员',
  director: '儿童主任',
  auditor: '审计（只读）',
  department: '部门工作人员',
};

export const CASE_STATE: Record<string, string> = {
  reported: '已报告',
  verified: '已核实',
  referred: '已转介',
  assisting: '帮扶中',
  closed: '已结案',
  dismissed: '不予立案',
};

export const OPEN_STATES = ['reported', 'verified', 'referred', 'assisting'] as const;

export const CASE_ACTION: Record<string, string> = {
  verify: '核实',
  refer: '转介',
  assist: '开始帮扶',
  close: '结案',
  dismiss: '驳回',
  reopen: '重开',
};

/** Actions whose step must say why (the workflow refuses them without a note). */
export const NOTE_REQUIRED = ['assist', 'close', 'dismiss', 'reopen'];

export const SEVERITY: Record<string, string> = { urgent: '紧急', high: '较重', normal: '一般' };

export const REPORT_TYPE: Record<string, string> = {
  sexual_abuse_or_pregnancy: '性侵害或怀孕',
  abuse_or_injury: '虐待或伤害',
  self_harm_or_unnatural_death: '自伤或非正常死亡',
  abandonment: '遗弃',
  missing_or_trafficked: '失踪或被拐',
  organized_begging: '组织乞讨',
  guardianship_gap: '监护缺失',
  dropout: '失学辍学',
  illness_or_accident: '疾病或意外伤害',
  psychological: '心理问题',
  living_hardship: '生活困难',
  vagrancy: '流浪乞讨',
  contact_gap: '亲情联系缺失',
  other: '其他',
};

export const DEPARTMENT: Record<string, string> = {
  civil_affairs: '民政',
  education: '教育',
  police: '公安',
  health: '卫健',
  human_resources: '人社',
  poverty_relief: '乡村振兴',
  youth_league: '共青团',
  womens_federation: '妇联',
  disabled_persons_federation: '残联',
  court: '法院',
  procuratorate: '检察院',
  justice: '司法',
};

export const CATEGORY: Record<string, string> = {
  left_behind: '留守儿童',
  economic_hardship: '经济困难',
  disabled: '残疾',
  safety_lacking: '监护缺失',
};

export const FLAG: Record<string, string> = {
  vagrant: '流浪乞讨',
  dropout: '失学辍学',
  domestic_violence: '家庭暴力',
  parent_substance_abuse: '父母酗酒或吸毒',
  parent_in_prison: '服刑人员子女',
};

export const RISK: Record<string, string> = { low: '低风险', medium: '中风险', high: '高风险' };

export const CHECK_IN: Record<string, string> = { pending: '待反馈', normal: '✓ 正常', concern: '⚠ 需关注', urgent: '⚠ 紧急' };

export const GENDER: Record<string, string> = { male: '男', female: '女' };

export const LINK_KIND: Record<string, string> = { parent: '父母', guardian: '监护人', teacher: '帮扶教师' };

export const CHANNEL_STATE: Record<string, string> = {
  starting: '启动中',
  waiting_for_login: '等待扫码登录',
  logged_in: '已登录',
  logged_out: '已退出',
  stopped: '已停止',
};

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** An instant as Beijing time, the way officers read deadlines. */
export const at = (iso: string | null | undefined): string => (iso ? TIME.format(new Date(iso)) : '—');

export const label = (table: Record<string, string>, code: string | null | undefined): string => (code ? (table[code] ?? code) : '—');
