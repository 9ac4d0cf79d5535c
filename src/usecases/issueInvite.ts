import { recordAudit } from '../store/audit/auditLog';
import { childRef } from '../store/registry/childRecords';
import type { Tx } from '../store/db/database';
import { createInvite, inviteByCode, revokeOpenInvites, type InviteRecord } from '../store/registry/invites';
import { personRef } from '../store/registry/people';
import type { Actor } from './actor';

/**
 * An invite code for a person of the actor's scope (and optionally the child they are for); their
 * earlier open codes are revoked, so inviting again renews the code. The one path of POST /invites
 * and a director's 邀请. Null when the person or the child lies outside the scope.
 */
export async function issueInvite(
  tx: Tx,
  actor: Actor,
  request: { personId: number; childId?: number },
  settings: { now: Date; ttlDays: number },
): Promise<(InviteRecord & { code: string }) | null> {
  const person = await personRef(tx, actor.scope, request.personId);
  const child = request.childId ? await childRef(tx, actor.scope, request.childId) : null;
  if (!person || (request.childId && !child)) return null;
  await revokeOpenInvites(tx, person.id, settings.now);
  const { code } = await createInvite(tx, {
    personId: person.id,
    role: person.role,
    areaId: person.areaId,
    childId: child?.id,
    issuedById: actor.person?.id,
    now: settings.now,
    ttlDays: settings.ttlDays,
  });
  const invite = await inviteByCode(tx, code);
  await recordAudit(tx, { at: settings.now, actor: actor.audit, action: 'invite.create', subjectType: 'Invite', subjectId: invite.id, after: { person: person.id } });
  return { ...invite, code };
}
