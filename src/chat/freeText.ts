import { z } from 'zod';
import { localDate } from '../domain/schoolCalendar';
import { matchReportType, type ReportType } from '../domain/reportType';
import { returnHomePeriod, type ReturnAnswer } from '../domain/returnHome';
import { personActor } from '../store/audit/auditLog';
import { endDialog, memoryOf, saveDialog } from '../store/messaging/chatDialogs';
import { parentWorkOf, restoreParentWork } from '../store/registry/parentWork';
import { departmentStaffFor } from '../store/cases/referrals';
import { personWithArea } from '../store/registry/people';
import { restoreReturnHomeWish, returnHomeReferralId, returnHomeWishOf } from '../store/contact/returnHomeWishes';
import { MEMORY_TTL_MS, PENDING_KIND, rememberQuestion, UNDO_KIND } from './conversationMemory';
import type { PersonRole } from '../store/db/database';
import { casePrefixOf } from '../store/cases/reports';
import { checkInsOfRound, latestRoundOf } from '../store/contact/teacherCheckIns';
import { holidayAnsweredAt, holidayAnswersOfParent, setHolidayAnswer, vacationAskedAbout } from '../store/contact/schoolCalendars';
import { peopleOfArea } from '../store/cases/cases';
import { contactsRecordedAt, deleteContactsOf } from '../store/contact/contactWeeks';
import { catalog } from '../texts/catalog';
import { keyed } from '../texts/keyedMessages';
import { assessmentCommand } from './commands/assessment';
import { casesCommand } from './commands/cases';
import { contactLoggedCommand } from './commands/contactLogged';
import { entrustCommand } from './commands/entrust';
import { helpCommand } from './commands/help';
import { holidayAnswerCommands } from './commands/holidayAnswer';
import { holidayListCommand } from './commands/holidayList';
import { inviteCommand } from './commands/invite';
import { parentWorkCommand } from './commands/parentWork';
import { recentNotesCommand } from './commands/recentNotes';
import { replyToReturnAnswer } from './commands/returnHome';
import { startPrefilledReport } from './commands/report';
import { teacherCheckInCommand } from './commands/teacherCheckIn';
import { freeTextTexts as texts, LIKELY_COMMANDS } from './freeTextTexts';
import { fileReport } from '../usecases/fileReport';
import type { BoundTurn, ChatCommand } from './turn';
import type { RosterChild } from './understanding/children';
import { findChild } from './understanding/children';
import { isUrgent, type Role, type Understood } from './understanding/intents';
import { understand, type UnderstandingContext } from './understanding/understand';
import { childrenByIds, childrenLinkedTo, parentsOfChildren, villageChildren, type ChildToPick } from '../store/registry/linkedPeople';

/** A write understood less surely than this is asked back as a yes/no question first. */
export const CONFIRM_BELOW = 0.75;

const YES = /^(?:是|是的|对|对的|嗯|嗯嗯|好|好的|确认|没错|ok|OK|yes)[!！。.]*$/;
const NO = /^(?:不是|不对|不|否|错了|取消|no)[!！。.]*$/;

interface KnownChild extends RosterChild {
  id: number;
  areaId: number;
}

interface Surroundings {
  context: UnderstandingContext;
  children: KnownChild[];
}

const pendingSchema = z.object({
  understood: z.record(z.string(), z.unknown()),
  candidates: z.array(z.string()).optional(),
});
const keywordQuestionSchema = z.object({ keyword: z.string(), args: z.string(), candidates: z.array(z.string()) });
const undoSchema = z.union([
  z.object({ contactLogIds: z.array(z.number()), what: z.string() }),
  z.object({
    holidayPlan: z.object({ id: z.number(), answer: z.enum(['coming_home', 'taking_child', 'cannot']).nullable(), date: z.string().nullable(), answeredAt: z.string().nullable() }),
    undoneAnswer: z.enum(['coming_home', 'taking_child', 'cannot']),
    what: z.string(),
  }),
  z.object({
    parentWork: z.object({ place: z.string(), trade: z.string().nullable(), since: z.string(), updatedAt: z.string() }).nullable(),
    what: z.string(),
  }),
  z.object({
    returnHome: z.object({
      period: z.string(),
      before: z.object({ answeredAt: z.string().nullable(), intention: z.string().nullable(), needs: z.string().nullable(), consent: z.boolean().nullable() }).nullable(),
      referralId: z.number().nullable(),
    }),
    what: z.string(),
  }),
]);

