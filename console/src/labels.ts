/**
 * Chinese labels of the API's codes. The words come from the service's one label table
 * (src/domain/labels.ts), built into the console, so a state reads the same in chat, ledgers,
 * exports and here; only what the domain does not name (channel login states) lives here.
 */
import {
  ACCOUNT_ROLE_LABELS,
  CASE_ACTION_LABELS,
  CASE_STATE_LABELS,
  CHECK_IN_STATUS_LABELS,
  CHILD_CATEGORY_LABELS,
  DEPARTMENT_LABELS,
  FOCUS_FLAG_LABELS,
  GENDER_LABELS,
  PERSON_ROLE_LABELS,
  REFERRAL_EVENT_LABELS,
  REFERRAL_STATE_LABELS,
  REPORT_TYPE_LABELS,
  RISK_LEVEL_LABELS,
  SEVERITY_LABELS,
} from '../../src/domain/labels';

type Table = Readonly<Record<string, string>>;

export const ROLE: Table = ACCOUNT_ROLE_LABELS;
export const CASE_STATE: Table = CASE_STATE_LABELS;
export const OPEN_STATES = ['reported', 'verified', 'referred', 'assisting'] as const;
export const CASE_ACTION: Table = CASE_ACTION_LABELS;

/** Actions whose step must say why (the workflow refuses them without a note). */
export const NOTE_REQUIRED = ['assist', 'close', 'dismiss', 'reopen'];

export const SEVERITY: Table = SEVERITY_LABELS;
export const REPORT_TYPE: Table = REPORT_TYPE_LABELS;
export const DEPARTMENT: Table = DEPARTMENT_LABELS;
export const REFERRAL_STATE: Table = REFERRAL_STATE_LABELS;
export const REFERRAL_EVENT: Table = REFERRAL_EVENT_LABELS;
export const CATEGORY: Table = CHILD_CATEGORY_LABELS;
export const FLAG: Table = FOCUS_FLAG_LABELS;
/** A risk level said as the ledgers say it (低/中/高), with 风险 where a cell stands alone. */
export const RISK: Table = Object.fromEntries(Object.entries(RISK_LEVEL_LABELS).map(([code, name]) => [code, `${name}风险`]));
export const CHECK_IN: Table = CHECK_IN_STATUS_LABELS;
export const GENDER: Table = GENDER_LABELS;
/** A child's linked person by the kind of the link (parent, guardian, teacher): the roles' names. */
export const LINK_KIND: Table = { parent: PERSON_ROLE_LABELS.parent, guardian: PERSON_ROLE_LABELS.guardian, teacher: PERSON_ROLE_LABELS.teacher };

export const CHANNEL_STATE: Table = {
  starting: '启动中',
  waiting_for_login: '等待扫码登录',
  logged_in: '已登录',
  logged_out: '已退出',
  stopped: '已停止',
};

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** An instant as Beijing time, the way officers read deadlines. */
export const at = (iso: string | null | undefined): string => (iso ? TIME.format(new Date(iso)) : '—');

export const label = (table: Table, code: string | null | undefined): string => (code ? (table[code] ?? code) : '—');
