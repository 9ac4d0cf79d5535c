import { z } from 'zod';
import { deadLettersWithin, retryDeadLetterWithin, unreachableWithin } from '../../store/messaging/outboxLeases';
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

const unreachable = z
  .object({
    person: z.object({ id: z.number().int(), name: z.string() }),
    channel: z.string(),
    waiting: z.number().int().meta({ description: 'messages waiting for this person to write again' }),
    waitingSince: timestamp,
  })
  .meta({ id: 'UnreachablePerson' });

const listUnreachable = defineRoute({
  method: 'get',
  path: '/outbox/unreachable',
  summary: 'People of the token’s area whom their platform lets us reach only after they write again',
  description:
    'On the 服务号, free text is allowed for 48 hours after a person’s message; outside that window a message goes as the template configured for its kind. Messages with no such template wait here until the person writes; call or visit them meanwhile.',
  access: 'read',
  response: z.object({ items: z.array(unreachable) }),
  handler: async ({ deps, auth }) => ({ items: await unreachableWithin(deps.db, auth.scope) }),
});

export const outbox: Resource = {
  name: 'outbox',
  description: 'Outgoing messages that could not be sent (dead letters), or wait until their person writes again (unreachable).',
  routes: [listDeadLetters, retryDeadLetter, listUnreachable],
};
