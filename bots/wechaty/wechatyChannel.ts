import path from 'node:path';
import qrcodeTerminal from 'qrcode-terminal';
import {
  qrcodeValueToImageUrl,
  ScanStatus,
  types,
  WechatyBuilder,
  type Friendship,
  type Message,
  type OfficialPuppetNpmName,
  type Wechaty,
  type WechatyOptions,
} from 'wechaty';
import {
  SendFailure,
  type AccountState,
  type Channel,
  type ChannelHost,
  type ChannelStatus,
  type InboundAttachment,
  type OutboundMessage,
} from '../../src/channel';
import type { Logger } from '../../src/log';

const CHANNEL = 'wechaty';
/** A send that hangs fails well within the dispatcher's lease, so no other instance repeats it meanwhile. */
const SEND_TIMEOUT_MS = 30_000;

/** A Wechaty puppet instance (what WechatyBuilder accepts in place of a package name). */
export type PuppetInstance = Exclude<NonNullable<WechatyOptions['puppet']>, string>;

export interface WechatyAccountConfig {
  name: string;
  /** Token of a service puppet (e.g. padlocal); passed as `puppetOptions.token`. */
  token?: string;
}

export interface WechatyChannelOptions {
  /** Puppet package name from WECHATY_PUPPET, e.g. wechaty-puppet-wechat4u. */
  puppet: string;
  accounts: WechatyAccountConfig[];
  logger: Logger;
  /** Supplies the puppet of each account instead of loading `puppet` (tests pass a PuppetMock). */
  puppetFactory?: (account: string) => PuppetInstance;
  /** Folder for each account's login session (Wechaty memory card); the working directory when unset. */
  sessionDir?: string;
  /** Where login QR codes are drawn; the terminal by default. */
  qrOutput?: { write(text: string): unknown };
}

interface Account extends WechatyAccountConfig {
  state: AccountState;
  user?: string;
  bot?: Wechaty;
}

/** WeChat (or any Wechaty puppet): one Wechaty bot per configured account. */
export class WechatyChannel implements Channel {
  readonly name = CHANNEL;
  private readonly accountList: Account[];
  private readonly logger: Logger;

  constructor(private readonly options: WechatyChannelOptions) {
    this.logger = options.logger.child({ channel: CHANNEL });
    this.accountList = options.accounts.map((account) => ({ ...account, state: 'stopped' }));
  }

  accounts(): string[] {
    return this.accountList.map((account) => account.name);
  }

  status(): ChannelStatus {
    return {
      channel: CHANNEL,
      accounts: this.accountList.map(({ name, state, user }) => (user ? { name, state, user } : { name, state })),
    };
  }

