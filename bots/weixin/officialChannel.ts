import type Router from '@koa/router';
import { SendDeferred, SendFailure, type Channel, type ChannelHost, type ChannelStatus, type OutboundMessage } from '../../src/channel';
import type { Logger } from '../../src/log';
import type { Db } from '../../src/store/database';
import { readPlatformToken } from '../../src/store/platformTokens';
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
  metrics?: PlatformCallMetrics;
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

  async start(host: ChannelHost): Promise<void> {
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
        token: this.apis.get(account.name)!.token.state(),
        lastCallbackAt: this.lastCallback.get(account.name)?.toISOString() ?? null,
      })),
    };
  }

  /** For the callback routes: the platform reached this account now. */
  protected calledBack(account: string): void {
    this.lastCallback.set(account, this.clock());
  }

  /** The account and API an outbox row names; deferred while the account's daily quota is used up (45009). */
  protected async sender(message: OutboundMessage): Promise<{ account: Account; api: Api }> {
    const account = this.options.accounts.find((candidate) => candidate.name === message.botAccount);
    const api = this.apis.get(message.botAccount);
    if (!account || !api) throw new SendFailure(`no ${this.name} account ${message.botAccount} is configured`, true);
    const { blockedUntil } = await readPlatformToken(this.options.db, api.key);
    if (blockedUntil && blockedUntil > this.clock()) throw new SendDeferred('the account’s daily API quota is used up (45009)', blockedUntil);
    return { account, api };
  }
}