const COMMAND_OF: Record<string, ChatCommand> = Object.fromEntries(
  [...holidayAnswerCommands, contactLoggedCommand, recentNotesCommand].map((command) => [command.keywords[0]!, command]),
);

/**
 * Answers a message that is no keyword command, from a bound sender: it answers the question the
 * bot just asked (a bare `1`, `第二个`, `是`), or is understood for the sender's role and acted on.
 * Danger is filed as an urgent report before anything else.
 */
export async function answerFreeText(turn: BoundTurn, text: string): Promise<void> {
  const role = turn.sender.person.role;
  if (role === 'officer' || role === 'hotline') return turn.reply(catalog.hintUnknown(role));
  const surroundings = await surroundingsOf(turn, role);
  const understood = understand(text, surroundings.context);
  if (!isUrgent(understood)) {
    // A sender without any dialog row has no question pending: one read fewer on most messages.
    const pending = turn.sender.mayHaveDialog ? await memoryOf(turn.tx, turn.sender.person.id, PENDING_KIND, turn.now) : null;
    if (pending) {
      await endDialog(turn.tx, turn.sender.person.id, PENDING_KIND);
      const answered = await answerPending(turn, pending.step, pending.data, text, understood, surroundings);
      if (answered) return;
    }
  }
  return act(turn, understood, surroundings, text);
}

async function surroundingsOf(turn: BoundTurn, role: Role): Promise<Surroundings> {
  const { tx, sender } = turn;
  const today = localDate(turn.now, turn.settings.timeZone);
  let rows: ChildToPick[] = [];
  let parents: UnderstandingContext['parents'];
  if (role === 'parent' || role === 'guardian') {
    rows = (await childrenLinkedTo(tx, sender.person.id, role)).sort((a, b) => a.birthDate.localeCompare(b.birthDate) || a.id - b.id);
    if (role === 'guardian') {
      const parentLinks = await parentsOfChildren(tx, rows.map((row) => row.id));
      parents = [...new Map(parentLinks.map((link) => [link.name, link.relation])).entries()].map(([name, relation]) => ({
        name,
        relation: /母|妈/.test(relation ?? '') ? 'mother' : 'father',
      }));
    }
  } else if (role === 'teacher') {
    const round = await latestRoundOf(tx, sender.person.id);
    const checkIns = round ? await checkInsOfRound(tx, sender.person.id, round) : [];
    const ids = checkIns.map((checkIn) => checkIn.child.id);
    const details = await childrenByIds(tx, ids);
    rows = ids.map((id) => details.find((detail) => detail.id === id)!).filter(Boolean);
  } else {
    rows = await villageChildren(tx, sender.person.areaId);
  }
  const children = rows.map((row) => ({ id: row.id, name: row.name, areaId: row.areaId, birthDate: row.birthDate, sex: row.gender === 'female' ? ('F' as const) : row.gender === 'male' ? ('M' as const) : null }));
  const casePrefix = role === 'director' ? await casePrefixOf(tx, sender.person.areaId) : undefined;
  // A parent answers about the vacation they were asked about: a bare 28号 is a day of it.
  const vacationStartsOn = role === 'parent' ? await vacationAskedAbout(tx, sender.person.id, today) : undefined;
  return { context: { role, today, children, parents, casePrefix, vacationStartsOn }, children };
}