  /** Starts every account's bot; one that cannot start is logged and left stopped, unless none can. */
  async start(host: ChannelHost): Promise<void> {
    const results = await Promise.allSettled(this.accountList.map((account) => this.startAccount(account, host)));
    const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failures.length > 0 && failures.length === results.length) {
      throw new Error(`no WeChat account could start: ${errorMessage(failures[0]!.reason)}`);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.accountList.map(async (account) => {
        const bot = account.bot;
        if (!bot) return;
        // Set first: stopping the puppet emits a logout that must not read as a lost session.
        account.state = 'stopped';
        account.user = undefined;
        account.bot = undefined;
        try {
          await bot.stop();
        } catch (error) {
          this.logger.error({ account: account.name, err: error }, 'WeChat bot did not stop cleanly');
        }
      }),
    );
  }

  async send(message: OutboundMessage): Promise<void> {
    const account = this.accountList.find((candidate) => candidate.name === message.botAccount);
    if (!account) throw new SendFailure(`no WeChat account named ${message.botAccount}`, true);
    const bot = account.bot;
    if (!bot || !bot.isLoggedIn) throw new SendFailure(`WeChat account ${account.name} is not logged in`, false);

    const target = message.isRoom ? await bot.Room.find({ id: message.address }) : await bot.Contact.find({ id: message.address });
    if (!target) {
      // Not permanent: Wechaty also finds nothing when the puppet fails for a moment, and some
      // puppets hand out new contact ids after a re-login; backoff gives both time to recover.
      throw new SendFailure(`WeChat account ${account.name} has no ${message.isRoom ? 'room' : 'contact'} ${message.address}`, false);
    }
    try {
      await withTimeout(target.say(message.text), SEND_TIMEOUT_MS);
    } catch (error) {
      throw new SendFailure(`WeChat account ${account.name} could not send: ${errorMessage(error)}`, false);
    }
  }

  private async startAccount(account: Account, host: ChannelHost): Promise<void> {
    const bot = WechatyBuilder.build(this.wechatyOptions(account));
    this.listen(account, bot, host);
    account.bot = bot;
    account.state = 'starting';
    try {
      await bot.start();
    } catch (error) {
      account.state = 'stopped';
      account.bot = undefined;
      this.logger.error({ account: account.name, err: error }, 'WeChat bot could not start');
      throw error;
    }
  }

  private wechatyOptions(account: Account): WechatyOptions {
    // The name keys the bot's memory card (its login session), so accounts must not share it;
    // an absolute name keeps the session file in the data folder instead of the working directory.
    const name = path.join(this.options.sessionDir ?? '', `shouwang-${account.name}`);
    if (this.options.puppetFactory) return { name, puppet: this.options.puppetFactory(account.name) };
    return {
      name,
      // Any installed puppet package works; Wechaty's type lists only the official ones.
      puppet: this.options.puppet as OfficialPuppetNpmName,
      ...(account.token ? { puppetOptions: { token: account.token } } : {}),
    };
  }

  private listen(account: Account, bot: Wechaty, host: ChannelHost): void {
    const logger = this.logger.child({ account: account.name });
    // Wechaty re-emits every puppet failure as 'error'; with no listener Node would throw it and crash the service.
    bot.on('error', (error) => logger.error({ err: error }, 'Wechaty error'));
    bot.on('puppet', (puppet) => {
      puppet.on('reset', ({ data }) => logger.warn({ reason: data }, 'WeChat connection is being reset, reconnecting'));
    });
    bot.on('scan', (qrcode, status) => {
      account.state = 'waiting_for_login';
      if (!qrcode || (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout)) {
        logger.info({ status: ScanStatus[status] }, 'login scan status');
        return;
      }
      logger.info({ qrcodeUrl: qrcodeValueToImageUrl(qrcode) }, 'scan the QR code to log in');
      try {
        qrcodeTerminal.generate(qrcode, { small: true }, (art) => {
          (this.options.qrOutput ?? process.stdout).write(`Scan with WeChat to log in account ${account.name}:\n${art}\n`);
        });
      } catch (error) {
        // A listener's throw would surface inside the puppet; the link above still works.
        logger.warn({ err: error }, 'could not draw the QR code in the terminal');
      }
    });
    bot.on('login', (user) => {
      const again = account.state === 'logged_out';
      account.state = 'logged_in';
      account.user = user.name();
      logger.info({ user: account.user }, again ? 'WeChat account logged in again' : 'WeChat account logged in');
    });
    bot.on('logout', (_user, reason) => {
      if (account.state === 'stopped') return;
      account.state = 'logged_out';
      logger.warn({ reason }, 'WeChat account logged out; scan the next QR code to log in again');
    });
    bot.on('message', (message) => this.onMessage(account.name, host, message, logger));
    bot.on('friendship', (friendship) => this.onFriendship(account.name, host, friendship, logger));
  }

  private async onMessage(botAccount: string, host: ChannelHost, message: Message, logger: Logger): Promise<void> {
    try {
      const attachmentKind = ATTACHMENT_KINDS.get(message.type());
      if (message.self() || (message.type() !== types.Message.Text && !attachmentKind)) return;
      const talker = message.talker();
      // Official accounts push articles; answering them would only spam.
      if (talker.type() === types.Contact.Official) return;

      const room = message.room();
      // Photos and voice notes belong to a report being filed in private chat; in rooms they are family life.
      if (attachmentKind && room) return;
      let text = message.text();
      const mentionsBot = room ? await message.mentionSelf() : false;
      if (room) {
        if (mentionsBot) {
          text = await message.mentionText();
        } else if (!(await mayBeCareRoom(host, botAccount, room.id, logger))) {
          logger.debug({ messageId: message.id, room: room.id }, 'room message without a mention ignored');
          return;
        }
      }

      const tag = await talker.alias();
      const result = await host.receive({
        channel: CHANNEL,
        botAccount,
        platformMessageId: message.id,
        kind: 'message',
        from: { externalId: talker.id, name: talker.name(), tag },
        room: room ? { externalId: room.id, topic: await room.topic(), mentionsBot } : undefined,
        ...(attachmentKind ? { text: '', attachment: await readAttachment(message, attachmentKind, host.attachmentMaxBytes) } : { text }),
        receivedAt: message.date(),
      });
      logger.debug({ messageId: message.id, inboxId: result.inboxId, duplicate: result.duplicate }, 'message received');
      // The remark survives a puppet that hands out new contact ids after a re-login.
      if (result.boundTag && result.boundTag !== tag) {
        await talker.alias(result.boundTag);
        logger.info({ contact: talker.id }, 'bound person tagged with a contact remark');
      }
    } catch (error) {
      logger.error({ messageId: message.id, err: error }, 'could not handle a WeChat message');
    }
  }

  /**
   * A friend request is recorded first (in the spool while the database is away), then accepted
   * when its greeting carries a valid invite code. While the code cannot be checked, a greeting
   * with a code's shape is accepted: binding checks the code itself when the person sends it.
   */
  private async onFriendship(botAccount: string, host: ChannelHost, friendship: Friendship, logger: Logger): Promise<void> {
    try {
      if (friendship.type() !== types.Friendship.Receive) return;
      const contact = friendship.contact();
      const hello = friendship.hello();
      const now = new Date();
      const result = await host.receive({
        channel: CHANNEL,
        botAccount,
        platformMessageId: `friendship:${friendship.id}`,
        kind: 'friendship',
        from: { externalId: contact.id, name: contact.name(), tag: await contact.alias() },
        text: hello,
        receivedAt: now,
      });
      const context = { friendshipId: friendship.id, contact: contact.id };
      if (result.duplicate) {
        logger.debug(context, 'friend request already handled');
        return;
      }
      const invited = await withTimeout(host.hasValidInviteCode(hello, now), DATABASE_CHECK_MS).catch((error: unknown) => {
        logger.warn({ ...context, err: error }, 'invite code cannot be checked now: a greeting with a code is accepted, binding checks it');
        return INVITE_CODE_SHAPE.test(hello);
      });
      if (!invited) {
        logger.info(context, 'friend request without a valid invite code ignored');
        return;
      }
      await friendship.accept();
      logger.info(context, 'friend request accepted');
      if (result.boundTag) {
        await contact.alias(result.boundTag);
        logger.info({ contact: contact.id }, 'bound person tagged with a contact remark');
      }
    } catch (error) {
      logger.error({ friendshipId: friendship.id, err: error }, 'could not handle a WeChat friend request');
    }
  }
}

