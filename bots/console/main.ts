// `npm run chat -- --as <person id | invite code>`: talk to the bot in the terminal, on the
// configured database, as a registered person or as whoever an invite code was issued for.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { z } from 'zod';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import { serviceChannelHost } from '../../src/chat/serviceChannelHost';
import { loadConfig } from '../../src/config';
import { exitWith } from '../../src/fatal';
import { Dispatcher } from '../../src/jobs/dispatcher';
import { createLogger } from '../../src/log';
import { ensureChatIdentity } from '../../src/store/messaging/identities';
import { inviteExists } from '../../src/store/registry/invites';
import { namesOf } from '../../src/store/registry/people';
import { prepareDatabase } from '../../src/store/db/preparedDatabase';
import { CONSOLE_CHANNEL, ConsoleChannel } from './consoleChannel';

const asOption = z.string().regex(/^\d+$/, 'is a person id or a 6-digit invite code');

async function main(): Promise<void> {
  const program = new Command('chat').requiredOption('--as <who>', 'person id, or an invite code to bind with').parse();
  const who = asOption.parse(program.opts<{ as: string }>().as);
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { database } = await prepareDatabase(config, logger);
  const { db } = database;

  const invite = /^\d{6}$/.test(who) && (await inviteExists(db, who));
  const externalId = invite ? `console:invite:${who}` : `console:person:${who}`;
  if (!invite) {
    const name = (await namesOf(db, [Number(who)])).get(Number(who));
    if (name === undefined) throw new Error(`No person has id ${who} and no invite has code ${who}.`);
    await ensureChatIdentity(db, { channel: CONSOLE_CHANNEL, botAccount: 'default', externalId }, { id: Number(who), name });
  }

  const channel = new ConsoleChannel(process.stdout);
  const dispatcher = new Dispatcher({
    db,
    engine: database.engine,
    channels: [channel],
    sending: config.sending,
    timeZone: config.timeZone,
    instanceId: `console:${process.pid}`,
    logger,
    pollMs: 200,
  });
  const inbox = new InboxProcessor({
    db,
    engine: database.engine,
    settings: { timeZone: config.timeZone, inviteTtlDays: config.inviteTtlDays, caseDeadlines: config.caseDeadlines, attachmentMaxBytes: config.attachments.maxBytes },
    logger,
    onQueued: () => dispatcher.nudge(),
  });
  const host = serviceChannelHost(db, inbox, config.attachments.maxBytes);
  await channel.start(host);
  dispatcher.start();

  const say = (text: string) =>
    host.receive({ channel: CONSOLE_CHANNEL, botAccount: 'default', platformMessageId: randomUUID(), from: { externalId }, text, receivedAt: new Date() });
  process.stdout.write('守望 terminal chat. Type a message, or Ctrl-D to leave.\n');
  if (invite) await say(`绑定 ${who}`);

  const lines = createInterface({ input: process.stdin, terminal: process.stdin.isTTY });
  for await (const line of lines) await say(line);
  await dispatcher.stop();
  await database.close();
}

main().catch(exitWith);
