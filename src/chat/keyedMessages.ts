/**
 * Prompts and alerts that know what they are: each kind has a message key and declares, once, the
 * template fields a platform without free text (the 服务号 outside its 48-hour window) fills in.
 * The text is the catalog's; existing channels send only that.
 */
import type { KeyedText } from '../store/outbox';
import { catalog, type ReportCard } from './catalog';

type Kind<A extends unknown[], F extends string> = ((...args: A) => KeyedText) & { key: string; fields: readonly F[] };

function kind<A extends unknown[], F extends string>(key: string, fields: readonly F[], render: (...args: A) => string, values: (...args: A) => Record<F, string>): Kind<A, F> {
  const make = (...args: A): KeyedText => ({ key, params: values(...args), text: render(...args) });
  return Object.assign(make, { key, fields });
}

const list = (names: string[]) => names.join('、');
const count = (n: number) => String(n);
const severityName = (card: ReportCard) => catalog.severityNames[card.severity];

export const keyed = {
  contactReminder: kind('contact.reminder', ['parent', 'child'], catalog.contactReminder, (parent, children) => ({ parent, child: list(children) })),
  contactReminderForRoom: kind('contact.reminder.room', ['parent', 'child'], catalog.contactReminderForRoom, (parent, child) => ({ parent, child })),
  contactLastCall: kind('contact.last_call', ['parent', 'child'], catalog.contactLastCall, (parent, children) => ({ parent, child: list(children) })),
  contactLastCallForRoom: kind('contact.last_call.room', ['parent', 'child'], catalog.contactLastCallForRoom, (parent, child) => ({ parent, child })),
  contactNoteForRoom: kind('contact.logged.room', ['parent', 'child', 'method'], catalog.contactNoteForRoom, (parent, child, method) => ({ parent, child, method })),
  contactMissedForGuardian: kind('contact.missed.guardian', ['parent', 'child', 'weeks'], catalog.contactMissedForGuardian, (_guardian, parent, child, weeks) => ({
    parent,
    child,
    weeks: count(weeks),
  })),
  contactMissedForDirector: kind('contact.missed.director', ['parent', 'child', 'weeks', 'period'], catalog.contactMissedForDirector, (parent, child, weeks, period) => ({
    parent,
    child,
    weeks: count(weeks),
    period,
  })),
  contactGapForDirector: kind('contact.gap.alert', ['number', 'parent', 'child', 'weeks'], catalog.contactGapForDirector, (number, parent, child, weeks) => ({
    number,
    parent,
    child,
    weeks: count(weeks),
  })),
  teacherCheckInPrompt: kind('checkin.prompt', ['teacher', 'count'], catalog.teacherCheckInPrompt, (teacher, children) => ({ teacher, count: count(children.length) })),
  teacherCheckInReminder: kind('checkin.reminder', ['teacher', 'count'], catalog.teacherCheckInReminder, (teacher, missing) => ({ teacher, count: count(missing.length) })),
  checkInForFamily: kind('checkin.family', ['teacher', 'child', 'status'], catalog.checkInForFamily, (teacher, child, status) => ({
    teacher,
    child,
    status: catalog.checkInStatusNames[status],
  })),
  checkInConcernForDirector: kind('checkin.concern.alert', ['number', 'teacher', 'child'], catalog.checkInConcernForDirector, (number, teacher, child) => ({ number, teacher, child })),
  checkInUrgentForDirector: kind('checkin.urgent.alert', ['number', 'teacher', 'child'], catalog.checkInUrgentForDirector, (number, teacher, child) => ({ number, teacher, child })),
  assessmentRoundStart: kind('assessment.round_start', ['round', 'count'], catalog.assessmentRoundStart, (round, _names, total) => ({ round, count: count(total) })),
  assessmentRoundReminder: kind('assessment.round_reminder', ['round', 'count'], catalog.assessmentRoundReminder, (round, _names, total) => ({ round, count: count(total) })),
  assessmentRoundOverdue: kind('assessment.round_overdue', ['round', 'count'], catalog.assessmentRoundOverdue, (round, _villages, total) => ({ round, count: count(total) })),
  recordUpdateStart: kind('record.update_start', ['quarter', 'count'], catalog.recordUpdateStart, (quarter, _lines, total) => ({ quarter, count: count(total) })),
  recordStaleNotice: kind('record.stale', ['quarter', 'count'], catalog.recordStaleNotice, (quarter, total) => ({ quarter, count: count(total) })),
  holidayPrompt: kind('holiday.prompt', ['child', 'vacation', 'startsOn', 'endsOn'], catalog.holidayPrompt, (_parent, child, vacation, startsOn, endsOn) => ({
    child,
    vacation,
    startsOn,
    endsOn,
  })),
  holidayCannotForDirector: kind('holiday.cannot.director', ['parent', 'child', 'vacation', 'period'], catalog.holidayCannotForDirector, (parent, child, vacation, period) => ({
    parent,
    child,
    vacation,
    period,
  })),
  worryForDirector: kind('case.worry', ['number', 'child'], catalog.worryForDirector, (number, child) => ({ number, child })),
  reportAlert: kind('case.alert', ['number', 'child', 'type', 'severity'], catalog.reportAlert, (card) => ({ number: card.number, child: card.child, type: card.type, severity: severityName(card) })),
  reportAlertForHotline: kind('case.alert.hotline', ['number', 'child', 'type', 'severity', 'village'], catalog.reportAlertForHotline, (card) => ({
    number: card.number,
    child: card.child,
    type: card.type,
    severity: severityName(card),
    village: card.village,
  })),
  guardianshipGapAlert: kind('case.guardianship_gap', ['number', 'child'], catalog.guardianshipGapAlert, (number, child) => ({ number, child })),
  caseOverdueForDirector: kind('case.overdue', ['number', 'child', 'type', 'severity', 'due'], catalog.caseOverdueForDirector, (number, child, type, severity, _state, due) => ({
    number,
    child,
    type,
    severity,
    due,
  })),
  caseOverdueForTownship: kind(
    'case.overdue.township',
    ['number', 'village', 'child', 'type', 'severity', 'due'],
    catalog.caseOverdueForTownship,
    (number, village, child, type, severity, _state, due) => ({ number, village, child, type, severity, due }),
  ),
  entrustRequestForDirector: kind('agreement.request', ['parent', 'child', 'guardian'], catalog.entrustRequestForDirector, (parent, child, guardian) => ({ parent, child, guardian })),
  entrustRequestApproved: kind('agreement.request_approved', ['child', 'guardian', 'until'], catalog.entrustRequestApproved, (child, guardian, until) => ({ child, guardian, until })),
  entrustRequestRefused: kind('agreement.request_refused', ['child', 'guardian'], catalog.entrustRequestRefused, (child, guardian) => ({ child, guardian })),
  agreementMissing: kind('agreement.missing', ['count'], catalog.agreementMissing, (_names, total) => ({ count: count(total) })),
  agreementExpiring: kind('agreement.expiring', ['child', 'guardian', 'until'], catalog.agreementExpiring, (child, guardian, until) => ({ child, guardian, until })),
  agreementEnded: kind('agreement.ended', ['child', 'guardian', 'until'], catalog.agreementEnded, (child, guardian, until) => ({ child, guardian, until })),
} as const;

/** Every message key with its template fields: what a template configuration may name. */
export const MESSAGE_KINDS: ReadonlyMap<string, readonly string[]> = new Map(Object.values(keyed).map((entry) => [entry.key, entry.fields]));
