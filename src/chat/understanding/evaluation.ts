import type { RosterChild } from './children';
import { isUrgent, type Role, type Understanding } from './intents';
import { understand } from './understand';

/** One labelled line of the corpus (tests/corpus/understanding). */
export interface LabelledMessage {
  role: Role;
  text: string;
  intent: string;
  slots: Record<string, unknown>;
  today: string;
  children: RosterChild[];
  parents?: Array<{ name: string; relation: 'father' | 'mother' }>;
}

export interface Floors {
  intentAccuracy: number;
  urgentRecall: number;
  falseUrgent: number;
  child: number;
  date: number;
}

/** The floors of issue 13 on the test part. */
export const FLOORS: Floors = { intentAccuracy: 0.95, urgentRecall: 0.99, falseUrgent: 0.03, child: 0.95, date: 0.95 };

export interface Evaluation {
  lines: number;
  intentAccuracy: number;
  perIntent: Array<{ role: Role; intent: string; precision: number; recall: number; support: number }>;
  urgentRecall: number;
  urgentSupport: number;
  falseUrgent: number;
  slots: Record<'child' | 'date' | 'minutes', { accuracy: number; support: number }>;
  misses: Array<{ text: string; expected: string; got: string; field: string }>;
  failures: string[];
}

const ratio = (hit: number, all: number): number => (all === 0 ? 1 : hit / all);

/** Understands every line and scores it against its labels. */
export function evaluate(messages: readonly LabelledMessage[], floors: Floors = FLOORS): Evaluation {
  const counts = new Map<string, { tp: number; fp: number; fn: number; role: Role; intent: string }>();
  const bump = (role: Role, intent: string, field: 'tp' | 'fp' | 'fn') => {
    const key = `${role}:${intent}`;
    const entry = counts.get(key) ?? { tp: 0, fp: 0, fn: 0, role, intent };
    entry[field] += 1;
    counts.set(key, entry);
  };
  let correct = 0;
  let urgentHit = 0;
  let urgentAll = 0;
  let falseAlarm = 0;
  let calm = 0;
  const slot = { child: [0, 0], date: [0, 0], minutes: [0, 0] } as Record<'child' | 'date' | 'minutes', [number, number]>;
  const misses: Evaluation['misses'] = [];
  for (const message of messages) {
    const got = understand(message.text, { role: message.role, today: message.today, children: message.children, parents: message.parents });
    if (got.intent === message.intent) {
      correct += 1;
      bump(message.role, message.intent, 'tp');
    } else {
      bump(message.role, message.intent, 'fn');
      bump(message.role, got.intent, 'fp');
      misses.push({ text: message.text, expected: message.intent, got: got.intent, field: 'intent' });
    }
    const expectedUrgent = isUrgent({ intent: message.intent, slots: message.slots } as Understanding);
    const gotUrgent = isUrgent(got);
    if (expectedUrgent) {
      urgentAll += 1;
      if (gotUrgent) urgentHit += 1;
    } else {
      calm += 1;
      if (gotUrgent) falseAlarm += 1;
    }
    const gotSlots = got.slots as Record<string, unknown>;
    for (const name of ['child', 'date', 'minutes'] as const) {
      if (!(name in message.slots)) continue;
      slot[name][1] += 1;
      const value = got.intent === message.intent ? gotSlots[name] ?? null : null;
      if (value === message.slots[name]) slot[name][0] += 1;
      else misses.push({ text: message.text, expected: String(message.slots[name]), got: String(value), field: name });
    }
  }
  const result: Evaluation = {
    lines: messages.length,
    intentAccuracy: ratio(correct, messages.length),
    perIntent: [...counts.values()]
      .map(({ role, intent, tp, fp, fn }) => ({ role, intent, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), support: tp + fn }))
      .filter((entry) => entry.support > 0 || entry.precision < 1)
      .sort((a, b) => a.role.localeCompare(b.role) || a.intent.localeCompare(b.intent)),
    urgentRecall: ratio(urgentHit, urgentAll),
    urgentSupport: urgentAll,
    falseUrgent: calm === 0 ? 0 : falseAlarm / calm,
    slots: {
      child: { accuracy: ratio(...slot.child), support: slot.child[1] },
      date: { accuracy: ratio(...slot.date), support: slot.date[1] },
      minutes: { accuracy: ratio(...slot.minutes), support: slot.minutes[1] },
    },
    misses,
    failures: [],
  };
  if (result.intentAccuracy < floors.intentAccuracy) result.failures.push(`intent accuracy ${pct(result.intentAccuracy)} < ${pct(floors.intentAccuracy)}`);
  if (result.urgentRecall < floors.urgentRecall) result.failures.push(`urgent recall ${pct(result.urgentRecall)} (${urgentHit} of ${urgentAll}) < ${pct(floors.urgentRecall)}`);
  if (result.falseUrgent > floors.falseUrgent) result.failures.push(`false-urgent ${pct(result.falseUrgent)} > ${pct(floors.falseUrgent)}`);
  if (result.slots.child.accuracy < floors.child) result.failures.push(`child slot ${pct(result.slots.child.accuracy)} < ${pct(floors.child)}`);
  if (result.slots.date.accuracy < floors.date) result.failures.push(`date slot ${pct(result.slots.date.accuracy)} < ${pct(floors.date)}`);
  return result;
}

export function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
