import type Router from '@koa/router';

/**
 * Platform-neutral messaging contract: bots/* implement Channel, src/chat never names a platform.
 * It sits at the bottom of the layers (ARCHITECTURE.md): the inbox and outbox store these shapes.
 */

export interface InboundMessage {
  /** Channel name: wechat-mp, wecom, wechaty, http, console. */
  channel: string;
  /** The configured bot account the message reached. */
  botAccount: string;
  /** The platform's id of the message: a repeat is acknowledged and ignored. */
  platformMessageId: string;
  /** A message, a friend request, or an unfollow (the person left an official account: unreachable from then on). */
  kind?: 'message' | 'friendship' | 'unfollow';
  from: {
    externalId: string;
    name?: string;
    /**
     * A stable tag the bot keeps on the contact (a WeChat remark): re-identifies a person
     * whose platform id changed between logins.
     */
    tag?: string;
  };
  /**
   * Set for messages said in a group room; the text has the bot's @-mention removed. Without
   * a mention (in a care room) only commands are answered, so family chatter gets no hints.
   */
  room?: { externalId: string; topic?: string; mentionsBot?: boolean };
  /** Empty for a message that is only an attachment. */
  text: string;
  /** A photo, voice note, video or file sent in a private chat. */
  attachment?: InboundAttachment;
  receivedAt: Date;
}

export interface InboundAttachment {
  kind: 'image' | 'audio' | 'video' | 'file';
  /** The file name the platform gives it (its extension is kept on disk). */
  name: string;
  mimeType?: string;
  /** The bytes; left out when the platform declared a size over the limit, so they were not fetched. */
  data?: Buffer;
  /** The size the platform declared, when `data` is left out. */
  size?: number;
}

export interface OutboundMessage {
  id: number;
  channel: string;
  botAccount: string;
  /** The platform id of the person or room. */
  address: string;
  isRoom: boolean;
  text: string;
  /** What the message is (src/texts/keyedMessages.ts) and its template fields; null for answers. */
  messageKey?: string | null;
  params?: Record<string, string> | null;
}

export interface InboundResult {
  /** Null for a message kept in the spool while the database is away: it gets a row when it is back. */
  inboxId: number | null;
  duplicate: boolean;
  /** What handling this message wrote to the outbox (for a duplicate, what the first one wrote). */
  replies: OutboundMessage[];
  /** Set when this message bound the sender: the platform may store it as the contact's tag. */
  boundTag?: string;
  /** Accepted into the local spool: it is recorded and handled, once, when the database answers again. */
  spooled?: boolean;
}

/** The message could be neither recorded nor spooled: the platform must deliver it again later. */
export class InboundNotKept extends Error {
  override name = 'InboundNotKept';
}

export type AccountState = 'starting' | 'waiting_for_login' | 'logged_in' | 'logged_out' | 'stopped';

export interface ChannelStatus {
  channel: string;
  accounts: Array<{
    name: string;
    state: AccountState;
    user?: string;
    /** Official accounts: whether the shared access token is usable (never the token itself), as this instance last saw it. */
    token?: 'valid' | 'expired' | 'missing' | 'refresh_failed';
    /** Official accounts: when that token expires (the platform's lifetime, usually two hours). */
    tokenExpiresAt?: string | null;
    /** Official accounts: when the platform last called back. */
    lastCallbackAt?: string | null;
    /** Official accounts: the daily quota is used up, nothing is sent through the account until then. */
    quotaUsedUntil?: string | null;
  }>;
}

/** What a channel may ask of the service. */
export interface ChannelHost {
  /** Records the message in the inbox, handles it once, and returns what it produced. */
  receive(message: InboundMessage): Promise<InboundResult>;
  /**
   * Records the message and returns at once; handling follows. For platforms that want their
   * callback answered within seconds: replies go out through the outbox.
   */
  accept(message: InboundMessage): Promise<Omit<InboundResult, 'replies'>>;
  /** Whether a friend request's text carries a valid, unused invite code. */
  hasValidInviteCode(text: string, now: Date): Promise<boolean>;
  /** Whether a room is a bound care room: its messages are handled without an @-mention. */
  isCareRoom(channel: string, botAccount: string, roomId: string): Promise<boolean>;
  /** Attachments larger than this are not kept: a channel that knows the size first need not fetch them. */
  readonly attachmentMaxBytes: number;
}

/** A send that did not go out. Permanent failures (e.g. no such contact) are not retried. */
export class SendFailure extends Error {
  override name = 'SendFailure';
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/**
 * A send the platform does not allow now, through no fault of the message: it waits, without
 * spending an attempt, until `until` (a quota's next day, a rate window's end) or, with
 * 'next_message', until the person writes again (no free text allowed and no template configured).
 */
export class SendDeferred extends Error {
  override name = 'SendDeferred';
  constructor(
    message: string,
    readonly until: Date | 'next_message',
  ) {
    super(message);
  }
}

export interface Channel {
  readonly name: string;
  /** The bot accounts this channel runs; outbox rows name one of them. */
  accounts(): string[];
  start(host: ChannelHost): Promise<void>;
  stop(): Promise<void>;
  /** Sends one message or throws SendFailure or SendDeferred. */
  send(message: OutboundMessage): Promise<void>;
  status(): ChannelStatus;
  /** HTTP routes the channel serves (callbacks, polling); the service mounts them at the root. */
  routes?(): Router;
}
