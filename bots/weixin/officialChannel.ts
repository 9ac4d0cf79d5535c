import type Router from '@koa/router';
import { SendFailure, type Channel, type ChannelHost, type ChannelStatus, type OutboundMessage } from '../../src/channel';
import type { Logger } from '../../src/log';
import type { Db } from '../../src/store/db/database';
import type { CallbackLimitMetrics, CallbackLimitOptions } from './callbackRoutes';
import type { OfficialApi, OfficialApiOptions, PlatformCallMetrics } from './officialApi';

export interface OfficialChannelOptions<Account> {
  accounts: Account[];
  db: Db;
  logger: Logger;
  /** This instance, as token lease owner. */
  instanceId: string;
  timeZone: string;
  clock?: () => Date;
  fetch?: typeof fetch;
  metrics?: PlatformCallMetrics & CallbackLimitMetrics;
  /** Pushes per sender and per account a minute (SHOUWANG_CALLBACK_RATE_PER_MINUTE …); without it none are limited. */
  callbackRate?: { perSenderPerMinute: number; perAccountPerMinute: number };
}

type ApiOptions = Omit<OfficialApiOptions, 'channel' | 'accountName' | 'apiBase'>;

/**
 * What the 服务号 and WeCom channels share: one API per configured account, the account states
 * /healthz shows (the shared token's, never the token), the last callback, and the stop every
 * instance honours once an account's daily quota is used up.
 */
export abstract class OfficialChannel<Account extends { name: string }, Api extends OfficialApi> implements Channel {
  abstract readonly name: string;
  protected host: ChannelHost | undefined;
  protected readonly apis = new Map<string, Api>();
  protected readonly clock: () => Date;
  private readonly lastCallback = new Map<string, Date>();

  constructor(
    protected readonly options: OfficialChannelOptions<Account>,
    makeApi: (account: Account, options: ApiOptions) => Api,
  ) {
    this.clock = options.clock ?? (() => new Date());
    for (const account of options.accounts) {
      this.apis.set(account.name, makeApi(account, { db: options.db, owner: options.instanceId, clock: this.clock, timeZone: options.timeZone, fetch: options.fetch, metrics: options.metrics }));
    }
  }

  abstract send(message: OutboundMessage): Promise<void>;
  abstract routes(): Router;

  accounts(): string[] {
    return this.options.accounts.map((account) => account.name);
  }

  /** Reads each account's shared token state first, so /healthz shows it before the first send. */
  async start(host: ChannelHost): Promise<void> {
    for (const api of this.apis.values()) await api.token.look();
    this.host = host;
  }

  async stop(): Promise<void> {
    this.host = undefined;
  }

  /** The API of one account (the CLI and the invite QR route use it too). */
  api(account: string): Api | undefined {
    return this.apis.get(account);
  }

  status(): ChannelStatus {
    return {
      channel: this.name,
      accounts: this.options.accounts.map((account) => ({
        name: account.name,
        state: this.host ? 'logged_in' : 'stopped',
        ...this.apis.get(account.name)!.token.state(),
        lastCallbackAt: this.lastCallback.get(account.name)?.toISOString() ?? null,
        quotaUsedUntil: this.apis.get(account.name)!.quotaUsedUntil(),
      })),
    };
  }

  /** For the callback routes: the limits of pushes, counted in this channel's database. */
  protected callbackLimit(): CallbackLimitOptions | undefined {
    const rate = this.options.callbackRate;
    return rate && { db: this.options.db, ...rate, metrics: this.options.metrics };
  }

  /** For the callback routes: the platform reached this account now. */
  protected calledBack(account: string): void {
    this.lastCallback.set(account, this.clock());
  }

  /** The account and API an outbox row names; deferred while the account's daily quota is used up. */
  protected async sender(message: OutboundMessage): Promise<{ account: Account; api: Api }> {
    const account = this.options.accounts.find((candidate) => candidate.name === message.botAccount);
    const api = this.apis.get(message.botAccount);
    if (!account || !api) throw new SendFailure(`no ${this.name} account ${message.botAccount} is configured`, true);
    await api.checkQuota();
    return { account, api };
  }
}