/** The answer to the bot's last question, if the message is one; false lets it be read afresh. */
async function answerPending(turn: BoundTurn, step: string, data: unknown, text: string, understood: Understood, surroundings: Surroundings): Promise<boolean> {
  if (step === 'keyword') return answerKeywordQuestion(turn, data, text, understood, surroundings);
  const parsed = pendingSchema.safeParse(data);
  if (!parsed.success) return false;
  const earlier = parsed.data.understood as unknown as Understood;
  if (step === 'confirm') {
    if (YES.test(text)) return act(turn, { ...earlier, confidence: 1 }, surroundings, text).then(() => true);
    if (NO.test(text)) return turn.reply(texts.notRecorded).then(() => true);
    return false;
  }
  const candidates = parsed.data.candidates ?? [];
  const chosen = chosenChild(text, understood, candidates, surroundings);
  if (chosen === undefined) return false;
  if (chosen === null) {
    await remember(turn, 'child_choice', earlier, candidates);
    return turn.reply(texts.badChoice(candidates.length)).then(() => true);
  }
  await act(turn, { ...earlier, slots: { ...earlier.slots, child: chosen } } as Understood, surroundings, text);
  return true;
}

/** A keyword command's "which child" answered: the command runs again with that child. */
async function answerKeywordQuestion(turn: BoundTurn, data: unknown, text: string, understood: Understood, surroundings: Surroundings): Promise<boolean> {
  const parsed = keywordQuestionSchema.safeParse(data);
  const command = parsed.success ? COMMAND_OF[parsed.data.keyword] : undefined;
  if (!parsed.success || !command) return false;
  const chosen = chosenChild(text, understood, parsed.data.candidates, surroundings);
  if (chosen === undefined) return false;
  if (chosen === null) {
    await rememberQuestion(turn, 'keyword', parsed.data);
    return turn.reply(texts.badChoice(parsed.data.candidates.length)).then(() => true);
  }
  await command.handle(turn, `${chosen} ${parsed.data.args}`.trim());
  return true;
}

/** The candidate an answer picks; null for a number out of range, undefined when it is no answer at all. */
function chosenChild(text: string, understood: Understood, candidates: readonly string[], surroundings: Surroundings): string | null | undefined {
  const bare = text.trim();
  if (understood.intent === 'choice_reply') return candidates[understood.slots.choice - 1] ?? null;
  if (/^\d{1,2}$/.test(bare)) return candidates[Number(bare) - 1] ?? null;
  const named = findChild(text, surroundings.children.filter((child) => candidates.includes(child.name)), { family: true, ownChildren: true });
  return named && 'child' in named ? named.child : undefined;
}

function remember(turn: BoundTurn, step: 'child_choice' | 'confirm', understood: Understood, candidates?: readonly string[]): Promise<void> {
  return rememberQuestion(turn, step, { understood, ...(candidates ? { candidates: [...candidates] } : {}) });
}

/** Asks which child, with numbers, and remembers what the answer completes. */
async function askWhichChild(turn: BoundTurn, understood: Understood, names: readonly string[]): Promise<void> {
  await remember(turn, 'child_choice', understood, names);
  return turn.reply(texts.chooseChild(names));
}

/** The child a slot names, or the question which one (null: nobody to ask about). */
function childNeeded(understood: Understood, surroundings: Surroundings): { child: KnownChild } | { ask: string[] } | null {
  const name = 'child' in understood.slots ? (understood.slots.child as string | null) : null;
  const child = name ? surroundings.children.find((candidate) => candidate.name === name) : undefined;
  if (child) return { child };
  if (surroundings.children.length === 1 && surroundings.context.role !== 'director') return { child: surroundings.children[0]! };
  if (surroundings.children.length > 1 && surroundings.context.role !== 'director') return { ask: understood.ambiguousChildren ?? surroundings.children.map((candidate) => candidate.name) };
  return null;
}

