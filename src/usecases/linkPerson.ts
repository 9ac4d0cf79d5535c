import { DomainError } from '../domain/DomainError';
import { recordAudit } from '../store/audit/auditLog';
import { childRef, recomputeLeftBehind } from '../store/registry/childRecords';
import type { LinkKind, PersonRole, Tx } from '../store/db/database';
import { personRef, saveLink } from '../store/registry/people';
import type { Actor } from './actor';

export interface LinkRequest {
  childId: number;
  personId: number;
  kind: LinkKind;
  relation?: string | null;
  worksAway?: boolean | null;
  workPlace?: string | null;
  hasGuardianshipCapacity?: boolean | null;
}

export type LinkOutcome = { linked: true; linkId: number; leftBehind: boolean } | { linked: false };

/** The person roles a link of each kind may point to. */
const LINK_ROLES: Record<LinkKind, PersonRole[]> = { parent: ['parent'], guardian: ['guardian', 'parent'], teacher: ['teacher'], director: ['director'] };

/**
 * Links a person to a child (again: updates the link and starts it anew), recomputes the child's
 * left-behind status and records who did it: the one path of the API's links, a director's 邀请
 * and an approved 委托. Not linked when the child or the person lies outside the actor's scope.
 */
export async function linkPerson(tx: Tx, actor: Actor, request: LinkRequest, clock: { now: Date; timeZone: string }): Promise<LinkOutcome> {
  const child = await childRef(tx, actor.scope, request.childId);
  const person = await personRef(tx, actor.scope, request.personId);
  if (!child || !person) return { linked: false };
  if (!LINK_ROLES[request.kind].includes(person.role)) {
    throw new DomainError('link_kind_mismatch', `a ${person.role} cannot be linked to a child as ${request.kind}`);
  }
  const fields = {
    relation: request.relation ?? null,
    worksAway: request.worksAway ?? null,
    workPlace: request.workPlace ?? null,
    hasGuardianshipCapacity: request.hasGuardianshipCapacity ?? null,
  };
  const link = await saveLink(tx, { childId: child.id, personId: person.id, kind: request.kind, ...fields }, clock.now);
  const leftBehind = await recomputeLeftBehind(tx, child.id, clock.now, clock.timeZone);
  await recordAudit(tx, {
    at: clock.now,
    actor: actor.audit,
    action: 'child.link',
    subjectType: 'Child',
    subjectId: child.id,
    after: { link: link.id, person: person.id, kind: request.kind, worksAway: fields.worksAway, leftBehind },
  });
  return { linked: true, linkId: link.id, leftBehind };
}
