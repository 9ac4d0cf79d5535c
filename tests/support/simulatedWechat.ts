import { randomUUID } from 'node:crypto';
import { InboxProcessor } from '../../src/chat/inboxProcessor';
import type { Job } from '../../src/jobs/job';
import { createLogger } from '../../src/log';
import type { Engine } from '../../src/store/db/providers';
import type { TestDatabase } from './testDatabase';

/**
 * WeChat users (wxid-<name>) and scheduled jobs at simulated times, on one test database: what
 * the reminder tests need to play a round from prompt to lists.
 */
export class SimulatedWechat {
  private now: Date;
  private readonly inbox: InboxProcessor;

  constructor(
    private readonly database: TestDatabase,
    private readonly engine: Engine,
    start: Date,
  ) {
    this.now = start;
    this.inbox = new InboxProcessor({ db: database.db, engine: database.engine, settings: { timeZone: 'Asia/Shanghai', inviteTtlDays: 7 }, logger: createLogger('silent'), clock: () => this.now });
  }

  /** Runs a job as if at `at`. */
  run(job: Job, at: Date) {
    return job.run({ db: this.database.db, engine: this.engine, now: at, timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
  }

  /** Gives a person a bound WeChat, wxid-<name>. */
  async bind(personId: number, name: string, at = this.now): Promise<void> {
    await this.database.db.chatIdentity.create({ data: { personId, channel: 'wechaty', botAccount: 'village-a', externalId: `wxid-${name}`, boundAt: at, lastSeenAt: at } });
  }

  /** `name` writes to the bot at `at`; returns the texts handling it queued. */
  async says(name: string, text: string, at: Date): Promise<string[]> {
    this.now = at;
    const result = await this.inbox.receive({ channel: 'wechaty', botAccount: 'village-a', platformMessageId: randomUUID(), from: { externalId: `wxid-${name}` }, text, receivedAt: at });
    return result.replies.map((reply) => reply.text);
  }

  /** What the jobs (not answers to messages) sent to `name`. */
  async promptsTo(name: string, where: { createdAt?: Date } = {}): Promise<string[]> {
    const rows = await this.database.db.outboxMessage.findMany({ where: { address: `wxid-${name}`, inboxMessageId: null, ...where }, orderBy: { id: 'asc' } });
    return rows.map((message) => message.text);
  }

  outboxSize(): Promise<number> {
    return this.database.db.outboxMessage.count();
  }
}