async function act(turn: BoundTurn, understood: Understood, surroundings: Surroundings, text: string): Promise<void> {
  const role = turn.sender.person.role;
  if (isUrgent(understood) && understood.intent !== 'checkin') return fileUrgent(turn, understood, surroundings, text);
  switch (understood.intent) {
    case 'contact_logged':
    case 'contact_logged_confirm':
      return logContact(turn, understood, surroundings);
    case 'ask_news': {
      const need = childNeeded(understood, surroundings);
      if (need && 'ask' in need) return askWhichChild(turn, understood, need.ask);
      return recentNotesCommand.handle(turn, need ? need.child.name : '');
    }
    case 'holiday_home':
    case 'holiday_pickup':
    case 'holiday_cannot': {
      const keyword = ({ holiday_home: '回家', holiday_pickup: '接走', holiday_cannot: '不能' } as const)[understood.intent];
      const date = 'date' in understood.slots ? understood.slots.date : null;
      if (understood.intent !== 'holiday_cannot' && !date) return turn.reply(texts.askHolidayDate(keyword));
      return answerHoliday(turn, keyword, [understood.slots.child, date].filter(Boolean).join(' '));
    }
    case 'concern':
      return fileConcern(turn, understood, surroundings);
    case 'checkin':
      return checkIn(turn, understood, surroundings);
    case 'report': {
      const type = matchReportType(understood.slots.type)?.type ?? 'other';
      const child = surroundings.children.find((candidate) => candidate.name === understood.slots.child) ?? null;
      return startPrefilledReport(turn, { child, type, description: understood.slots.summary, severity: 'normal' });
    }
    case 'case_query':
      return casesCommand.handle(turn, understood.slots.case ?? '');
    case 'case_step': {
      if (!understood.slots.case || !understood.slots.action) return turn.reply(texts.caseNumberNeeded);
      const word = { verify: '核实', refer: '转介', assist: '帮扶', close: '结案', dismiss: '驳回', reopen: '重开' }[understood.slots.action];
      return casesCommand.handle(turn, [understood.slots.case, word, understood.slots.department, text].filter(Boolean).join(' '));
    }
    case 'assessment': {
      const level = understood.slots.level && { low: '低', medium: '中', high: '高' }[understood.slots.level];
      if (!understood.slots.child || !level) return turn.reply(hint(role));
      return assessmentCommand.handle(turn, `${understood.slots.child} ${level}`);
    }
    case 'invite': {
      const { role: invited, name, child } = understood.slots;
      if (!invited || !name || !child) return turn.reply(hint(role));
      return inviteCommand.handle(turn, `${{ parent: '家长', guardian: '监护人', teacher: '教师' }[invited]} ${name} ${child}`);
    }
    case 'record_update':
      return turn.reply(texts.recordUpdateHint(understood.slots.child));
    case 'holiday_list':
      return holidayListCommand.handle(turn, '');
    case 'entrust_request': {
      const { child, guardian, relation } = understood.slots;
      if (!guardian) return turn.reply(texts.entrustHint);
      return entrustCommand.handle(turn, [child, guardian, relation].filter(Boolean).join(' '));
    }
    case 'parent_work':
      return recordWork(turn, [understood.slots.place, understood.slots.trade].filter(Boolean).join(' '));
    case 'return_home_wish':
      return answerReturnHome(turn, understood.slots);
    case 'stop_prompts':
      return turn.reply(texts.stopPrompts);
    case 'my_data':
      return turn.reply(texts.myData);
    case 'greeting':
      return turn.reply(texts.greeting(turn.sender.person.name));
    case 'thanks':
      return turn.reply(texts.thanks);
    case 'help':
      return helpCommand.handle(turn, '');
    case 'choice_reply':
      return turn.reply(texts.nothingPending);
    default:
      return turn.reply(hint(role));
  }
}

function hint(role: PersonRole): string {
  return texts.notUnderstood(role, LIKELY_COMMANDS[role]);
}

/** Runs a command and keeps what it says, so the caller can add to it. */
async function quietly(turn: BoundTurn, run: (quiet: BoundTurn) => Promise<void>): Promise<string[]> {
  const said: string[] = [];
  await run({ ...turn, reply: async (line) => void said.push(line) });
  return said;
}

