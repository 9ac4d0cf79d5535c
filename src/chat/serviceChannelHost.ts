import type { Db } from '../store/database';
import { hasRedeemableCode } from '../store/invites';
import type { ChannelHost } from '../channel';
import type { InboxProcessor } from './inboxProcessor';

/** What every channel gets from the service: the inbox, invite checks and care-room lookups. */
export function serviceChannelHost(db: Db, inbox: InboxProcessor, attachmentMaxBytes: number): ChannelHost {
  return {
    attachmentMaxBytes,
    receive: (message) => inbox.receive(message),
    hasValidInviteCode: (text, now) => hasRedeemableCode(db, text, now),
    isCareRoom: async (channel, botAccount, roomId) =>
      (await db.careRoom.count({ where: { channel, botAccount, externalId: roomId } })) > 0,
  };
}
