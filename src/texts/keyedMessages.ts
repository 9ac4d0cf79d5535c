/**
 * Prompts and alerts that know what they are: each kind has a message key and fills in the
 * template fields its key declares (src/domain/messageKinds.ts) for a platform without free text
 * (the 服务号 outside its 48-hour window). The text is the catalog's; existing channels send only that.
 */
import type { KeyedText } from '../store/messaging/outbox';
import { catalog, type ReportCard } from './catalog';
import { referralTexts } from './referralTexts';
import { returnHomeTexts } from './returnHomeTexts';
import { RETURN_INTENTION_LABELS } from '../domain/returnHome';
import { DEPARTMENT_NAMES } from '../domain/departments';
import { CHECK_IN_STATUS_LABELS, SEVERITY_LABELS } from '../domain/labels';
import { MESSAGE_KIND_FIELDS, type MessageField, type MessageKey } from '../domain/messageKinds';

export { MESSAGE_KINDS } from '../domain/messageKinds';

type Kind<A extends unknown[], F extends string> = ((...args: A) => KeyedText) & { key: string; fields: readonly F[] };

function kind<K extends MessageKey, A extends unknown[]>(key: K, render: (...args: A) => string, values: (...args: A) => Record<MessageField<K>, string>): Kind<A, MessageField<K>> {
  const make = (...args: A): KeyedText => ({ key, params: values(...args), text: render(...args) });
  return Object.assign(make, { key, fields: MESSAGE_KIND_FIELDS[key] as readonly MessageField<K>[] });
}

const list = (names: string[]) => names.join('、');
const count = (n: number) => String(n);
const severityName = (card: ReportCard) => SEVERITY_LABELS[card.severity];
const day = (date: Date, timeZone: string) => referralTexts.time(date, timeZone);

