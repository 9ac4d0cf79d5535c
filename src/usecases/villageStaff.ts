import type { Tx } from '../store/db/database';
import { queueToPerson, type Outgoing, type QueueOptions } from '../store/messaging/outbox';
import type { ReportAudience } from '../store/cases/reports';

/**
 * Tells a village's directors; when none can be reached, the officers of the township above, so
 * nothing a village must decide is lost. A director who raised the matter is not told of it, and
 * when they are the village's director the township is not asked either. `dedupeKey` is made
 * per recipient. Returns how many were told.
 */
export async function tellVillageStaff(
  tx: Tx,
  audience: Pick<ReportAudience, 'directors' | 'townshipOfficers'>,
  text: Outgoing,
  options: QueueOptions & { reporterId?: number },
): Promise<number> {
  const { reporterId, dedupeKey, ...queue } = options;
  let told = 0;
  const tell = async (personId: number): Promise<void> => {
    if (await queueToPerson(tx, personId, text, { ...queue, dedupeKey: dedupeKey === undefined ? undefined : `${dedupeKey}:to${personId}` })) told += 1;
  };
  for (const director of audience.directors) if (director !== reporterId) await tell(director);
  if (told === 0 && !audience.directors.some((director) => director === reporterId)) {
    for (const officer of audience.townshipOfficers) await tell(officer);
  }
  return told;
}
