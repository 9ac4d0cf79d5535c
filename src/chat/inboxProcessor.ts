import type { Logger } from '../log';
import type { MessageMetrics } from '../metrics';
import { inTransaction, type Db } from '../store/db/database';
import type { Engine } from '../store/db/providers';
import { identifyNewSender, markIdentityUnreachable } from '../store/messaging/identities';
import { DEFAULT_ATTACHMENT_MAX_BYTES } from '../config';
import { AttachmentNotSaved, saveAttachment } from '../store/messaging/attachments';
import { keyringOf } from '../store/crypto/sealedTexts';
import { senderHasOpenDialog } from '../store/messaging/chatDialogs';
import { isDatabaseAway } from '../store/db/transientFailure';
import { claimInboundFromSender, inboundOrigin, markInboundFailed, recordInbound, unhandledInbound, type InboxAttachment } from '../store/messaging/inbox';
import { answersQueuedIn, queueMessage, queueToCareRooms, queueToPerson, repliesTo } from '../store/messaging/outbox';
import { wakeWaitingFor } from '../store/messaging/outboxLeases';
import { catalog } from '../texts/catalog';
import type { InboundAttachment, InboundMessage, InboundResult, OutboundMessage } from '../channel';
import { routeMessage } from './router';
import type { ChatSettings, ChatTurn } from './turn';

export interface InboxProcessorOptions {
  db: Db;
  /** The database's engine: PostgreSQL claims a row and marks its sender seen in one statement. */
  engine: Engine;
  settings: ChatSettings;
  logger: Logger;
  clock?: () => Date;
  /** Folder of saved attachments (content-addressed); without it, none are kept. */
  attachmentDir?: string;
  /** Called after handling queued messages, so the dispatcher sends them without waiting for its poll. */
  onQueued?: () => void;
  metrics?: MessageMetrics;
  /** Channels whose sender ids are the organisation directory's userids (WeCom): staff are recognised by the userid on their record. */
  directoryChannels?: readonly string[];
}

export interface ReceiveOptions {
  /** Return what handling queued (default true), which only a channel answering its caller needs: a duplicate's and a failure's are read back, a statement each. */
  replies?: boolean;
}

/**
 * channel → inbox row → router → outbox rows. The inbox row is written before handling, and
 * handling (its state changes, its outbox rows and marking the row handled) is one
 * transaction: a crash in between leaves the row to be handled on the next start, once.
 */
export class InboxProcessor {
  private readonly clock: () => Date;
  /** Handling started by accept() and not finished yet. */
  private readonly handling = new Set<Promise<unknown>>();
  private handlingDeferred: () => void = () => undefined;

