import type { Db } from '../store/db/database';
import { isCareRoom } from '../store/messaging/careRooms';
import { hasRedeemableCode } from '../store/registry/invites';
import { withoutNul } from '../domain/nulCharacters';
import type { ChannelHost, InboundMessage, InboundResult } from '../channel';
import type { ReceiveOptions } from './inboxProcessor';

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

/** The inbox as the host reaches it (InboxProcessor, or SpoolingInbox in front of it). */
export interface HostInbox extends Pick<ChannelHost, 'accept'> {
  receive(message: InboundMessage, options?: ReceiveOptions): Promise<InboundResult>;
}

/**
 * What every channel gets from the service: the inbox (spooled while the database is away), invite
 * checks and care-room lookups. With `answeringChannels`, only those channels' messages get their
 * replies back from receive (the others get none: they send through the outbox).
 */
export function serviceChannelHost(db: Db, inbox: HostInbox, attachmentMaxBytes: number, answeringChannels?: ReadonlySet<string>): ChannelHost {
  return {
    attachmentMaxBytes,
    receive: (message) => inbox.receive(cleaned(message), { replies: answeringChannels?.has(message.channel) ?? true }),
    accept: (message) => inbox.accept(cleaned(message)),
    hasValidInviteCode: (text, now) => hasRedeemableCode(db, withoutNul(text), now),
    isCareRoom: (channel, botAccount, roomId) => isCareRoom(db, { channel, botAccount: withoutNul(botAccount), externalId: withoutNul(roomId) }),
  };
}
