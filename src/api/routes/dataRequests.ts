import { z } from 'zod';
import { answerDataRequest, dataRequestsInScope, type DataRequestRow } from '../../store/privacy/dataRequests';
import { queueToPerson } from '../../store/messaging/outbox';
import { areaFilter, requestedSubtree } from '../areaQuery';
import { notFound } from '../errors';
import { defineRoute, idParam, timestamp, type Resource } from '../route';
import { inTransaction } from '../../store/db/database';

const dataRequest = z
  .object({
    id: z.number().int(),
    kind: z.enum(['correction', 'deletion']),
    text: z.string().nullable().meta({ description: 'what the person asked to correct; null for a deletion' }),
    status: z.enum(['open', 'answered']),
    dueAt: timestamp,
    createdAt: timestamp,
    answer: z.string().nullable(),
    answeredAt: timestamp.nullable(),
    person: z.object({ id: z.number().int(), name: z.string(), role: z.string() }),
  })
  .meta({ id: 'DataRequest' });

const toJson = (row: DataRequestRow) => ({
  ...row,
  dueAt: row.dueAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
  answeredAt: row.answeredAt?.toISOString() ?? null,
});

const listRoute = defineRoute({
  method: 'get',
  path: '/data-requests',
  summary: 'Requests to correct or delete personal data (更正, 删除我的信息) in the area: open ones first, by deadline (at most 200)',
  access: 'read',
  query: z.strictObject({ area: areaFilter, open: z.enum(['true', 'false']).default('false').meta({ description: 'only the unanswered ones' }) }),
  response: z.object({ items: z.array(dataRequest) }),
  handler: async ({ deps, auth, query }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    return { items: (await dataRequestsInScope(deps.db, within, { openOnly: query.open === 'true' })).map(toJson) };
  },
});

const answerRoute = defineRoute({
  method: 'post',
  path: '/data-requests/:id/answer',
  summary: 'Answer an open request; the person gets the answer in chat',
  access: 'write',
  params: idParam,
  body: z.strictObject({ answer: z.string().trim().min(1).max(500) }),
  response: dataRequest,
  handler: async ({ deps, auth, params, body, now }) => {
    const answered = await inTransaction(deps.db, async (tx) => {
      const row = await answerDataRequest(tx, { id: params.id, scope: auth.scope, answer: body.answer, now, actor: auth.actor });
      if (row) await queueToPerson(tx, row.person.id, `您的${row.kind === 'deletion' ? '删除' : '更正'}申请（编号${row.id}）已答复：${body.answer}`, { now });
      return row;
    });
    if (!answered) throw notFound('open data request');
    return toJson(answered);
  },
});

export const dataRequests: Resource = {
  name: 'data-requests',
  description: 'People’s requests about their personal data, made in chat, with the director’s answers.',
  routes: [listRoute, answerRoute],
};
