import type { Tx } from '../store/db/database';
import { linkedPersonByName } from '../store/registry/people';
import type { Actor } from './actor';
import { issueInvite } from './issueInvite';
import { linkPerson } from './linkPerson';
import { registerPerson } from './registerPerson';

export type InvitedRole = 'parent' | 'guardian' | 'teacher';

export type InviteOutcome = { invited: true; personId: number; code: string } | { invited: false; reason: 'already_bound' | 'out_of_scope' };

/**
 * 邀请: registers a person of the village for a child and issues the code they bind with, through
 * the same steps as the API (POST /people, /children/:id/links, /invites): each audited, the
 * child's left-behind status recomputed. A parent invited this way works away from home: they are
 * who the bot is for. Inviting the same person again (their code expired) renews their code; a
 * second person record would be judged as a parent who never keeps in touch.
 */
export async function invitePersonForChild(
  tx: Tx,
  actor: Actor,
  request: { name: string; role: InvitedRole; childId: number; areaId: number },
  settings: { now: Date; timeZone: string; ttlDays: number },
): Promise<InviteOutcome> {
  const existing = await linkedPersonByName(tx, request.childId, request.role, request.name);
  if (existing?.bound) return { invited: false, reason: 'already_bound' };
  let personId = existing?.id;
  if (personId === undefined) {
    personId = (await registerPerson(tx, actor, { name: request.name, role: request.role, areaId: request.areaId }, settings.now)).id;
    const link = await linkPerson(tx, actor, { childId: request.childId, personId, kind: request.role, worksAway: request.role === 'parent' ? true : null }, settings);
    if (!link.linked) return { invited: false, reason: 'out_of_scope' };
  }
  const invite = await issueInvite(tx, actor, { personId, childId: request.childId }, settings);
  return invite ? { invited: true, personId, code: invite.code } : { invited: false, reason: 'out_of_scope' };
}
