/**
 * The kinds of prompt and alert a platform without free text (the 服务号 outside its 48-hour window)
 * sends as a template: each kind's key and the fields it fills in. The configuration checks its
 * template mappings against this table; src/texts/keyedMessages.ts renders each kind.
 */
export const MESSAGE_KIND_FIELDS = {
  'contact.reminder': ['parent', 'child'],
  'contact.reminder.room': ['parent', 'child'],
  'contact.last_call': ['parent', 'child'],
  'contact.last_call.room': ['parent', 'child'],
  'contact.logged.room': ['parent', 'child', 'method'],
  'contact.missed.guardian': ['parent', 'child', 'weeks'],
  'contact.missed.director': ['parent', 'child', 'weeks', 'period'],
  'contact.gap.alert': ['number', 'parent', 'child', 'weeks'],
  'checkin.prompt': ['teacher', 'count'],
  'checkin.reminder': ['teacher', 'count'],
  'checkin.family': ['teacher', 'child', 'status'],
  'checkin.concern.alert': ['number', 'teacher', 'child'],
  'checkin.urgent.alert': ['number', 'teacher', 'child'],
  'assessment.round_start': ['round', 'count'],
  'assessment.round_reminder': ['round', 'count'],
  'assessment.round_overdue': ['round', 'count'],
  'record.update_start': ['quarter', 'count'],
  'record.stale': ['quarter', 'count'],
  'holiday.prompt': ['child', 'vacation', 'startsOn', 'endsOn'],
  'holiday.cannot.director': ['parent', 'child', 'vacation', 'period'],
  'case.worry': ['number', 'child'],
  'case.concern': ['number', 'child'],
  'case.alert': ['number', 'child', 'type', 'severity'],
  'case.alert.hotline': ['number', 'child', 'type', 'severity', 'village'],
  'case.guardianship_gap': ['number', 'child'],
  'case.overdue': ['number', 'child', 'type', 'severity', 'due'],
  'case.overdue.township': ['number', 'village', 'child', 'type', 'severity', 'due'],
  'agreement.request': ['parent', 'child', 'guardian'],
  'agreement.request_approved': ['child', 'guardian', 'until'],
  'agreement.request_refused': ['child', 'guardian'],
  'agreement.missing': ['count'],
  'agreement.expiring': ['child', 'guardian', 'until'],
  'agreement.ended': ['child', 'guardian', 'until'],
  'summary.weekly': ['area', 'week', 'kept', 'missed', 'reports', 'open', 'overdue'],
  'referral.sent': ['number', 'village', 'department', 'due'],
  'referral.accepted': ['department', 'number'],
  'referral.progress': ['department', 'number'],
  'referral.answered': ['department', 'number'],
  'referral.returned': ['department', 'number'],
  'referral.overdue': ['number', 'department', 'due'],
  'referral.overdue.township': ['number', 'village', 'department', 'due'],
  'work.return_question': ['parent'],
  'work.return_referral': ['parent', 'village', 'intention', 'needs', 'due'],
  'work.return_referral.reply': ['state'],
  'work.return_referral.overdue': ['parent', 'village', 'due'],
  'work.return_referral.overdue.township': ['parent', 'village', 'due'],
  'report.quarterly': ['area', 'quarter', 'atStart', 'atEnd'],
} as const satisfies Record<string, readonly string[]>;

export type MessageKey = keyof typeof MESSAGE_KIND_FIELDS;
export type MessageField<K extends MessageKey> = (typeof MESSAGE_KIND_FIELDS)[K][number];

/** Each kind's key and its template fields. */
export const MESSAGE_KINDS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(MESSAGE_KIND_FIELDS));
