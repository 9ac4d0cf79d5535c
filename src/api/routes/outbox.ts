import { z } from 'zod';
import { deadLettersWithin, retryDeadLetterWithin } from '../../store/outboxLeases';
import { notFound } from '../errors';
import { defineRoute, idParam, page, paginationQuery, timestamp, toPage, type Resource } from '../route';

const deadLetter = z
  .object({
    id: z.number().int(),
    channel: z.string(),
    botAccount: z.string(),
    isRoom: z.boolean(),
    person: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'DeadLetter' });

const listDeadLetters = defineRoute({
  method: 'get',
  path: '/outbox/dead-letters',
  summary: 'Messages to people of the token’s area that gave up after their last attempt, oldest first',
  description: 'Messages to care rooms belong to no area: only a token of the top area sees them.',
  access: 'read',
  query: z.strictObject({ ...paginationQuery }),
  response: page(deadLetter),
  handler: async ({ deps, auth, query }) => toPage(await deadLettersWithin(deps.db, auth.scope, query), query.limit),
});

const retryDeadLetter = defineRoute({
  method: 'post',
  path: '/outbox/dead-letters/:id/retry',
  summary: 'Queue a dead letter again with a fresh set of attempts',
  access: 'write',
  status: 202,
  params: idParam,
  response: z.object({ id: z.number().int(), status: z.literal('pending') }),
  handler: async ({ deps, auth, params, now }) => {
    if (!(await retryDeadLetterWithin(deps.db, { id: params.id, scope: auth.scope, actor: auth.actor, now }))) throw notFound('dead_letter');
    return { id: params.id, status: 'pending' as const };
  },
});

export const outbox: Resource = {
  name: 'outbox',
  description: 'Outgoing messages that could not be sent (dead letters).',
  routes: [listDeadLetters, retryDeadLetter],
};
