import type { CheckInAnswer } from '../../domain/teacherCheckIn';
import type { Severity } from '../../store/database';
import { checkInsOfRound, latestRoundOf, type RoundCheckIn } from '../../store/teacherCheckIns';
import { catalog, CHECK_IN_STATUS_WORDS } from '../../texts/catalog';
import { fileReport } from '../../usecases/fileReport';
import type { BoundTurn, ChatCommand } from '../turn';
import { CHECK_IN_STATUS_LABELS } from '../../domain/labels';

/** Longer notes are cut: a check-in note is a line, not a case file. */
export const MAX_CHECK_IN_NOTE_LENGTH = 500;

/** One line of a teacher's reply, as written. */
export type CheckInReplyLine =
  | { kind: 'answer'; line: string; position: number; status: CheckInAnswer; note: string | null }
  /** The line does not start with a number. */
  | { kind: 'bad_number'; line: string }
  /** A number, but no 正常/关注/紧急 after it; `word` is what stood there. */
  | { kind: 'bad_status'; line: string; word: string };

const STATUS_WORDS = (Object.keys(CHECK_IN_STATUS_WORDS) as Array<keyof typeof CHECK_IN_STATUS_WORDS>).sort((a, b) => b.length - a.length);
/** `1 正常`, `1.正常`, `1、正常`, `1：正常`, `1) 正常` … */
const LEADING_NUMBER = /^(\d+)\s*[.．、,，:：)）]?\s*/;
const LEADING_SEPARATORS = /^[\s,，:：。.、;；\-—]+/;
const TRAILING_FULL_STOPS = /[。.]+$/;

const SEVERITY_OF: Record<Exclude<CheckInAnswer, 'normal'>, Severity> = { concern: 'normal', urgent: 'urgent' };
const SEVERITY_RANK: Record<Severity, number> = { normal: 0, high: 1, urgent: 2 };

/**
 * Splits a reply into lines (new lines or semicolons; full-width digits count) and reads each as
 * `<n> 正常|关注|紧急 [说明]`. Empty lines are skipped.
 */