  constructor(private readonly options: InboxProcessorOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async receive(message: InboundMessage, options: ReceiveOptions = {}): Promise<InboundResult & { inboxId: number }> {
    const { id, duplicate } = await this.record(message);
    const handled = duplicate ? null : await this.handle(id);
    // Read back only what this call did not queue itself: a duplicate's answer, or the apology for a failure.
    const replies = options.replies === false ? [] : (handled?.replies ?? (await repliesTo(this.options.db, id)));
    return { inboxId: id, duplicate, replies, ...(handled?.boundTag ? { boundTag: handled.boundTag } : {}) };
  }

  /** Records the message and returns; handling follows (a platform that wants its callback answered within seconds). */
  async accept(message: InboundMessage): Promise<{ inboxId: number; duplicate: boolean }> {
    const { id, duplicate } = await this.record(message);
    if (!duplicate) {
      // handle() logged what failed; a row it left received is recovered later, so nothing more to do here.
      const handling = this.handle(id)
        .catch(() => undefined)
        .finally(() => this.handling.delete(handling));
      this.handling.add(handling);
    }
    return { inboxId: id, duplicate };
  }

  /** Who is told when the database went away mid-handling: the row stays received, for recover() once it answers. */
  whenHandlingDeferred(listener: () => void): void {
    this.handlingDeferred = listener;
  }

  /** Resolves once every accepted message has been handled (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.handling.size > 0) await Promise.all([...this.handling]);
  }

  /** The inbox row; a person's new message also frees what waited for it (no free text was allowed before). */
  private async record(message: InboundMessage): Promise<{ id: number; duplicate: boolean }> {
    const attachment = message.attachment ? await this.keepAttachment(message, message.attachment) : null;
    const recorded = await recordInbound(this.options.db, message, attachment);
    if (!recorded.duplicate) {
      this.options.metrics?.received(message.channel);
      if (recorded.waiting && !message.room && message.kind !== 'unfollow') await wakeWaitingFor(this.options.db, { channel: message.channel, botAccount: message.botAccount, address: message.from.externalId }, this.clock());
    }
    return recorded;
  }

  /**
   * Saves a photo or voice note before the inbox row is written, so a crash loses nothing. Only
   * what someone sends while filing a report in private chat is kept: the bot is no photo album.
   */
  private async keepAttachment(message: InboundMessage, file: InboundAttachment): Promise<InboxAttachment> {
    const { db, attachmentDir, settings } = this.options;
    const size = file.data?.length ?? file.size ?? null;
    const notKept = { kind: file.kind, path: null, sha256: null, size, mimeType: file.mimeType ?? null };
    const maxBytes = settings.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
    // Kept only sealed: a client opened without the text keyring keeps no file.
    const keyring = keyringOf(db);
    if (!attachmentDir || !keyring || !file.data || file.data.length > maxBytes || message.room) return notKept;
    if (!(await senderHasOpenDialog(db, { channel: message.channel, botAccount: message.botAccount, externalId: message.from.externalId, tag: message.from.tag }, this.clock()))) {
      return notKept;
    }
    let stored;
    try {
      stored = await saveAttachment(attachmentDir, { kind: file.kind, name: file.name, mimeType: file.mimeType, data: file.data }, keyring);
    } catch (error) {
      if (!(error instanceof AttachmentNotSaved)) throw error;
      // The message counts more than its picture: it is recorded without it, and the handler tells the sender.
      this.options.logger.error({ kind: file.kind, size, reason: error.reason }, 'an attachment could not be saved: the message is recorded without it');
      return { ...notKept, sha256: error.sha256 };
    }
    return { kind: stored.kind, path: stored.path, sha256: stored.sha256, size: stored.size, mimeType: stored.mimeType };
  }

  /** Handles rows a crash left unhandled; returns how many. */
  async recover(): Promise<number> {
    const ids = await unhandledInbound(this.options.db);
    for (const id of ids) await this.handle(id);
    if (ids.length > 0) this.options.logger.info({ count: ids.length }, 'handled inbound messages left by a previous run');
    return ids.length;
  }

  /** Handles the row once; what it queued in answer, unless another handler claimed it first or it failed. */
  private async handle(inboxId: number): Promise<{ boundTag?: string; replies?: OutboundMessage[] }> {
    const { db, logger, settings } = this.options;
    const now = this.clock();
    try {
      const handled = await inTransaction(
        db,
        async (tx) => {
          const claimed = await claimInboundFromSender(tx, this.options.engine, inboxId, now);
          if (!claimed) return {};
          const { message } = claimed;
          const sender =
            claimed.knownSender ??
            (await identifyNewSender(tx, { channel: message.channel, botAccount: message.botAccount, externalId: message.fromExternalId, tag: message.fromTag ?? undefined, directory: this.options.directoryChannels?.includes(message.channel) }, now));
          const replyTo = {
            channel: message.channel,
            botAccount: message.botAccount,
            address: message.roomExternalId ?? message.fromExternalId,
            isRoom: message.roomExternalId !== null,
            personId: message.roomExternalId ? undefined : sender?.person.id,
          };
          const turn: ChatTurn = {
            tx,
            now,
            message,
            sender,
            settings,
            // A person who writes at night gets their answer at once; notices to others wait out quiet hours.
            reply: (text) => queueMessage(tx, replyTo, text, { now, inboxMessageId: inboxId, urgent: true }),
            notify: (personId, text) => queueToPerson(tx, personId, text, { now, inboxMessageId: inboxId }),
            notifyCareRooms: (childId, text) => queueToCareRooms(tx, childId, text, { now, inboxMessageId: inboxId }),
          };
          // Recorded like any message, so an unfollow during a database outage is spooled, not lost.
          if (message.kind === 'unfollow') await markIdentityUnreachable(tx, { channel: message.channel, botAccount: message.botAccount, externalId: message.fromExternalId }, now);
          await routeMessage(turn);
          return { boundTag: turn.boundTag, replies: answersQueuedIn(tx, inboxId) };
        },
        { timeout: 15_000 },
      );
      this.options.onQueued?.();
      return handled;
    } catch (error) {
      if (isDatabaseAway(error)) {
        // Not the message's fault: it is handled, once, when the database answers again.
        logger.warn({ err: error, inboxId }, 'the database went away while an inbound message was handled: it is handled again later');
        this.handlingDeferred();
        throw error;
      }
      logger.error({ err: error, inboxId }, 'handling an inbound message failed');
      await this.answerFailure(inboxId, error as Error, now);
      return {};
    }
  }

  /** The sender hears that something went wrong rather than silence; the row keeps the error. */
  private async answerFailure(inboxId: number, error: Error, now: Date): Promise<void> {
    const { db } = this.options;
    await markInboundFailed(db, inboxId, error.message, now);
    const message = await inboundOrigin(db, inboxId);
    await inTransaction(db, (tx) =>
      queueMessage(
        tx,
        { channel: message.channel, botAccount: message.botAccount, address: message.roomExternalId ?? message.fromExternalId, isRoom: message.roomExternalId !== null },
        catalog.internalError,
        { now, inboxMessageId: inboxId, urgent: true },
      ),
    );
    this.options.onQueued?.();
  }
}
