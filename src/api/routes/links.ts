import { z } from 'zod';
import { childInScope } from '../../store/registry/childRecords';
import { endLink } from '../../store/registry/people';
import { linkPerson } from '../../usecases/linkPerson';
import { tokenAsActor } from '../auth';
import { found } from '../errors';
import { MAX_RECORD_ID, defineRoute, idParam, type Resource } from '../route';
import { childDetail } from './children';
import { inTransaction } from '../../store/db/database';

const linkPersonRoute = defineRoute({
  method: 'post',
  path: '/children/:id/links',
  summary: 'Link a person to a child as parent, guardian, teacher or director; the child’s left-behind status is recomputed',
  description: 'Linking the same person with the same kind again updates the link. Both the child and the person must be in the token’s area.',
  access: 'write',
  status: 201,
  params: idParam,
  body: z.strictObject({
    personId: z.number().int().positive().max(MAX_RECORD_ID),
    kind: z.enum(['parent', 'guardian', 'teacher', 'director']),
    relation: z.string().trim().min(1).max(20).optional().meta({ example: '母亲' }),
    worksAway: z.boolean().optional().meta({ description: 'for a parent: works away from home (外出务工)' }),
    workPlace: z.string().trim().min(1).max(100).optional(),
    hasGuardianshipCapacity: z.boolean().optional(),
  }),
  response: childDetail,
  handler: async ({ deps, auth, params, body, now }) => {
    const child = await inTransaction(deps.db, async (tx) => {
      const outcome = await linkPerson(tx, tokenAsActor(auth), { ...body, childId: params.id }, { now, timeZone: deps.timeZone });
      return outcome.linked ? childInScope(tx, auth.scope, params.id) : null;
    });
    return found(child, 'child_or_person');
  },
});

const endLinkRoute = defineRoute({
  method: 'post',
  path: '/children/:id/links/:linkId/end',
  summary: 'End a link (a parent came home for good, a teacher changed school); the history stays',
  access: 'write',
  params: idParam.extend({ linkId: z.coerce.number().int().positive().max(MAX_RECORD_ID) }),
  response: childDetail,
  handler: async ({ deps, auth, params, now }) =>
    found(await endLink(deps.db, { childId: params.id, linkId: params.linkId, scope: auth.scope, actor: auth.actor, now, timeZone: deps.timeZone }), 'link'),
});

export const links: Resource = {
  name: 'links',
  description: 'Who a child’s people are: parents (and whether they work away), guardians, teachers.',
  routes: [linkPersonRoute, endLinkRoute],
};
