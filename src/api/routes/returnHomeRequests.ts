import { z } from 'zod';
import { REFERRAL_STATES } from '../../domain/referrals';
import { RETURN_INTENTIONS, RETURN_NEEDS } from '../../domain/returnHome';
import { recordRead } from '../../store/audit/auditLog';
import { returnHomeRequests } from '../../store/contact/returnHomeWishes';
import { defineRoute, page, paginationQuery, timestamp, toPage, type Resource } from '../route';

const request = z
  .object({
    id: z.number().int(),
    period: z.string().meta({ example: '2026H2', description: 'the half-year of the question' }),
    parent: z.object({ name: z.string(), phone: z.string().nullable(), village: z.string() }),
    work: z.object({ place: z.string(), trade: z.string().nullable() }).nullable().meta({ description: 'where the parent works now (务工)' }),
    intention: z.enum(RETURN_INTENTIONS).nullable().meta({ description: 'work: a job near home; business: start one' }),
    needs: z.array(z.enum(RETURN_NEEDS)).meta({ description: 'training, job_referral, startup_loan' }),
    answeredAt: timestamp.nullable(),
    referredAt: timestamp.meta({ description: 'when the parent consented and 人社 was told' }),
    referral: z
      .object({ id: z.number().int(), state: z.enum(REFERRAL_STATES), dueAt: timestamp, feedback: z.string().nullable() })
      .meta({ description: 'the referral to 人社: its staff accept and answer it under /referrals/{id}; the parent hears each step' }),
  })
  .meta({ id: 'ReturnHomeRequest', description: 'a consenting parent’s request for help to come home to work or start a business; never a child’s details' });

const listRoute = defineRoute({
  method: 'get',
  path: '/return-home-requests',
  summary: 'Away parents of the area who want help to come home to work or start a business and agreed that 人社 contacts them',
  description: 'Read by 人社 (human_resources) department staff and by officers of the area. A parent who did not consent is counted in the migrant-work ledger, never listed here.',
  access: 'read',
  departments: ['human_resources'],
  query: z.strictObject(paginationQuery),
  response: page(request),
  // The list names parents and their phones: reading it is audited as a people read is.
  handler: async ({ deps, auth, query, now }) => {
    const shown = toPage(await returnHomeRequests(deps.db, auth.scope, { after: query.after, limit: query.limit + 1 }), query.limit);
    await recordRead(deps.db, { at: now, actor: auth.actor, action: 'return_home.list', subjectType: 'ReturnHomeWish', subjectIds: shown.items.map((row) => row.id) });
    return shown;
  },
});

export const returnHomeRequestsResource: Resource = {
  name: 'return-home-requests',
  description: 'Referrals of away parents to 人社 for return-home employment and business support (返乡就业创业扶持), with the parent’s consent.',
  routes: [listRoute],
};
