import { z } from 'zod';
import { catalog, CONTACT_METHOD_WORDS } from '../../texts/catalog';
import { childrenOf, pickChild } from '../childChoice';
import { rememberChildQuestion } from '../conversationMemory';
import { parseMinutes } from '../understanding/numbers';
import type { BoundTurn, ChatCommand } from '../turn';
import { CONTACT_METHOD_LABELS } from '../../domain/labels';
import { confirmContact, logContact } from '../../usecases/logContact';

const KEYWORD = '已联系';

const contactArgs = z.object({
  /** A child's name or its number in a numbered choice; a guardian names the parent instead. */
  who: z.string().min(1).max(30).optional(),
  method: z.enum(['video', 'phone', 'visit']).default('phone'),
  minutes: z.coerce.number().int().min(1).max(600).optional(),
});
type ContactArgs = z.infer<typeof contactArgs>;

/**
 * `[孩子] [视频/电话/见面] [分钟]` in any order: the method word and a number of minutes are
 * recognisable, the minutes also as people say them (十来分钟, 半个小时, 一个半小时).
 */
function parseContactArgs(args: string): ContactArgs | null {
  const fields: Record<string, string> = {};
  for (const token of args.split(' ').filter(Boolean)) {
    const method = CONTACT_METHOD_WORDS[token as keyof typeof CONTACT_METHOD_WORDS];
    const minutes = /^(\d{1,3})(分钟|分)?$/.exec(token);
    const spoken = minutes ? null : parseMinutes(token);
    if (method && !fields.method) fields.method = method;
    else if (minutes && (fields.method || minutes[2]) && !fields.minutes) fields.minutes = minutes[1]!;
    else if (spoken !== null && !fields.minutes) fields.minutes = String(spoken);
    else if (!fields.who) fields.who = token;
    else return null;
  }
  const parsed = contactArgs.safeParse(fields);
  return parsed.success ? parsed.data : null;
}

/** 已联系: a parent logs this week's contact with a child; a guardian confirms a parent's. */
export const contactLoggedCommand: ChatCommand = {
  keywords: [KEYWORD],
  roles: ['parent', 'guardian'],
  async handle(turn, args) {
    const bound = turn as BoundTurn;
    const parsed = parseContactArgs(args);
    if (!parsed) return turn.reply(bound.sender.person.role === 'guardian' ? catalog.guardianContactUsage : catalog.contactUsage);
    return bound.sender.person.role === 'guardian' ? confirmAsGuardian(bound, parsed) : logAsParent(bound, parsed);
  },
};

async function logAsParent(turn: BoundTurn, args: ContactArgs): Promise<void> {
  const pick = pickChild(await childrenOf(turn.tx, turn.sender.person.id, 'parent'), args.who, KEYWORD);
  if ('reply' in pick) {
    const rest = [CONTACT_METHOD_LABELS[args.method], args.minutes].filter(Boolean).join(' ');
    if (pick.choices) await rememberChildQuestion(turn, KEYWORD, rest, pick.choices);
    return turn.reply(pick.reply);
  }
  const { weekCount } = await logContact(turn.tx, turn.sender.person, pick.child, { method: args.method, minutes: args.minutes, inboxMessageId: turn.message.id }, clockOf(turn));
  return turn.reply(catalog.contactLogged(pick.child.name, CONTACT_METHOD_LABELS[args.method], args.minutes ?? null, weekCount));
}

async function confirmAsGuardian(turn: BoundTurn, args: ContactArgs): Promise<void> {
  if (!args.who) return turn.reply(catalog.guardianContactUsage);
  const children = await childrenOf(turn.tx, turn.sender.person.id, 'guardian');
  const confirmed = await confirmContact(
    turn.tx,
    turn.sender.person,
    { parentName: args.who, childIds: children.map((child) => child.id), method: args.method, minutes: args.minutes },
    clockOf(turn),
  );
  if (confirmed.children.length === 0) return turn.reply(catalog.noSuchParent(args.who));
  return turn.reply(catalog.guardianContactConfirmed(args.who, confirmed.children.join('、')));
}

const clockOf = (turn: BoundTurn) => ({ now: turn.now, timeZone: turn.settings.timeZone });
