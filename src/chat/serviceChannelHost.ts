import type { Db } from '../store/database';
import { hasRedeemableCode } from '../store/invites';
import type { ChannelHost } from '../channel';

/** What every channel gets from the service: the inbox (spooled while the database is away), invite checks and care-room lookups. */
export function serviceChannelHost(db: Db, inbox: Pick<ChannelHost, 'receive' | 'accept'>, attachmentMaxBytes: number): ChannelHost {
  return {
    attachmentMaxBytes,
    receive: (message) => inbox.receive(message),
    accept: (message) => inbox.accept(message),
    hasValidInviteCode: (text, now) => hasRedeemableCode(db, text, now),
    isCareRoom: async (channel, botAccount, roomId) =>
      (await db.careRoom.count({ where: { channel, botAccount, externalId: roomId } })) > 0,
  };
}