export const keyed = {
  contactReminder: kind('contact.reminder', catalog.contactReminder, (parent, children) => ({ parent, child: list(children) })),
  contactReminderForRoom: kind('contact.reminder.room', catalog.contactReminderForRoom, (parent, child) => ({ parent, child })),
  contactLastCall: kind('contact.last_call', catalog.contactLastCall, (parent, children) => ({ parent, child: list(children) })),
  contactLastCallForRoom: kind('contact.last_call.room', catalog.contactLastCallForRoom, (parent, child) => ({ parent, child })),
  contactNoteForRoom: kind('contact.logged.room', catalog.contactNoteForRoom, (parent, child, method) => ({ parent, child, method })),
  contactMissedForGuardian: kind('contact.missed.guardian', catalog.contactMissedForGuardian, (_guardian, parent, child, weeks) => ({
    parent,
    child,
    weeks: count(weeks),
  })),
  contactMissedForDirector: kind('contact.missed.director', catalog.contactMissedForDirector, (parent, child, weeks, period) => ({
    parent,
    child,
    weeks: count(weeks),
    period,
  })),
  contactGapForDirector: kind('contact.gap.alert', catalog.contactGapForDirector, (number, parent, child, weeks) => ({
    number,
    parent,
    child,
    weeks: count(weeks),
  })),
  teacherCheckInPrompt: kind('checkin.prompt', catalog.teacherCheckInPrompt, (teacher, children) => ({ teacher, count: count(children.length) })),
  teacherCheckInReminder: kind('checkin.reminder', catalog.teacherCheckInReminder, (teacher, missing) => ({ teacher, count: count(missing.length) })),
  checkInForFamily: kind('checkin.family', catalog.checkInForFamily, (teacher, child, status) => ({
    teacher,
    child,
    status: CHECK_IN_STATUS_LABELS[status],
  })),
  checkInConcernForDirector: kind('checkin.concern.alert', catalog.checkInConcernForDirector, (number, teacher, child) => ({ number, teacher, child })),
  checkInUrgentForDirector: kind('checkin.urgent.alert', catalog.checkInUrgentForDirector, (number, teacher, child) => ({ number, teacher, child })),
  assessmentRoundStart: kind('assessment.round_start', catalog.assessmentRoundStart, (round, _names, total) => ({ round, count: count(total) })),
  assessmentRoundReminder: kind('assessment.round_reminder', catalog.assessmentRoundReminder, (round, _names, total) => ({ round, count: count(total) })),
  assessmentRoundOverdue: kind('assessment.round_overdue', catalog.assessmentRoundOverdue, (round, _villages, total) => ({ round, count: count(total) })),
  recordUpdateStart: kind('record.update_start', catalog.recordUpdateStart, (quarter, _lines, total) => ({ quarter, count: count(total) })),
  recordStaleNotice: kind('record.stale', catalog.recordStaleNotice, (quarter, total) => ({ quarter, count: count(total) })),
  holidayPrompt: kind('holiday.prompt', catalog.holidayPrompt, (_parent, child, vacation, startsOn, endsOn) => ({
    child,
    vacation,
    startsOn,
    endsOn,
  })),
  holidayCannotForDirector: kind('holiday.cannot.director', catalog.holidayCannotForDirector, (parent, child, vacation, period) => ({
    parent,
    child,
    vacation,
    period,
  })),
  worryForDirector: kind('case.worry', catalog.worryForDirector, (number, child) => ({ number, child })),
  /** A worry written in free words by a parent, guardian or teacher (`who`). */
  concernForDirector: kind(
    'case.concern',
    (number: string, child: string, who: string, text: string) => `【新情况】${number}\n孩子：${child}\n${who}反映：${text}\n请及时核实（回复“案件 ${number}”查看）。`,
    (number, child) => ({ number, child }),
  ),
  reportAlert: kind('case.alert', catalog.reportAlert, (card) => ({ number: card.number, child: card.child, type: card.type, severity: severityName(card) })),
  reportAlertForHotline: kind('case.alert.hotline', catalog.reportAlertForHotline, (card) => ({
    number: card.number,
    child: card.child,
    type: card.type,
    severity: severityName(card),
    village: card.village,
  })),
  guardianshipGapAlert: kind('case.guardianship_gap', catalog.guardianshipGapAlert, (number, child) => ({ number, child })),
  caseOverdueForDirector: kind('case.overdue', catalog.caseOverdueForDirector, (number, child, type, severity, _state, due) => ({
    number,
    child,
    type,
    severity,
    due,
  })),
  caseOverdueForTownship: kind(
    'case.overdue.township',
    catalog.caseOverdueForTownship,
    (number, village, child, type, severity, _state, due) => ({ number, village, child, type, severity, due }),
  ),
  entrustRequestForDirector: kind('agreement.request', catalog.entrustRequestForDirector, (parent, child, guardian) => ({ parent, child, guardian })),
  entrustRequestApproved: kind('agreement.request_approved', catalog.entrustRequestApproved, (child, guardian, until) => ({ child, guardian, until })),
  entrustRequestRefused: kind('agreement.request_refused', catalog.entrustRequestRefused, (child, guardian) => ({ child, guardian })),
  weeklySummary: kind('summary.weekly', catalog.weeklySummary, (area, period, f) => ({
    area,
    week: period,
    kept: count(f.kept),
    missed: count(f.missed),
    reports: count(f.reports),
    open: count(f.open),
    overdue: count(f.overdue),
  })),
  agreementMissing: kind('agreement.missing', catalog.agreementMissing, (_names, total) => ({ count: count(total) })),
  agreementExpiring: kind('agreement.expiring', catalog.agreementExpiring, (child, guardian, until) => ({ child, guardian, until })),
  agreementEnded: kind('agreement.ended', catalog.agreementEnded, (child, guardian, until) => ({ child, guardian, until })),
  referralSent: kind('referral.sent', referralTexts.sent, (department, number, village, _request, dueAt, timeZone) => ({
    number,
    village,
    department: DEPARTMENT_NAMES[department],
    due: day(dueAt, timeZone),
  })),
  referralAccepted: kind('referral.accepted', referralTexts.accepted, (department, number) => ({ department: DEPARTMENT_NAMES[department], number })),
  referralProgress: kind('referral.progress', referralTexts.progress, (department, number) => ({ department: DEPARTMENT_NAMES[department], number })),
  referralAnswered: kind('referral.answered', referralTexts.answered, (department, number) => ({ department: DEPARTMENT_NAMES[department], number })),
  referralReturned: kind('referral.returned', referralTexts.returned, (department, number) => ({ department: DEPARTMENT_NAMES[department], number })),
  referralOverdueForDepartment: kind('referral.overdue', referralTexts.overdueForDepartment, (department, number, dueAt, timeZone) => ({
    number,
    department: DEPARTMENT_NAMES[department],
    due: day(dueAt, timeZone),
  })),
  referralOverdueForTownship: kind('referral.overdue.township', referralTexts.overdueForTownship, (department, number, village, dueAt, timeZone) => ({
    number,
    village,
    department: DEPARTMENT_NAMES[department],
    due: day(dueAt, timeZone),
  })),
  returnHomeQuestion: kind('work.return_question', returnHomeTexts.question, (parent) => ({ parent })),
  returnHomeReferral: kind('work.return_referral', returnHomeTexts.referral, (parent, village, intention, needs, dueAt, timeZone) => ({
    parent,
    village,
    intention: RETURN_INTENTION_LABELS[intention],
    needs: returnHomeTexts.needList(needs),
    due: day(dueAt, timeZone),
  })),
  returnHomeReferralReply: kind('work.return_referral.reply', returnHomeTexts.referralReply, (action) => ({ state: returnHomeTexts.referralReplyState[action] })),
  returnHomeReferralOverdue: kind('work.return_referral.overdue', returnHomeTexts.overdueForDepartment, (parent, village, dueAt, timeZone) => ({
    parent,
    village,
    due: day(dueAt, timeZone),
  })),
  returnHomeReferralOverdueForTownship: kind('work.return_referral.overdue.township', returnHomeTexts.overdueForTownship, (parent, village, dueAt, timeZone) => ({
    parent,
    village,
    due: day(dueAt, timeZone),
  })),
  /** To district and city officers at a quarter's start. */
  quarterlyReportReady: kind(
    'report.quarterly',
    (area: string, quarter: string, quarterKey: string, areaCode: string, atStart: number, atEnd: number) =>
      `【季度报告】${area}${quarter}联席会议报告已可下载：农村留守儿童期初 ${atStart} 人，期末 ${atEnd} 人（${atEnd - atStart >= 0 ? '+' : ''}${atEnd - atStart}）。请登录守望平台下载，或运行 report quarterly --area ${areaCode} --quarter ${quarterKey}。`,
    (area, quarter, _key, _code, atStart, atEnd) => ({ area, quarter, atStart: count(atStart), atEnd: count(atEnd) }),
  ),
} as const;

