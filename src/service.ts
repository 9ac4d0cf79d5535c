import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HttpChannel } from '../bots/http/httpChannel';
import { inviteQrDataUrl } from '../bots/wechat-mp/inviteQr';
import { WechatMpChannel } from '../bots/wechat-mp/wechatMpChannel';
import { WecomChannel } from '../bots/wecom/wecomChannel';
import { WECOM_CHANNEL } from '../bots/wecom/wecomApi';
import type { PuppetInstance } from '../bots/wechaty/wechatyChannel';
import { createApp } from './api/app';
import { createLimitedServer } from './api/clientLimits';
import type { InviteQr } from './api/route';
import type { Channel } from './channel';
import { InboxProcessor } from './chat/inboxProcessor';
import { serviceChannelHost } from './chat/serviceChannelHost';
import { SpoolingInbox } from './chat/spoolingInbox';
import type { Config } from './config';
import { CrashRecord } from './crashRecord';
import { Dispatcher } from './jobs/dispatcher';
import type { Job } from './jobs/job';
import { JOBS, jobSchedules } from './jobs/jobRegistry';
import { Scheduler } from './jobs/scheduler';
import { AuditSealer } from './jobs/auditSealer';
import type { Logger } from './log';
import { ServiceMetrics } from './metrics';
import type { Database } from './store/db/database';
import { InboundSpool } from './store/messaging/inboundSpool';
import { prepareDatabase } from './store/db/preparedDatabase';

export interface RunningService {
  url: string;
  database: Database;
  channels: Channel[];
  inbox: InboxProcessor;
  /** The inbox as channels reach it: spooled to disk while the database is away. */
  spoolingInbox: SpoolingInbox;
  dispatcher: Dispatcher;
  scheduler: Scheduler;
  metrics: ServiceMetrics;
  stop(): Promise<void>;
}

/** Replaceable parts, for tests: a mock Wechaty puppet, a fixed clock. */
export interface ServiceOverrides {
  wechatyPuppet?: (account: string) => PuppetInstance;
  clock?: () => Date;
  /** The scheduled jobs (default: every job of src/jobs/jobRegistry.ts). */
  jobs?: readonly Job[];
  /** Where unexpected exits are recorded, for /metrics. */
  crashes?: CrashRecord;
  /** How long a dispatcher holds the rows it sends (default two minutes): a takeover test need not wait that long. */
  sendLeaseMs?: number;
  /** How the official channels reach their platform (a simulated one in tests). */
  fetch?: typeof fetch;
  /** This instance's name (default host:pid:random). */
  instanceId?: string;
  /** The dispatcher loop is not started: the test runs its rounds with dispatcher.runOnce(). */
  manualDispatch?: boolean;
}

