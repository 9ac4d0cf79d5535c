/** Cases (个案): 案件 lists, shows and moves them; case-overdue reminds directors, then the township. */
import { DEPARTMENT_LABELS, REFERRAL_EVENT_LABELS } from '../../domain/labels';

export const casesTexts = {
  /** A department's action on its referral, in a case's history. */
  referralStepNames: REFERRAL_EVENT_LABELS,
  /** The verb of a history step, by the state it entered (重开 for a closed case sent back). */
  caseStepNames: { reported: '报告', verified: '核实', referred: '转介', assisting: '帮扶', closed: '结案', dismissed: '驳回', reopened: '重开' } as const,
  caseActionHints: {
    verify: '核实 [说明]',
    refer: '转介 <部门> [说明]',
    assist: '帮扶 <说明>',
    close: '结案 <说明>',
    dismiss: '驳回 <说明>',
    reopen: '重开 <原因>',
  } as const,
  casesNone: '本村目前没有未结的个案。',
  casesPrivateOnly: '个案信息涉及隐私，请在私聊中发送“案件”查看和办理，不要发在群里。',
  casesList: (lines: string[], total: number) => [`本村未结的个案（${total}件）：`, ...lines, '回复“案件 <编号>”查看处理经过。'].join('\n'),
  casesListLine: (number: string, child: string, type: string, state: string, due: string | null, overdue: boolean) =>
    `· ${number} ${child}｜${type}｜${state}${due ? `｜期限 ${due}${overdue ? '（已超期）' : ''}` : ''}`,
  casesListMore: (shown: number, total: number) => `……仅列出${shown}件，共${total}件，请到管理平台查看全部。`,
  caseBadNumber: (text: string) => `“${text}”不是个案编号。编号形如 TV-2026-000001，发送“案件”查看本村的个案。`,
  caseNotFound: (number: string) => `没有找到编号为 ${number} 的个案，请检查编号，或发送“案件”查看本村的个案。`,
  caseUnknownAction: (word: string) => `看不懂“${word}”。可以：核实、转介、帮扶、结案、驳回、重开，例如：案件 TV-2026-000001 核实 已上门了解情况`,
  caseNoteRequired: (number: string, hint: string) => `请写明说明：案件 ${number} ${hint}`,
  caseNoteTooLong: (limit: number) => `说明太长了（超过${limit}字），请简要填写。`,
  caseDepartmentUsage: (number: string, word: string | null) =>
    `${word ? `看不懂部门“${word}”。` : '请写明转介的部门。'}可以转介给：${Object.values(DEPARTMENT_LABELS).join('、')}，例如：案件 ${number} 转介 民政 申请临时救助`,
  referralAlreadyOpen: (number: string, department: string) => `个案 ${number} 已转介${department}部门，正在等待反馈，不必重复转介。`,
  caseTransitionRefused: (number: string, state: string, hints: string[]) =>
    `个案 ${number} 目前${state}，不能这样办理。${hints.length ? `现在可以：${hints.map((hint) => `案件 ${number} ${hint}`).join('；')}` : '它已办结。'}`,
  caseMoved: (number: string, step: string, state: string, due: string | null) => `已${step}个案 ${number}，现在${state}。${due ? `请在 ${due} 前转介。` : ''}`,
  caseDetail: (c: {
    number: string;
    severity: string;
    child: string;
    village: string;
    type: string;
    suspected: boolean;
    state: string;
    due: string | null;
    overdue: boolean;
    department: string | null;
    reporter: string | null;
    description: string;
    actionsTaken: string | null;
    history: string[];
    next: string[];
  }) =>
    [
      `个案 ${c.number}（${c.severity}）`,
      `孩子：${c.child}（${c.village}）`,
      `类型：${c.type}${c.suspected ? '（疑似）' : ''}`,
      `状态：${c.state}${c.due ? `，期限 ${c.due}${c.overdue ? '（已超期）' : ''}` : ''}`,
      ...(c.department ? [`转介部门：${c.department}`] : []),
      ...(c.reporter ? [`报告人：${c.reporter}`] : []),
      `情况：${c.description}`,
      ...(c.actionsTaken ? [`已采取措施：${c.actionsTaken}`] : []),
      '处理经过：',
      ...c.history,
      ...(c.next.length ? [`下一步可以：${c.next.map((hint) => `案件 ${c.number} ${hint}`).join('；')}`] : []),
    ].join('\n'),
  caseHistoryLine: (at: string, who: string, step: string, department: string | null, note: string | null) =>
    `· ${at} ${who}${step}${department ? `（${department}）` : ''}${note ? `：${note}` : ''}`,
  caseActorApi: '管理平台',
  caseActorSystem: '系统',
  caseReporterSystem: '系统自动通报',
  caseOverdueForDirector: (number: string, child: string, type: string, severity: string, state: string, due: string) =>
    `【个案超期】${number}\n孩子：${child}（${type}，${severity}）\n${state}，期限 ${due}，已超期。\n请尽快处理（回复“案件 ${number}”查看）。`,
  caseOverdueForTownship: (number: string, village: string, child: string, type: string, severity: string, state: string, due: string) =>
    `【个案严重超期】${number}\n${village} ${child}（${type}，${severity}）\n${state}，期限 ${due}，已超过两倍期限仍未处理。\n请督促儿童主任尽快处理。`,
} as const;
