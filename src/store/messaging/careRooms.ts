import type { Db, Tx } from '../db/database';

/** Whether a room is a bound care room (绑定群): its messages are read without an @-mention of the bot. */
export async function isCareRoom(db: Db | Tx, room: { channel: string; botAccount: string; externalId: string }): Promise<boolean> {
  return (await db.careRoom.count({ where: room })) > 0;
}

type RoomKey = { channel: string; botAccount: string; externalId: string };

/** The child a room is bound to, and that child's village; null for an unbound room. */
export async function careRoomBinding(tx: Tx, room: RoomKey): Promise<{ childId: number; villageId: number } | null> {
  const row = await tx.careRoom.findUnique({ where: { channel_botAccount_externalId: room }, select: { childId: true, child: { select: { areaId: true } } } });
  return row && { childId: row.childId, villageId: row.child.areaId };
}

/** Binds a room to a child (again: rebinds it), recording who bound it when. */
export async function bindCareRoom(tx: Tx, room: RoomKey, childId: number, boundById: number, now: Date): Promise<void> {
  await tx.careRoom.upsert({
    where: { channel_botAccount_externalId: room },
    create: { ...room, childId, boundById, boundAt: now },
    update: { childId, boundById, boundAt: now },
  });
}