/** How long a check against the database may take before the message is kept anyway (a cut connection hangs). */
const DATABASE_CHECK_MS = 3_000;
/** An invite code's shape (store/registry/invites.ts issues six digits). */
const INVITE_CODE_SHAPE = /\d{6}/;

/**
 * Whether a room message without a mention may be for the bot: the room is a care room, or that
 * cannot be checked now (the database is away). Then the message is kept (spooled) and handling
 * reads it only if the room is a care room, so nothing said there is lost.
 */
async function mayBeCareRoom(host: ChannelHost, botAccount: string, roomId: string, logger: Logger): Promise<boolean> {
  try {
    return await withTimeout(host.isCareRoom(CHANNEL, botAccount, roomId), DATABASE_CHECK_MS);
  } catch (error) {
    logger.warn({ room: roomId, err: error }, 'care room cannot be checked now: the message is kept and checked when handled');
    return true;
  }
}

const ATTACHMENT_KINDS = new Map<types.Message, InboundAttachment['kind']>([
  [types.Message.Image, 'image'],
  [types.Message.Audio, 'audio'],
  [types.Message.Video, 'video'],
  [types.Message.Attachment, 'file'],
]);

/** The file of a photo, voice note, video or file message; not fetched when FileBox already knows it is too large. */
async function readAttachment(message: Message, kind: InboundAttachment['kind'], maxBytes: number): Promise<InboundAttachment> {
  const fileBox = await message.toFileBox();
  const mimeType = fileBox.mediaType && fileBox.mediaType !== 'application/octet-stream' && fileBox.mediaType !== 'application/unknown' ? fileBox.mediaType : undefined;
  const base = { kind, name: fileBox.name, ...(mimeType ? { mimeType } : {}) };
  // size is -1 when FileBox does not know it (a stream, a URL not yet fetched)
  if (fileBox.size > maxBytes) return { ...base, size: fileBox.size };
  return { ...base, data: await fileBox.toBuffer() };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from WeChat within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