/** A parent's contact (or a guardian's confirmation of one), recorded through 已联系 and said back with an undo. */
async function logContact(turn: BoundTurn, understood: Understood & { intent: 'contact_logged' | 'contact_logged_confirm' }, surroundings: Surroundings): Promise<void> {
  const { tx, sender, now } = turn;
  const method = understood.intent === 'contact_logged' ? ({ video: '视频', visit: '见面' } as Record<string, string>)[understood.slots.mode ?? ''] ?? '电话' : '电话';
  const minutes = understood.intent === 'contact_logged' ? understood.slots.minutes : null;
  let who: string[];
  if (understood.intent === 'contact_logged') {
    const need = childNeeded(understood, surroundings);
    if (!need) return turn.reply(catalog.noChildren);
    if ('ask' in need) return askWhichChild(turn, understood, need.ask);
    if (understood.confidence < CONFIRM_BELOW) {
      await remember(turn, 'confirm', { ...understood, slots: { ...understood.slots, child: need.child.name } });
      return turn.reply(texts.confirmContact(need.child.name, method, minutes));
    }
    who = [need.child.name];
  } else {
    const parents = surroundings.context.parents ?? [];
    who = understood.slots.parent ? [understood.slots.parent] : parents.map((parent) => parent.name);
    if (who.length === 0) return turn.reply(catalog.guardianContactUsage);
  }
  const said: string[] = [];
  for (const name of who) said.push(...(await quietly(turn, (quiet) => contactLoggedCommand.handle(quiet, [name, method, minutes].filter((part) => part !== null).join(' ')))));
  const logs = await contactsRecordedAt(tx, sender.person.id, now);
  if (logs.length > 0) {
    const what = texts.undoneContact([...new Set(logs.map((log) => log.childName))].join('、'));
    await saveDialog(tx, sender.person.id, { kind: UNDO_KIND, step: 'contact', data: { contactLogIds: logs.map((log) => log.id), what }, expiresAt: new Date(now.getTime() + MEMORY_TTL_MS) });
    said.push(texts.undoHint);
  }
  return turn.reply(said.join('\n'));
}

/** 撤销: removes the contact the bot last recorded from the sender's free text. */
export async function undoLastFreeTextRecord(turn: BoundTurn): Promise<void> {
  const memory = await memoryOf(turn.tx, turn.sender.person.id, UNDO_KIND, turn.now);
  const parsed = undoSchema.safeParse(memory?.data);
  if (!parsed.success) return turn.reply(texts.nothingToUndo);
  const { tx, sender } = turn;
  const actor = personActor(sender.person.id);
  if ('contactLogIds' in parsed.data) {
    await deleteContactsOf(tx, sender.person.id, parsed.data.contactLogIds);
  } else if ('parentWork' in parsed.data) {
    const before = parsed.data.parentWork;
    await restoreParentWork(tx, { personId: sender.person.id, before: before && { ...before, since: new Date(before.since), updatedAt: new Date(before.updatedAt) }, now: turn.now, actor });
  } else if ('returnHome' in parsed.data) {
    const { period, before, referralId } = parsed.data.returnHome;
    const restored = await restoreReturnHomeWish(tx, { personId: sender.person.id, period, before: before && { ...before, answeredAt: before.answeredAt ? new Date(before.answeredAt) : null }, referralId, now: turn.now, actor });
    if (!restored) {
      await endDialog(tx, sender.person.id, UNDO_KIND);
      return turn.reply(texts.returnHomeAlreadyAccepted);
    }
    // 人社's staff were told of a referral that is now withdrawn.
    if (referralId !== null) {
      const { area } = await personWithArea(tx, sender.person.id);
      for (const staff of await departmentStaffFor(tx, 'human_resources', area.path)) await turn.notify(staff, texts.returnHomeReferralWithdrawn(sender.person.name, area.name));
    }
  } else {
    const { id, answer, date, answeredAt } = parsed.data.holidayPlan;
    const plan = await setHolidayAnswer(tx, { id, parentId: sender.person.id }, { answer, date, answeredAt: answeredAt ? new Date(answeredAt) : null });
    // the director heard of a 不能 that is now taken back
    if (parsed.data.undoneAnswer === 'cannot' && answer !== 'cannot') {
      for (const director of await peopleOfArea(tx, plan.villageId, 'director')) await turn.notify(director, texts.holidayCannotWithdrawn(sender.person.name, plan.childName));
    }
  }
  await endDialog(tx, sender.person.id, UNDO_KIND);
  return turn.reply(texts.undone(parsed.data.what));
}

