import { z } from 'zod';
import { CONTACT_PROMPT_JOBS, contactWeekReach, listContactWeeks } from '../../store/contact/contactWeeks';
import { areaFilter, requestedSubtree } from '../areaQuery';
import { MAX_RECORD_ID, defineRoute, page, paginationQuery, timestamp, toPage, type Resource } from '../route';

const contactWeek = z
  .object({
    id: z.number().int(),
    weekKey: z.string().meta({ example: '2026-W48' }),
    weekStart: timestamp,
    status: z.enum(['kept', 'missed', 'paused']).meta({ description: 'paused: the parent’s prompts were paused (暂停提醒, 退订) when the week ended; not counted in the rate' }),
    contactCount: z.number().int(),
    missedStreak: z.number().int().meta({ description: 'consecutive missed weeks up to this one' }),
    closedAt: timestamp,
    child: z.object({ id: z.number().int(), name: z.string(), area: z.object({ code: z.string(), name: z.string() }) }),
    parent: z.object({ id: z.number().int(), name: z.string() }),
    prompts: z
      .array(z.object({ job: z.enum(CONTACT_PROMPT_JOBS), status: z.enum(['pending', 'sending', 'sent', 'dead']), sentAt: timestamp.nullable() }))
      .meta({ description: 'the parent’s personal prompts of that week (Friday’s reminder, Sunday’s last call) and how far each got; empty when none was queued' }),
    reachable: z.boolean().meta({ description: 'the parent has a bound chat identity that is not marked unreachable (prompts can reach them now)' }),
  })
  .meta({ id: 'ContactWeek' });

const listContactWeeksRoute = defineRoute({
  method: 'get',
  path: '/contact-weeks',
  summary: 'Closed weeks of parent–child contact (kept or missed) in the token’s area',
  access: 'read',
  query: z.strictObject({
    ...paginationQuery,
    area: areaFilter,
    week: z.string().regex(/^\d{4}-W\d{2}$/, 'an ISO week like 2026-W48').optional(),
    childId: z.coerce.number().int().positive().max(MAX_RECORD_ID).optional(),
    status: z.enum(['kept', 'missed', 'paused']).optional(),
  }),
  response: page(contactWeek),
  handler: async ({ deps, auth, query }) => {
    const within = await requestedSubtree(deps.db, auth, query.area);
    const shown = toPage(
      await listContactWeeks(deps.db, { within, weekKey: query.week, childId: query.childId, status: query.status, after: query.after, limit: query.limit }),
      query.limit,
    );
    return { ...shown, items: await contactWeekReach(deps.db, shown.items) };
  },
});

export const contactWeeks: Resource = {
  name: 'contact-weeks',
  description: 'The weekly verdict on each away parent’s contact with each child (Monday to Sunday, Asia/Shanghai).',
  routes: [listContactWeeksRoute],
};
