import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HttpChannel } from '../bots/http/httpChannel';
import { WechatyChannel, type PuppetInstance } from '../bots/wechaty/wechatyChannel';
import { createApp } from './api/app';
import type { Channel } from './channel';
import { InboxProcessor } from './chat/inboxProcessor';
import { serviceChannelHost } from './chat/serviceChannelHost';
import type { Config } from './config';
import { Dispatcher } from './jobs/dispatcher';
import type { Job } from './jobs/job';
import { JOBS, jobSchedules } from './jobs/jobRegistry';
import { Scheduler } from './jobs/scheduler';
import type { Logger } from './log';
import { ServiceMetrics } from './metrics';
import type { Database } from './store/database';
import { prepareDatabase } from './store/preparedDatabase';

export interface RunningService {
  url: string;
  database: Database;
  channels: Channel[];
  inbox: InboxProcessor;
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
}

/** Composes the running service: database, inbox, dispatcher, channels and the HTTP server. */
export async function startService(config: Config, logger: Logger, overrides: ServiceOverrides = {}): Promise<RunningService> {
  const schedules = jobSchedules(config.scheduleOverrides);
  const { database, cipher } = await prepareDatabase(config, logger);
  const { db } = database;
  const channels = configuredChannels(config, database, logger, overrides);
  const instanceId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const metrics = new ServiceMetrics(db, overrides.clock);
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
  });
  const scheduler = new Scheduler({
    db,
    engine: database.engine,
    timeZone: config.timeZone,
    logger: logger.child({ component: 'scheduler' }),
    clock: overrides.clock,
    staleMs: config.jobStaleMs,
    jobs: overrides.jobs ?? JOBS,
    schedules,
    instanceId,
    metrics,
  });
  const inbox = new InboxProcessor({
    db,
    settings: { timeZone: config.timeZone, inviteTtlDays: config.inviteTtlDays, caseDeadlines: config.caseDeadlines, attachmentMaxBytes: config.attachments.maxBytes },
    attachmentDir: config.attachments.dir,
    logger: logger.child({ component: 'inbox' }),
    clock: overrides.clock,
    onQueued: () => dispatcher.nudge(),
    metrics,
  });
  await inbox.recover();

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
    trustProxy: config.trustProxy,
  });
  const server = await listen(app.callback(), config.host, config.port);
  const host = serviceChannelHost(db, inbox, config.attachments.maxBytes);
  for (const channel of channels) await channel.start(host);
  dispatcher.start();
  scheduler.start();

  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, engine: database.engine, channels: channels.map((channel) => channel.name) }, 'Shouwang is listening');
  return {
    url,
    database,
    channels,
    inbox,
    dispatcher,
    scheduler,
    metrics,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scheduler.stop();
      await dispatcher.stop();
      for (const channel of channels) await channel.stop();
      await database.close();
    },
  };
}

/** The HTTP channel when CHANNEL_TOKEN is set, WeChat when a puppet is; with neither, one line on how. */
function configuredChannels(config: Config, database: Database, logger: Logger, overrides: ServiceOverrides): Channel[] {
  const channels: Channel[] = [];
  if (config.channelToken) channels.push(new HttpChannel({ token: config.channelToken, db: database.db }));
  if (config.wechaty) {
    mkdirSync(config.dataDir, { recursive: true });
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
      'No chat channel configured: set CHANNEL_TOKEN to enable the HTTP channel, or WECHATY_PUPPET (e.g. wechaty-puppet-wechat4u) to connect WeChat.',
    );
  }
  return channels;
}

function listen(handler: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
