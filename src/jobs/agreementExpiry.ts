import { keyed } from '../texts/keyedMessages';
import { localDate } from '../domain/schoolCalendar';
import { directorsOfVillages } from '../store/contact/contactWeeks';
import { agreementsDueExpiryReminder, endAgreement, expiredAgreements, markExpiryReminded } from '../store/agreements/guardianshipAgreements';
import { inTransaction, type Db } from '../store/db/database';
import { queueMessage, type Address } from '../store/messaging/outbox';
import type { Job, JobContext, JobSummary } from './job';
import { freshestAddresses } from '../store/messaging/identities';

const JOB_NAME = 'agreement-expiry';

/** The bound chats of a village's directors. */
async function directorAddresses(db: Db, villageId: number): Promise<Address[]> {
  const directors = (await directorsOfVillages(db, [villageId])).get(villageId) ?? [];
  const addresses = await freshestAddresses(
    db,
    directors.map((director) => director.id),
  );
  return [...addresses.values()];
}

/**
 * Daily: approved agreements whose last day has passed end (audited), and the village directors are
 * told, so the child is listed as missing one until it is renewed; agreements ending within 30 days
 * remind the directors once (expiryRemindedAt). An agreement whose village has no director with a
 * bound chat is not marked reminded, so the reminder goes out once someone can read it.
 */
export async function checkAgreementExpiry(context: JobContext): Promise<JobSummary> {
  const { db, now, timeZone, logger } = context;
  const today = localDate(now, timeZone);
  const summary = { ended: 0, reminded: 0, notices: 0, unreachable: 0 };

  for (const agreement of await expiredAgreements(db, today)) {
    const addresses = await directorAddresses(db, agreement.areaId);
    await inTransaction(db, async (tx) => {
      if (!(await endAgreement(tx, agreement.id, { actor: 'system', reason: 'expired', now }))) return;
      summary.ended += 1;
      for (const to of addresses) {
        await queueMessage(tx, to, keyed.agreementEnded(agreement.childName, agreement.guardianName, agreement.validUntil), {
          now,
          dedupeKey: `agreement-ended:${agreement.id}:${to.personId}`,
        });
        summary.notices += 1;
      }
    });
  }

  for (const agreement of await agreementsDueExpiryReminder(db, today)) {
    const addresses = await directorAddresses(db, agreement.areaId);
    if (addresses.length === 0) {
      summary.unreachable += 1;
      continue;
    }
    await inTransaction(db, async (tx) => {
      for (const to of addresses) {
        await queueMessage(tx, to, keyed.agreementExpiring(agreement.childName, agreement.guardianName, agreement.validUntil), {
          now,
          dedupeKey: `${JOB_NAME}:${agreement.id}:${to.personId}`,
        });
        summary.notices += 1;
      }
      await markExpiryReminded(tx, agreement.id, now);
      summary.reminded += 1;
    });
  }
  logger.info({ job: JOB_NAME, today, ...summary }, 'guardianship agreements ended and expiry reminders queued');
  return summary;
}

export const agreementExpiryJob: Job = {
  name: JOB_NAME,
  defaultSchedule: '30 9 * * *',
  description: '每天：委托监护确认书到期前30天提醒儿童主任续签（每份只提醒一次）；过期的确认书自动终止，孩子重新列入缺少委托监护的名单',
  run: checkAgreementExpiry,
};
