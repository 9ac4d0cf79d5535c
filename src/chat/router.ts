import { dialogOf } from '../store/messaging/chatDialogs';
import type { PersonRole } from '../store/db/database';
import { isCareRoom } from '../store/messaging/careRooms';
import { catalog } from '../texts/catalog';
import { answerFreeText } from './freeText';
import { assessmentCommand } from './commands/assessment';
import { bindCommand } from './commands/bind';
import { bindRoomCommand } from './commands/bindRoom';
import { casesCommand } from './commands/cases';
import { contactLoggedCommand } from './commands/contactLogged';
import { entrustCommand } from './commands/entrust';
import { parentWorkCommand } from './commands/parentWork';
import { notReturningCommand, returnHomeCommand } from './commands/returnHome';
import { helpCommand } from './commands/help';
import { holidayAnswerCommands } from './commands/holidayAnswer';
import { holidayListCommand } from './commands/holidayList';
import { inviteCommand } from './commands/invite';
import { recordUpdateCommand } from './commands/recordUpdate';
import { recentNotesCommand } from './commands/recentNotes';
import { reportCommand } from './commands/report';
import { teacherCheckInCommand } from './commands/teacherCheckIn';
import { undoCommand } from './commands/undo';
import { worryCommand } from './commands/worry';
import { correctionCommand, dataRequestsCommand, deletionCommand, myDataCommand, pausePromptsCommand, resumePromptsCommand, unsubscribeCommand } from './commands/privacy';
import type { BoundTurn, ChatCommand, ChatTurn } from './turn';

export const MAX_MESSAGE_LENGTH = 4000;

export const COMMANDS: readonly ChatCommand[] = [
  helpCommand,
  bindCommand,
  bindRoomCommand,
  contactLoggedCommand,
  recentNotesCommand,
  worryCommand,
  inviteCommand,
  teacherCheckInCommand,
  ...holidayAnswerCommands,
  holidayListCommand,
  assessmentCommand,
  recordUpdateCommand,
  entrustCommand,
  parentWorkCommand,
  returnHomeCommand,
  notReturningCommand,
  casesCommand,
  reportCommand,
  undoCommand,
  myDataCommand,
  pausePromptsCommand,
  unsubscribeCommand,
  resumePromptsCommand,
  correctionCommand,
  deletionCommand,
  dataRequestsCommand,
];

/** The dialogs a message may continue; the understanding step's memories are not among them. */
const DIALOG_KINDS = COMMANDS.flatMap((command) => (command.dialog ? [command.dialog.kind] : []));

const BY_LONGEST_KEYWORD = COMMANDS.flatMap((command) => command.keywords.map((keyword) => ({ keyword, command }))).sort(
  (a, b) => b.keyword.length - a.keyword.length,
);

/** Letters, digits or CJK: a message without any is only emoji or punctuation. */
const HAS_WORDS = /[\p{L}\p{N}]/u;

/** Finds the command a message starts with and runs it, or hands it to the understanding step. */
export async function routeMessage(turn: ChatTurn): Promise<void> {
  if (turn.message.kind !== 'message') return;
  const text = normalize(turn.message.text);
  // A person in the middle of a dialog (the guided 报告) talks to it, in private chat only.
  if (turn.sender?.mayHaveDialog && turn.message.roomExternalId === null) {
    const dialog = await dialogOf(turn.tx, turn.sender.person.id, turn.now, DIALOG_KINDS);
    const kind = dialog && ('open' in dialog ? dialog.open.kind : dialog.expired);
    const handler = COMMANDS.find((command) => command.dialog?.kind === kind)?.dialog;
    if (handler && dialog && 'open' in dialog) return handler.continue(turn as BoundTurn, dialog.open, text);
    // the dialog timed out: say so, then handle the message as if there had been none
    if (handler && dialog && 'expired' in dialog) await turn.reply(handler.expiredNotice);
  }
  // A voice note whose channel gives the recognised text (the 服务号 does) is read like typed text.
  const recognisedVoice = turn.message.attachment?.kind === 'audio' && HAS_WORDS.test(text);
  if (turn.message.attachment && !recognisedVoice) return answerAttachment(turn);
  const match = BY_LONGEST_KEYWORD.find(({ keyword }) => text.toLowerCase().startsWith(keyword));
  // Family chatter in a care room, not addressed to the bot: only commands get an answer. A room
  // message the channel could not check (the database was away) is read only if the room is a care room.
  if (turn.message.roomExternalId !== null && !turn.message.mentionsBot) {
    const room = { channel: turn.message.channel, botAccount: turn.message.botAccount, externalId: turn.message.roomExternalId };
    if (!match || !(await isCareRoom(turn.tx, room))) return;
  }
  if (text.length === 0) return turn.reply(catalog.hintEmpty);
  if (text.length > MAX_MESSAGE_LENGTH) return turn.reply(catalog.hintTooLong(MAX_MESSAGE_LENGTH));
  if (!HAS_WORDS.test(text)) return turn.reply(catalog.hintNoWords);

  const role = turn.sender?.person.role;
  const matched = match ?? matchByText(text, role);
  // Not a keyword: the understanding step reads it in the sender's own words.
  if (!matched) return role ? answerFreeText(turn as BoundTurn, text) : turn.reply(catalog.hintUnbound);
  const { command, keyword } = matched;
  if (command.roles !== 'anyone') {
    if (!role) return turn.reply(catalog.hintUnbound);
    if (!command.roles.includes(role)) return turn.reply(catalog.hintNotForRole(keyword, role));
  }
  return command.handle(turn, text.slice(keyword.length).trim());
}

/** A photo or voice note outside a dialog: a director learns how to attach it to a report. */
function answerAttachment(turn: ChatTurn): Promise<void> {
  if (turn.message.roomExternalId !== null) return Promise.resolve();
  const role = turn.sender?.person.role;
  if (!role) return turn.reply(catalog.hintUnbound);
  return turn.reply(role === 'director' ? catalog.attachmentOutsideReport : catalog.attachmentNotUnderstood);
}

/** A command without a keyword that takes the whole message (e.g. a teacher's `1 正常`). */
function matchByText(text: string, role: PersonRole | undefined): { keyword: string; command: ChatCommand } | undefined {
  const command = COMMANDS.find((candidate) => candidate.matches?.(text, role));
  return command ? { keyword: '', command } : undefined;
}

/** Full-width spaces and runs of blanks, as phone keyboards produce them, become single spaces. */
function normalize(text: string): string {
  return text.replace(/[\s\u3000]+/g, ' ').trim();
}
