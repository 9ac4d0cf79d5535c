/**
 * The one table of Chinese labels for stored values: chat, ledgers, exports and the console all
 * name a state, a severity or a department with these words (tests/unit/domain/labels.test.ts
 * checks every value of every labelled schema enum has one). Input vocabularies (the words a
 * director may type, e.g. 派出所 for police) stay beside their parsers.
 */
import type { CaseAction, CaseState } from './caseWorkflow';
import { DEPARTMENT_NAMES, type Department } from './departments';
import type { ReferralEvent, ReferralState } from './referrals';
import type { Severity } from './caseDeadlines';
import type { ChildCategory, FocusFlag } from './child';
import type { CapacityLevel } from './guardianshipAgreement';
import type { LeftBehindReason } from './leftBehindTrend';
import { REPORT_TYPE_INFO, REPORT_TYPES, type ReportType } from './reportType';

/**
 * A state is named for where the case stands: 待核实 tells director and officer alike what it
 * waits for; 不予立案 is the plan's word for a report that is not taken up (the chat verb stays 驳回).
 */
export const CASE_STATE_LABELS = {
  reported: '待核实',
  verified: '已核实',
  referred: '已转介',
  assisting: '帮扶中',
  closed: '已结案',
  dismissed: '不予立案',
} as const satisfies Record<CaseState, string>;

/** A step an officer or director takes on a case: the chat verbs (案件 <编号> 核实 …), so a button says what the bot says. */
export const CASE_ACTION_LABELS = { verify: '核实', refer: '转介', assist: '帮扶', close: '结案', dismiss: '驳回', reopen: '重开' } as const satisfies Record<CaseAction, string>;

export const SEVERITY_LABELS = { urgent: '紧急', high: '较重', normal: '一般' } as const satisfies Record<Severity, string>;

/** The names the report filing uses, so a ledger calls a type what the alert called it. */
export const REPORT_TYPE_LABELS = Object.fromEntries(REPORT_TYPES.map((type) => [type, REPORT_TYPE_INFO[type].name])) as Readonly<Record<ReportType, string>>;

/** Departments are named by their own module, the one list chat, API, ledgers and roles share. */
export const DEPARTMENT_LABELS: Readonly<Record<Department, string>> = DEPARTMENT_NAMES;

/** Where a referral stands, as the department and the township read it. */
export const REFERRAL_STATE_LABELS = { sent: '待接收', accepted: '已接收', answered: '已反馈', returned: '已退回' } as const satisfies Record<ReferralState, string>;

/** A department's action on its referral, in a case's history. */
export const REFERRAL_EVENT_LABELS = { accepted: '接收转介', progress: '处理情况', answered: '反馈', returned: '退回转介' } as const satisfies Record<ReferralEvent, string>;

export const CHILD_CATEGORY_LABELS = {
  left_behind: '留守儿童',
  economic_hardship: '经济困难',
  disabled: '残疾',
  safety_lacking: '监护缺失',
} as const satisfies Record<ChildCategory, string>;

export const FOCUS_FLAG_LABELS = {
  vagrant: '流浪乞讨',
  dropout: '失学辍学',
  domestic_violence: '家庭暴力',
  parent_substance_abuse: '父母酗酒或吸毒',
  parent_in_prison: '服刑人员子女',
} as const satisfies Record<FocusFlag, string>;

export const CAPACITY_LEVEL_LABELS = { normal: '正常', insufficient: '不足', improper: '失当', absent: '缺失' } as const satisfies Record<CapacityLevel, string>;

export const RISK_LEVEL_LABELS = { low: '低', medium: '中', high: '高' } as const;

export const GENDER_LABELS = { male: '男', female: '女' } as const;

export const SCHOOL_STAGE_LABELS = {
  preschool: '学前',
  primary: '小学',
  junior: '初中',
  senior: '高中',
  vocational: '职校',
  not_in_school: '未在校',
} as const;

export const PERSON_ROLE_LABELS = {
  parent: '家长',
  guardian: '监护人',
  teacher: '帮扶教师',
  director: '儿童主任',
  officer: '工作人员',
  hotline: '热线联络人',
} as const;

export const CHECK_IN_STATUS_LABELS = { pending: '待回复', normal: '正常', concern: '需关注', urgent: '紧急' } as const;

export const CONTACT_METHOD_LABELS = { video: '视频', phone: '电话', visit: '见面' } as const;

export const VACATION_LABELS = { winter: '寒假', summer: '暑假' } as const;

export const HOLIDAY_ANSWER_LABELS = { coming_home: '回家', taking_child: '接走', cannot: '不能' } as const;

/** 更正 / 删除我的信息: what a person asked about their data, and whether the director has answered. */
export const DATA_REQUEST_KIND_LABELS = { correction: '更正', deletion: '删除' } as const;
export const DATA_REQUEST_STATUS_LABELS = { open: '待答复', answered: '已答复' } as const;

/** Why a child became or stopped being left-behind (the left-behind trend). */
export const LEFT_BEHIND_REASON_LABELS = {
  registered: '新登记',
  parent_left: '父母外出',
  parent_returned: '父母返乡',
  moved_to_parents: '随父母迁移',
  came_of_age: '年满十六周岁',
  moved_in: '从本区其他村迁入',
  moved_out: '迁往本区其他村',
  archived: '离开本地或注销',
  other: '其他',
} as const satisfies Record<LeftBehindReason, string>;
/** Who a console account or API token is (审计 reads everything and changes nothing). */
export const ACCOUNT_ROLE_LABELS = {
  officer_city: '市级工作人员',
  officer_district: '区级工作人员',
  officer_township: '乡镇工作人员',
  director: '儿童主任',
  auditor: '审计只读',
  department: '部门工作人员',
} as const;

/** Every labelled schema enum, by its name in prisma/schema.prisma. */
export const LABELS = {
  CaseState: CASE_STATE_LABELS,
  Severity: SEVERITY_LABELS,
  ReportType: REPORT_TYPE_LABELS,
  Department: DEPARTMENT_LABELS,
  ReferralState: REFERRAL_STATE_LABELS,
  ReferralEvent: REFERRAL_EVENT_LABELS,
  ChildCategory: CHILD_CATEGORY_LABELS,
  FocusFlag: FOCUS_FLAG_LABELS,
  GuardianshipCapacity: CAPACITY_LEVEL_LABELS,
  RiskLevel: RISK_LEVEL_LABELS,
  Gender: GENDER_LABELS,
  SchoolStage: SCHOOL_STAGE_LABELS,
  PersonRole: PERSON_ROLE_LABELS,
  CheckInStatus: CHECK_IN_STATUS_LABELS,
  ContactMethod: CONTACT_METHOD_LABELS,
  Vacation: VACATION_LABELS,
  HolidayAnswer: HOLIDAY_ANSWER_LABELS,
  DataRequestKind: DATA_REQUEST_KIND_LABELS,
  DataRequestStatus: DATA_REQUEST_STATUS_LABELS,
  LeftBehindReason: LEFT_BEHIND_REASON_LABELS,
  ApiRole: ACCOUNT_ROLE_LABELS,
} as const;