/** Keeps what 撤销 puts back, for 30 minutes, and says the undo hint after the record. */
async function offerUndo(turn: BoundTurn, step: string, data: Record<string, unknown>, said: string[]): Promise<void> {
  await saveDialog(turn.tx, turn.sender.person.id, { kind: UNDO_KIND, step, data: JSON.parse(JSON.stringify(data)), expiresAt: new Date(turn.now.getTime() + MEMORY_TTL_MS) });
  said.push(texts.undoHint);
}

/** Where a parent works, in free text, through 务工, said back with an undo. */
async function recordWork(turn: BoundTurn, args: string): Promise<void> {
  const { tx, sender, now } = turn;
  const before = await parentWorkOf(tx, sender.person.id);
  const said = await quietly(turn, (quiet) => parentWorkCommand.handle(quiet, args));
  const after = await parentWorkOf(tx, sender.person.id);
  if (after && after.updatedAt.getTime() === now.getTime()) {
    const parentWork = before && { place: before.place, trade: before.trade, since: before.since.toISOString(), updatedAt: before.updatedAt.toISOString() };
    await offerUndo(turn, 'parent_work', { parentWork, what: texts.undoneWork(after.place) }, said);
  }
  return turn.reply(said.join('\n'));
}

/** A return-home answer in free text, said back with an undo (which withdraws a referral it made, until 人社 accepts it). */
async function answerReturnHome(turn: BoundTurn, answer: ReturnAnswer): Promise<void> {
  const { tx, sender, now, settings } = turn;
  const period = returnHomePeriod(now, settings.timeZone);
  const before = await returnHomeWishOf(tx, sender.person.id, period);
  const referralBefore = await returnHomeReferralId(tx, sender.person.id, period);
  const said = await quietly(turn, (quiet) => replyToReturnAnswer(quiet, answer));
  const after = await returnHomeWishOf(tx, sender.person.id, period);
  if (after?.answeredAt?.getTime() === now.getTime()) {
    const referralId = referralBefore === null ? await returnHomeReferralId(tx, sender.person.id, period) : null;
    const returnHome = { period, before: before && { ...before, answeredAt: before.answeredAt?.toISOString() ?? null }, referralId };
    await offerUndo(turn, 'return_home', { returnHome, what: texts.undoneReturnHome }, said);
  }
  return turn.reply(said.join('\n'));
}

/** A holiday answer in free text, through 回家 / 接走 / 不能, said back with an undo. */
async function answerHoliday(turn: BoundTurn, keyword: '回家' | '接走' | '不能', args: string): Promise<void> {
  const { tx, sender, now } = turn;
  const before = await holidayAnswersOfParent(tx, sender.person.id);
  const said = await quietly(turn, (quiet) => COMMAND_OF[keyword]!.handle(quiet, args));
  const answered = await holidayAnsweredAt(tx, sender.person.id, now);
  const earlier = answered && before.find((plan) => plan.id === answered.id);
  if (answered?.answer && earlier) {
    const holidayPlan = { id: earlier.id, answer: earlier.answer, date: earlier.date, answeredAt: earlier.answeredAt?.toISOString() ?? null };
    const data = { holidayPlan, undoneAnswer: answered.answer, what: texts.undoneHoliday(answered.child.name) };
    await saveDialog(tx, sender.person.id, { kind: UNDO_KIND, step: 'holiday', data, expiresAt: new Date(now.getTime() + MEMORY_TTL_MS) });
    said.push(texts.undoHint);
  }
  return turn.reply(said.join('\n'));
}

const DANGER_TYPES: Record<string, ReportType> = {
  性侵害或怀孕: 'sexual_abuse_or_pregnancy',
  虐待或伤害: 'abuse_or_injury',
  自伤或非正常死亡: 'self_harm_or_unnatural_death',
  遗弃: 'abandonment',
  失踪或被拐: 'missing_or_trafficked',
  组织乞讨: 'organized_begging',
};

