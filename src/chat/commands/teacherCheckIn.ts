import type { CheckInAnswer } from '../../domain/teacherCheckIn';
import { CHECK_IN_STATUS_LABELS } from '../../domain/labels';
import { checkInsOfRound, latestRoundOf } from '../../store/contact/teacherCheckIns';
import { catalog, CHECK_IN_STATUS_WORDS } from '../../texts/catalog';
import { recordCheckIn } from '../../usecases/recordCheckIn';
import type { BoundTurn, ChatCommand } from '../turn';

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
/** Where a number with a status word follows other text on the same line: the next item begins. */
const NEXT_ITEM = /(?<=\D)\s*(?=\d+\s*[.．、:：)）]?\s*(?:需关注|正常|关注|紧急))/g;

/**
 * Splits a reply into lines (new lines or semicolons; full-width digits count) and reads each as
 * `<n> 正常|关注|紧急 [说明]`. Empty lines are skipped. Items typed one after another on one line
 * (`1正常2正常3紧急 说有人摸她`, as phones are typed) are split too: otherwise a 紧急 would be
 * read as the note of a 正常.
 */
export function parseCheckInReply(text: string): CheckInReplyLine[] {
  return text
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(NEXT_ITEM, '\n')
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
 * src/usecases/recordCheckIn.ts and fileReport.ts). The family (the child's parents and care rooms) hears
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
      const updated = await recordCheckIn(
        turn.tx,
        bound.sender.person,
        checkIn,
        { status: line.status, note: line.note, inboxMessageId: turn.message.id },
        { now: turn.now, timeZone: turn.settings.timeZone, caseDeadlines: turn.settings.caseDeadlines },
      );
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
