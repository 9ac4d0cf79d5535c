import { Prisma, type Db } from '../db/database';

/**
 * Takes one of `limit` slots of a platform limit's window (e.g. the 5 客服消息 of one follower's
 * 48-hour window, one member's 30 WeCom messages a minute), counted in the database so every
 * instance shares it. One conditional UPDATE: two instances never both take the last slot.
 */
export async function takeRateSlot(db: Db, window: { key: string; limit: number; expiresAt: Date }): Promise<boolean> {
  if (!(await db.rateCount.findUnique({ where: { key: window.key }, select: { key: true } }))) {
    await db.rateCount.create({ data: { key: window.key, expiresAt: window.expiresAt } }).catch((error: unknown) => {
      // another instance opened the same window first
      if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
    });
  }
  const taken = await db.rateCount.updateMany({ where: { key: window.key, count: { lt: window.limit } }, data: { count: { increment: 1 } } });
  return taken.count === 1;
}

/** Windows that have ended are of no more use. */
export async function purgeEndedRateWindows(db: Db, now: Date): Promise<number> {
  return (await db.rateCount.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}

/** Gives back a slot whose use failed (the platform refused), so the next try may take it. */
export async function releaseRateSlot(db: Db, key: string): Promise<void> {
  await db.rateCount.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}

/** How many slots of a window are taken (0 once it has ended or was never opened). */
export async function rateSlotsTaken(db: Db, key: string, now: Date): Promise<number> {
  return (await db.rateCount.findFirst({ where: { key, expiresAt: { gt: now } }, select: { count: true } }))?.count ?? 0;
}
