import type { Logger } from '../log';
import type { MessageMetrics } from '../metrics';
import type { Db } from '../store/database';
import { identifySender } from '../store/identities';
import { claimInbound, markInboundFailed, recordInbound, unhandledInbound } from '../store/inbox';
import { queueMessage, queueToCareRooms, queueToPerson, repliesTo } from '../store/outbox';
import { catalog } from './catalog';
import type { InboundMessage, InboundResult } from './channel';
import { routeMessage } from './router';
import type { ChatSettings, ChatTurn } from './turn';

export interface InboxProcessorOptions {
  db: Db;
  settings: ChatSettings;
  logger: Logger;
  clock?: () => Date;
  /** Called after handling queued messages, so the dispatcher sends them without waiting for its poll. */
  onQueued?: () => void;
  metrics?: MessageMetrics;
}

/**
 * channel → inbox row → router → outbox rows. The inbox row is written before handling, and
 * handling (its state changes, its outbox rows and marking the row handled) is one
 * transaction: a crash in between leaves the row to be handled on the next start, once.
 */
export class InboxProcessor {
  private readonly clock: () => Date;

  constructor(private readonly options: InboxProcessorOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async receive(message: InboundMessage): Promise<InboundResult> {
    const { id, duplicate } = await recordInbound(this.options.db, message);
    if (!duplicate) this.options.metrics?.received(message.channel);
    const handled = duplicate ? {} : await this.handle(id, message.from.tag);
    return { inboxId: id, duplicate, replies: await repliesTo(this.options.db, id), ...handled };
  }

  /** Handles rows a crash left unhandled; returns how many. */
  async recover(): Promise<number> {
    const ids = await unhandledInbound(this.options.db);
    for (const id of ids) await this.handle(id);
    if (ids.length > 0) this.options.logger.info({ count: ids.length }, 'handled inbound messages left by a previous run');
    return ids.length;
  }

  private async handle(inboxId: number, tag?: string): Promise<{ boundTag?: string }> {
    const { db, logger, settings } = this.options;
    const now = this.clock();
    try {
      const boundTag = await db.$transaction(
        async (tx) => {
          const message = await claimInbound(tx, inboxId, now);
          if (!message) return undefined;
          const sender = await identifySender(tx, { channel: message.channel, botAccount: message.botAccount, externalId: message.fromExternalId, tag }, now);
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
          await routeMessage(turn);
          return turn.boundTag;
        },
        { timeout: 15_000 },
      );
      this.options.onQueued?.();
      return boundTag ? { boundTag } : {};
    } catch (error) {
      logger.error({ err: error, inboxId }, 'handling an inbound message failed');
      await this.answerFailure(inboxId, error as Error, now);
      return {};
    }
  }

  /** The sender hears that something went wrong rather than silence; the row keeps the error. */
  private async answerFailure(inboxId: number, error: Error, now: Date): Promise<void> {
    const { db } = this.options;
    await markInboundFailed(db, inboxId, error.message, now);
    const message = await db.inboxMessage.findUniqueOrThrow({ where: { id: inboxId } });
    await db.$transaction((tx) =>
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
