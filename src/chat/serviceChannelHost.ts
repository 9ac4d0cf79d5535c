import type { Db } from '../store/database';
import { isCareRoom } from '../store/careRooms';
import { hasRedeemableCode } from '../store/invites';
import { withoutNul } from '../domain/nulCharacters';
import type { ChannelHost, InboundMessage } from '../channel';

/** The message with U+0000 taken out of every text a platform sent. */
function cleaned(message: InboundMessage): InboundMessage {
  const { from, room } = message;
  return {
    ...message,
    platformMessageId: withoutNul(message.platformMessageId),
    from: { ...from, externalId: withoutNul(from.externalId), ...(from.name === undefined ? {} : { name: withoutNul(from.name) }), ...(from.tag === undefined ? {} : { tag: withoutNul(from.tag) }) },
    ...(room ? { room: { ...room, externalId: withoutNul(room.externalId), ...(room.topic === undefined ? {} : { topic: withoutNul(room.topic) }) } } : {}),
    text: withoutNul(message.text),
  };
}

/** What every channel gets from the service: the inbox (spooled while the database is away), invite checks and care-room lookups. */
export function serviceChannelHost(db: Db, inbox: Pick<ChannelHost, 'receive' | 'accept'>, attachmentMaxBytes: number): ChannelHost {
  return {
    attachmentMaxBytes,
    receive: (message) => inbox.receive(cleaned(message)),
    accept: (message) => inbox.accept(cleaned(message)),
    hasValidInviteCode: (text, now) => hasRedeemableCode(db, withoutNul(text), now),
    isCareRoom: (channel, botAccount, roomId) => isCareRoom(db, { channel, botAccount: withoutNul(botAccount), externalId: withoutNul(roomId) }),
  };
}
