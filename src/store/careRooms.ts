import type { Db, Tx } from './database';

/** Whether a room is a bound care room (绑定群): its messages are read without an @-mention of the bot. */
export async function isCareRoom(db: Db | Tx, room: { channel: string; botAccount: string; externalId: string }): Promise<boolean> {
  return (await db.careRoom.count({ where: room })) > 0;
}
