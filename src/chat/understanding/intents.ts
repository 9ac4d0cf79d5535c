import type { ReturnAnswer } from '../../domain/returnHome';
import type { Day } from './dates';

export type Role = 'parent' | 'guardian' | 'teacher' | 'director';

/** The intents of each role (issue 13); the CLI and the corpus use these names. */
export const INTENTS = {
  parent: ['contact_logged', 'ask_news', 'holiday_home', 'holiday_pickup', 'holiday_cannot', 'entrust_request', 'concern', 'urgent_danger', 'choice_reply', 'greeting', 'thanks', 'help', 'stop_prompts', 'my_data', 'parent_work', 'return_home_wish', 'other'],
  guardian: ['contact_logged_confirm', 'concern', 'urgent_danger', 'greeting', 'thanks', 'help', 'other'],
  teacher: ['checkin', 'concern', 'urgent_danger', 'help', 'thanks', 'other'],
  director: ['report', 'case_query', 'case_step', 'invite', 'assessment', 'record_update', 'holiday_list', 'help', 'thanks', 'other'],
} as const satisfies Record<Role, readonly string[]>;

export type ContactMode = 'video' | 'phone' | 'visit' | 'voice' | 'text';
export type CheckInStatus = 'normal' | 'attention' | 'urgent';

/** One line of a teacher's answer; `n` and `child` null together mean "all of them". */
export interface CheckInItem {
  n: number | null;
  child: string | null;
  status: CheckInStatus;
  note: string | null;
}

export type Understanding =
  | { intent: 'contact_logged'; slots: { child: string | null; mode: ContactMode | null; minutes: number | null } }
  | { intent: 'ask_news' | 'holiday_cannot'; slots: { child: string | null } }
  | { intent: 'holiday_home' | 'holiday_pickup'; slots: { child: string | null; date: Day | null } }
  | { intent: 'entrust_request'; slots: { child: string | null; guardian: string | null; relation: string | null } }
  | { intent: 'concern' | 'urgent_danger'; slots: { child: string | null; summary: string } }
  | { intent: 'choice_reply'; slots: { choice: number } }
  | { intent: 'parent_work'; slots: { place: string; trade: string | null } }
  | { intent: 'return_home_wish'; slots: ReturnAnswer }
  | { intent: 'contact_logged_confirm'; slots: { parent: string | null; child: string | null } }
  | { intent: 'checkin'; slots: { items: CheckInItem[] } }
  | { intent: 'report'; slots: { child: string | null; type: string; summary: string; urgent: boolean } }
  | { intent: 'case_query'; slots: { case: string | null; child: string | null } }
  | { intent: 'case_step'; slots: { case: string | null; child: string | null; action: CaseAction | null; department: string | null } }
  | { intent: 'invite'; slots: { role: 'parent' | 'guardian' | 'teacher' | null; name: string | null; child: string | null } }
  | { intent: 'assessment'; slots: { child: string | null; level: 'low' | 'medium' | 'high' | null } }
  | { intent: 'record_update'; slots: { child: string | null; field: RecordField | null; value: string | null } }
  | { intent: 'greeting' | 'thanks' | 'help' | 'stop_prompts' | 'my_data' | 'holiday_list' | 'other'; slots: Record<string, never> };

export type CaseAction = 'verify' | 'refer' | 'assist' | 'close' | 'dismiss' | 'reopen';
export type RecordField = 'school' | 'grade' | 'health' | 'family' | 'guardian';

export type Understood = Understanding & {
  /** 0–1: how sure the rules are; below the chat's threshold a write is asked back first. */
  confidence: number;
  /** Several children fit equally well: the chat asks which, with numbers. */
  ambiguousChildren?: string[];
};

/** Whether an understanding signals danger to a child (an urgent report must be filed). */
export function isUrgent(understood: Understanding): boolean {
  if (understood.intent === 'urgent_danger') return true;
  if (understood.intent === 'report') return understood.slots.urgent;
  if (understood.intent === 'checkin') return understood.slots.items.some((item) => item.status === 'urgent');
  return false;
}