/** Composes the running service: database, inbox, dispatcher, channels and the HTTP server. */
export async function startService(config: Config, logger: Logger, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const schedules = jobSchedules(config.scheduleOverrides);
  const { database, cipher, keyring } = await prepareDatabase(config, logger);
  const { db } = database;
  const instanceId = overrides.instanceId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const metrics = new ServiceMetrics(db, overrides.clock, overrides.crashes ?? CrashRecord.in(config.dataDir), config.timeZone);
  const channels = configuredChannels(config, database, logger, overrides, { instanceId, metrics });
  const dispatcher = new Dispatcher({
    db,
    engine: database.engine,
    channels,
    sending: config.sending,
    timeZone: config.timeZone,
    instanceId,
    logger: logger.child({ component: 'dispatcher' }),
    clock: overrides.clock,
    quietHours: config.quietHours,
    metrics,
    leaseMs: overrides.sendLeaseMs,
  });
  const scheduler = new Scheduler({
    db,
    engine: database.engine,
    timeZone: config.timeZone,
    logger: logger.child({ component: 'scheduler' }),
    clock: overrides.clock,
    staleMs: config.jobStaleMs,
    retention: { ...config.retention, attachmentDir: config.attachments.dir },
    jobs: overrides.jobs ?? JOBS,
    schedules,
    instanceId,
    metrics,
  });
  const auditSealer = new AuditSealer({ db, instanceId, logger: logger.child({ component: 'audit-sealer' }), intervalMs: config.auditSealIntervalMs, clock: overrides.clock });
  const inbox = new InboxProcessor({
    db,
    engine: database.engine,
    settings: { timeZone: config.timeZone, inviteTtlDays: config.inviteTtlDays, caseDeadlines: config.caseDeadlines, referralDeadlines: config.referralDeadlines, attachmentMaxBytes: config.attachments.maxBytes },
    attachmentDir: config.attachments.dir,
    logger: logger.child({ component: 'inbox' }),
    clock: overrides.clock,
    onQueued: () => dispatcher.nudge(),
    metrics,
    directoryChannels: [WECOM_CHANNEL],
  });
  await inbox.recover();
  const spoolingInbox = new SpoolingInbox({
    inbox,
    spool: await InboundSpool.open(config.spoolDir, keyring),
    ping: () => database.ping(),
    logger: logger.child({ component: 'spool' }),
  });
  metrics.watchSpool(() => spoolingInbox.state());
  // What an earlier run spooled is older than anything that arrives from now on.
  await spoolingInbox.drain();

  const app = createApp({
    database,
    logger,
    cipher,
    routers: channels.flatMap((channel) => (channel.routes ? [channel.routes()] : [])),
    clock: overrides.clock,
    timeZone: config.timeZone,
    inviteTtlDays: config.inviteTtlDays,
    channels: () => channels.map((channel) => channel.status()),
    metrics,
    caseDeadlines: config.caseDeadlines,
    referralDeadlines: config.referralDeadlines,
    trustProxy: config.trustProxy,
    sessionIdleMs: config.sessionIdleMs,
    maxRequestsPerAddress: config.clientLimits.maxRequestsPerAddress,
    apiRatePerMinute: config.apiRatePerMinute,
    spool: () => spoolingInbox.state(),
    inviteQr: inviteQrOf(channels),
    attachmentDir: config.attachments.dir,
  });
  const server = await listen(createLimitedServer(app.callback(), config.clientLimits), config.host, config.port);
  // Only the HTTP channel answers its caller with the replies; the others send them through the outbox.
  const answering = new Set(channels.filter((channel) => channel instanceof HttpChannel).map((channel) => channel.name));
  const host = serviceChannelHost(db, spoolingInbox, config.attachments.maxBytes, answering);
  for (const channel of channels) await channel.start(host);
  if (!overrides.manualDispatch) dispatcher.start();
  scheduler.start();
  auditSealer.start();

  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, engine: database.engine, channels: channels.map((channel) => channel.name) }, 'Shouwang is listening');
  return {
    url,
    database,
    channels,
    inbox,
    spoolingInbox,
    dispatcher,
    scheduler,
    metrics,
    stop: async () => {
      const grace = config.stopTimeoutMs;
      // No new connections; requests in progress (inbound messages being handled) finish, within the grace.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const cutOff = setTimeout(() => server.closeAllConnections(), grace);
      // Messages a channel accepted before the close are handled before the dispatcher's last round.
      await Promise.all([closed.finally(() => clearTimeout(cutOff)), scheduler.stop(grace), inbox.settled().then(() => dispatcher.stop(grace))]);
      for (const channel of channels) await channel.stop();
      await spoolingInbox.stop();
      await auditSealer.stop();
      await database.close();
      logger.info('stopped');
    },
  };
}

/** The HTTP channel when CHANNEL_TOKEN is set, the official accounts configured, Wechaty when a puppet is; with none, one line on how. */
function configuredChannels(
  config: Config,
  database: Database,
  logger: Logger,
  overrides: ServiceOverrides,
  instance: { instanceId: string; metrics: ServiceMetrics },
): Channel[] {
  const channels: Channel[] = [];
  if (config.officialChannels.wechatMp.length > 0) {
    channels.push(
      new WechatMpChannel({
        accounts: config.officialChannels.wechatMp,
        db: database.db,
        logger,
        instanceId: instance.instanceId,
        timeZone: config.timeZone,
        clock: overrides.clock,
        fetch: overrides.fetch,
        metrics: instance.metrics,
        callbackRate: config.callbackRate,
      }),
    );
  }
  if (config.channelToken) channels.push(new HttpChannel({ token: config.channelToken, db: database.db }));
  if (config.officialChannels.wecom.length > 0) {
    channels.push(
      new WecomChannel({
        accounts: config.officialChannels.wecom,
        db: database.db,
        logger,
        instanceId: instance.instanceId,
        timeZone: config.timeZone,
        clock: overrides.clock,
        fetch: overrides.fetch,
        metrics: instance.metrics,
        callbackRate: config.callbackRate,
      }),
    );
  }
  if (config.wechaty) {
    mkdirSync(config.dataDir, { recursive: true });
    // Wechaty and its puppet stack hold some 75 MB once loaded: a service without it never loads them.
    const { WechatyChannel } = require('../bots/wechaty/wechatyChannel') as typeof import('../bots/wechaty/wechatyChannel');
    channels.push(
      new WechatyChannel({
        puppet: config.wechaty.puppet,
        accounts: config.wechaty.accounts,
        logger,
        sessionDir: path.resolve(config.dataDir),
        puppetFactory: overrides.wechatyPuppet,
      }),
    );
  }
  if (channels.length === 0) {
    logger.info(
      'No chat channel configured: set SHOUWANG_OFFICIAL_CHANNELS(_FILE) for a 服务号 or WeCom application, CHANNEL_TOKEN for the HTTP channel, or WECHATY_PUPPET for Wechaty.',
    );
  }
  return channels;
}

/** Invite QR codes come from the first 服务号 account, when there is one. */
function inviteQrOf(channels: Channel[]): InviteQr | undefined {
  const mp = channels.find((channel): channel is WechatMpChannel => channel instanceof WechatMpChannel);
  const api = mp?.api(mp.accounts()[0] ?? '');
  return api && ((invite, now) => inviteQrDataUrl(api, invite, now));
}

function listen(server: Server, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
