import { Prisma, type Db } from '../../src/store/db/database';

/** What a weekly fan-out leaves in the outbox: a pending prompt for each of `count` addresses `openid-0` …, written in batches as the job writes them. */
export async function writeFanOutPrompts(db: Db, count: number, at: Date): Promise<void> {
  for (let from = 0; from < count; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - from) }, (_, index) => Prisma.sql`('wechatmp', 'mp', ${`openid-${from + index}`}, '本周请联系孩子', ${at}, ${at})`);
    await db.$executeRaw`INSERT INTO "OutboxMessage" ("channel", "botAccount", "address", "text", "nextAttemptAt", "createdAt") VALUES ${Prisma.join(rows)}`;
  }
}