/**
 * Danger from any role: an urgent suspected report through the one filing path (directors,
 * township and hotline alerted at once, quiet hours or not), and what to do now for the writer.
 * Which child is never asked first: with several possible, the report names the sender's children.
 */
async function fileUrgent(turn: BoundTurn, understood: Understood, surroundings: Surroundings, text: string): Promise<void> {
  const { sender } = turn;
  const named = 'child' in understood.slots ? (understood.slots.child as string | null) : null;
  const child = surroundings.children.find((candidate) => candidate.name === named) ?? (surroundings.children.length === 1 && sender.person.role !== 'director' ? surroundings.children[0]! : null);
  const reportType = understood.intent === 'report' ? (DANGER_TYPES[understood.slots.type] ?? matchReportType(understood.slots.type)?.type ?? 'other') : dangerTypeOf(text);
  const others = child || sender.person.role === 'director' ? [] : surroundings.children.map((candidate) => candidate.name);
  const description = others.length > 0 ? `${text}\n${texts.sendersChildren(others)}` : text;
  const report = await fileReport(
    turn.tx,
    {
      child: child ? { id: child.id, name: child.name, areaId: child.areaId } : { id: null, name: texts.unnamedChild, areaId: surroundings.children[0]?.areaId ?? sender.person.areaId },
      type: reportType,
      severity: 'urgent',
      suspected: true,
      description,
      source: sender.person.role as 'parent' | 'guardian' | 'teacher' | 'director',
      reporter: sender.person,
    },
    { now: turn.now, timeZone: turn.settings.timeZone, deadlines: turn.settings.caseDeadlines, inboxMessageId: turn.message.id },
  );
  return turn.reply(texts.urgentFiled(report.number, sender.person.role === 'director'));
}

function dangerTypeOf(text: string): ReportType {
  const understood = understand(text, { role: 'director', today: '2000-01-01', children: [] });
  return understood.intent === 'report' ? (DANGER_TYPES[understood.slots.type] ?? 'other') : 'other';
}

/** A worry from a parent, guardian or teacher: a normal report the village director hears of. */
async function fileConcern(turn: BoundTurn, understood: Understood & { intent: 'concern' | 'urgent_danger' }, surroundings: Surroundings): Promise<void> {
  const { sender } = turn;
  // the worry as first written, also when it is filed on a later 是
  const text = understood.slots.summary;
  const need = childNeeded(understood, surroundings);
  if (need && 'ask' in need) return askWhichChild(turn, understood, need.ask);
  if (!need) return turn.reply(texts.nameTheChild);
  if (understood.confidence < CONFIRM_BELOW) {
    await remember(turn, 'confirm', { ...understood, slots: { ...understood.slots, child: need.child.name } });
    return turn.reply(texts.confirmConcern(need.child.name));
  }
  const who = texts.whoSaid[sender.person.role] ?? '';
  const report = await fileReport(
    turn.tx,
    { child: { id: need.child.id, name: need.child.name, areaId: need.child.areaId }, type: 'other', severity: 'normal', description: text, source: sender.person.role as 'parent' | 'guardian' | 'teacher', reporter: sender.person },
    {
      now: turn.now,
      timeZone: turn.settings.timeZone,
      deadlines: turn.settings.caseDeadlines,
      inboxMessageId: turn.message.id,
      staffAlert: (number) => keyed.concernForDirector(number, need.child.name, who, text),
    },
  );
  return turn.reply(texts.concernFiled(report.number));
}

/** A teacher's check-in in their own words, handed to the check-in command as `<n> <状态> [说明]` lines. */
function checkIn(turn: BoundTurn, understood: Understood & { intent: 'checkin' }, surroundings: Surroundings): Promise<void> {
  const word = { normal: '正常', attention: '关注', urgent: '紧急' } as const;
  const lines = understood.slots.items.flatMap((item) => {
    const positions = item.n === null ? surroundings.children.map((_, index) => index + 1) : [item.n];
    return positions.map((n) => [n, word[item.status], item.note].filter(Boolean).join(' '));
  });
  return teacherCheckInCommand.handle({ ...turn, message: { ...turn.message, text: lines.join('\n') } }, '');
}
