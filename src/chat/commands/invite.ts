import { z } from 'zod';
import type { LinkKind, PersonRole } from '../../store/database';
import { createInvite } from '../../store/invites';
import { catalog, ROLE_WORDS } from '../../texts/catalog';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildByName } from '../villageChild';

const inviteArgs = z.object({
  role: z.enum(Object.keys(ROLE_WORDS) as [keyof typeof ROLE_WORDS, ...Array<keyof typeof ROLE_WORDS>]),
  name: z.string().min(1).max(30),
  child: z.string().min(1).max(30),
});

const LINK_KIND: Record<'parent' | 'guardian' | 'teacher', LinkKind> = { parent: 'parent', guardian: 'guardian', teacher: 'teacher' };

/**
 * 邀请 家长/监护人/教师 <姓名> <孩子>: a director registers a person of the village for a child
 * and gets the code the person binds with. A parent invited this way works away from home:
 * they are who the bot is for.
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

    const personRole: PersonRole = ROLE_WORDS[parsed.data.role];
    const kind = LINK_KIND[personRole as keyof typeof LINK_KIND];
    // Inviting the same person again (their code expired) renews their code; a second person
    // record would be judged as a parent who never keeps in touch.
    const existing = await tx.childLink.findFirst({
      where: { childId: found.id, kind, endedAt: null, person: { name: parsed.data.name } },
      select: { person: { select: { id: true, _count: { select: { identities: true } } } } },
    });
    if (existing && existing.person._count.identities > 0) return turn.reply(catalog.inviteAlreadyBound(parsed.data.name));
    const personId = existing ? existing.person.id : await registerPerson(turn as BoundTurn, { name: parsed.data.name, role: personRole, kind, childId: found.id });
    if (existing) await tx.invite.updateMany({ where: { personId, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const invite = await createInvite(tx, {
      personId,
      role: personRole,
      areaId: sender.person.areaId,
      childId: found.id,
      issuedById: sender.person.id,
      now,
      ttlDays: settings.inviteTtlDays,
    });
    return turn.reply(catalog.inviteCreated(parsed.data.role, parsed.data.name, found.name, invite.code, settings.inviteTtlDays));
  },
};

async function registerPerson(turn: BoundTurn, input: { name: string; role: PersonRole; kind: LinkKind; childId: number }): Promise<number> {
  const { tx, sender, now } = turn;
  const person = await tx.person.create({ data: { name: input.name, role: input.role, areaId: sender.person.areaId, createdAt: now } });
  await tx.childLink.create({
    data: { childId: input.childId, personId: person.id, kind: input.kind, worksAway: input.role === 'parent' ? true : null, startedAt: now },
  });
  return person.id;
}