export function parseCheckInReply(text: string): CheckInReplyLine[] {
  return text
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .split(/\r?\n|[;；]/)
    .map((line) => line.replace(/[\s\u3000]+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .map(parseLine);
}

function parseLine(line: string): CheckInReplyLine {
  const number = LEADING_NUMBER.exec(line);
  if (!number) return { kind: 'bad_number', line };
  const rest = line.slice(number[0].length);
  const word = STATUS_WORDS.find((candidate) => rest.startsWith(candidate));
  if (!word) return { kind: 'bad_status', line, word: (rest.split(/[\s,，:：。.;；]/)[0] ?? '').slice(0, 10) };
  const note = rest.slice(word.length).replace(LEADING_SEPARATORS, '').replace(TRAILING_FULL_STOPS, '').trim().slice(0, MAX_CHECK_IN_NOTE_LENGTH);
  return { kind: 'answer', line, position: Number(number[1]), status: CHECK_IN_STATUS_WORDS[word], note: note || null };
}

/**
 * A teacher's answer to the check-in list: lines such as `1 正常`, `2 关注 情绪低落`, `3 紧急 …`,
 * matched against the teacher's newest round (answered lines of it can be corrected). It has no
 * keyword: the router hands it a teacher's message that starts with a digit.
 *
 * 关注 files a normal-severity report and tells the village directors; 紧急 an urgent one, sent to
 * the directors, the township officers and the hotline at once even in quiet hours (both through
 * src/chat/reportFiling.ts). The family (the child's parents and care rooms) hears
 * the teacher's note for 正常 and 关注, never that a report was filed; for 紧急 it hears nothing
 * from the bot: the director decides how to approach the family (the danger may come from it).
 * Good lines are recorded even when others are wrong; the reply names each wrong line.
 */
export const teacherCheckInCommand: ChatCommand = {
  keywords: [],
  roles: ['teacher'],
  matches: (text, role) => role === 'teacher' && /^[0-9０-９]/.test(text),
  async handle(turn) {
    const bound = turn as BoundTurn;
    const round = await latestRoundOf(turn.tx, bound.sender.person.id);
    if (!round) return turn.reply(catalog.checkInNoRound);
    const checkIns = await checkInsOfRound(turn.tx, bound.sender.person.id, round);
    const byPosition = new Map(checkIns.map((checkIn) => [checkIn.position, checkIn]));

    const recorded: string[] = [];
    const hints: string[] = [];
    for (const line of parseCheckInReply(turn.message.text)) {
      if (line.kind === 'bad_number') {
        hints.push(catalog.checkInBadNumber(line.line));
        continue;
      }
      if (line.kind === 'bad_status') {
        hints.push(catalog.checkInUnknownStatus(line.line, line.word));
        continue;
      }
      const checkIn = byPosition.get(line.position);
      if (!checkIn) {
        hints.push(catalog.checkInUnknownNumber(line.line, line.position, checkIns.length));
        continue;
      }
      const updated = await recordAnswer(bound, checkIn, line);
      byPosition.set(updated.position, updated);
      const directorTold = updated.status !== 'normal' && updated.reportId !== null;
      recorded.push(catalog.checkInRecordedLine(updated.position, updated.child.name, CHECK_IN_STATUS_LABELS[updated.status], updated.note, directorTold));
    }

    const parts: string[] = [];
    if (recorded.length > 0) parts.push(catalog.checkInRecorded(recorded));
    if (hints.length > 0) parts.push(catalog.checkInBadLines(hints));
    if (recorded.length === 0) parts.push(catalog.checkInUsage);
    const pending = [...byPosition.values()].filter((checkIn) => checkIn.status === 'pending').sort((a, b) => a.position - b.position);
    if (recorded.length > 0 && pending.length > 0) parts.push(catalog.checkInStillPending(pending.map((checkIn) => ({ position: checkIn.position, child: checkIn.child.name }))));
    return turn.reply(parts.join('\n\n'));
  },
};

/** Records one line; files a report and tells whom it concerns when the answer is new or changed. */
async function recordAnswer(turn: BoundTurn, checkIn: RoundCheckIn, answer: Extract<CheckInReplyLine, { kind: 'answer' }>): Promise<RoundCheckIn> {
  const { tx, now, sender, settings } = turn;
  if (checkIn.status === answer.status && checkIn.note === answer.note) return checkIn; // the same line sent again

  let report = checkIn.reportId === null || !checkIn.report ? null : { id: checkIn.reportId, severity: checkIn.report.severity };
  const status = answer.status;
  if (status !== 'normal') {
    const severity = SEVERITY_OF[status];
    // a correction from 关注 to 紧急 escalates with an urgent report; otherwise one report per check-in
    if (!report || SEVERITY_RANK[report.severity] < SEVERITY_RANK[severity]) {
      const teacher = sender.person.name;
      const filed = await fileReport(
        tx,
        {
          child: checkIn.child,
          type: 'other',
          severity,
          description: catalog.checkInReportDescription(CHECK_IN_STATUS_LABELS[status], answer.note),
          source: 'teacher',
          reporter: sender.person,
        },
        {
          now,
          timeZone: settings.timeZone,
          deadlines: settings.caseDeadlines,
          inboxMessageId: turn.message.id,
          staffAlert: (number) =>
            status === 'urgent'
              ? catalog.checkInUrgentForDirector(number, teacher, checkIn.child.name, answer.note)
              : catalog.checkInConcernForDirector(number, teacher, checkIn.child.name, answer.note),
        },
      );
      report = { id: filed.id, severity };
    }
  }

  await tx.teacherCheckIn.update({
    where: { id: checkIn.id },
    data: { status: answer.status, note: answer.note, answeredAt: now, reportId: report?.id ?? null },
    select: { id: true },
  });

  // A 关注 note may be about the family itself (the guardian sits in the care room): parents get
  // only a general line, and the room only hears that all is well.
  if (answer.status !== 'urgent') {
    const text = catalog.checkInForFamily(sender.person.name, checkIn.child.name, answer.status, answer.note);
    const parents = await tx.childLink.findMany({ where: { childId: checkIn.child.id, kind: 'parent', endedAt: null }, select: { personId: true } });
    for (const parent of parents) await turn.notify(parent.personId, text);
    if (answer.status === 'normal') await turn.notifyCareRooms(checkIn.child.id, text);
  }

  return { ...checkIn, status: answer.status, note: answer.note, reportId: report?.id ?? null, report: report ? { severity: report.severity } : null };
}
