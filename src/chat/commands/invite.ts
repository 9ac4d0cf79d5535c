import { z } from 'zod';
import { catalog, ROLE_WORDS } from '../../texts/catalog';
import { invitePersonForChild } from '../../usecases/invitePerson';
import { senderAsActor } from '../actor';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildByName } from '../villageChild';

const inviteArgs = z.object({
  role: z.enum(Object.keys(ROLE_WORDS) as [keyof typeof ROLE_WORDS, ...Array<keyof typeof ROLE_WORDS>]),
  name: z.string().min(1).max(30),
  child: z.string().min(1).max(30),
});

/**
 * 邀请 家长/监护人/教师 <姓名> <孩子>: a director registers a person of the village for a child
 * and gets the code the person binds with (src/usecases/invitePerson.ts).
 */
export const inviteCommand: ChatCommand = {
  keywords: ['邀请'],
  roles: ['director'],
  async handle(turn, args) {
    const { tx, sender, now, settings } = turn as BoundTurn;
    // The code is a key to the person's chat: never post it into a room.
    if (turn.message.roomExternalId) return turn.reply(catalog.privateOnly);
    const [role, name, child] = args.split(' ');
    const parsed = inviteArgs.safeParse({ role, name, child });
    if (!parsed.success || args.split(' ').length !== 3) return turn.reply(catalog.inviteUsage);
    const match = await villageChildByName(tx, sender.person.areaId, parsed.data.child);
    if ('reply' in match) return turn.reply(match.reply);
    const found = match.child;

    const outcome = await invitePersonForChild(
      tx,
      await senderAsActor(tx, sender),
      { name: parsed.data.name, role: ROLE_WORDS[parsed.data.role], childId: found.id, areaId: sender.person.areaId },
      { now, timeZone: settings.timeZone, ttlDays: settings.inviteTtlDays },
    );
    if (!outcome.invited) return turn.reply(outcome.reason === 'already_bound' ? catalog.inviteAlreadyBound(parsed.data.name) : catalog.inviteUsage);
    return turn.reply(catalog.inviteCreated(parsed.data.role, parsed.data.name, found.name, outcome.code, settings.inviteTtlDays));
  },
};
