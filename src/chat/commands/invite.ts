import { z } from 'zod';
import type { LinkKind, PersonRole } from '../../store/database';
import { createInvite } from '../../store/invites';
import { catalog, ROLE_WORDS } from '../catalog';
import type { BoundTurn, ChatCommand } from '../turn';

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
    const [role, name, child] = args.split(' ');
    const parsed = inviteArgs.safeParse({ role, name, child });
    if (!parsed.success || args.split(' ').length !== 3) return turn.reply(catalog.inviteUsage);
    const found = await tx.child.findFirst({ where: { name: parsed.data.child, areaId: sender.person.areaId, archivedAt: null }, select: { id: true, name: true } });
    if (!found) return turn.reply(catalog.childNotInVillage(parsed.data.child));

    const personRole: PersonRole = ROLE_WORDS[parsed.data.role];
    const person = await tx.person.create({ data: { name: parsed.data.name, role: personRole, areaId: sender.person.areaId, createdAt: now } });
    await tx.childLink.create({
      data: {
        childId: found.id,
        personId: person.id,
        kind: LINK_KIND[personRole as keyof typeof LINK_KIND],
        worksAway: personRole === 'parent' ? true : null,
        startedAt: now,
      },
    });
    const invite = await createInvite(tx, {
      personId: person.id,
      role: personRole,
      areaId: sender.person.areaId,
      childId: found.id,
      issuedById: sender.person.id,
      now,
      ttlDays: settings.inviteTtlDays,
    });
    return turn.reply(catalog.inviteCreated(parsed.data.role, person.name, found.name, invite.code, settings.inviteTtlDays));
  },
};
