import { InboxProcessor } from '../src/chat/inboxProcessor';
import type { Logger } from '../src/log';
import type { Database } from '../src/store/db/database';
import { elapsedMs, percentiles, round, runPool, type Latency } from './measure';
import { BENCH_BOT_ACCOUNT, BENCH_CHANNEL, type Sender } from './seed';

export interface InboundFigures extends Latency {
  messages: number;
  concurrency: number;
  wallMs: number;
  messagesPerSecond: number;
  /** This process's CPU time per message: steadier than wall time on a shared machine (SQLite's work is all in-process). */
  cpuMsPerMessage: number;
  /** Replies written: one per message, or the path dropped one. */
  replies: number;
  /**
   * The same two figures over the messages after the first fifth, once the process is warm (JIT,
   * statements prepared, pool open): shown beside the whole run's, which is what targets are held to.
   */
  warm: { messagesPerSecond: number; cpuMsPerMessage: number };
}

/** The share of messages counted as warm-up in `warm`. */
const WARM_UP_SHARE = 0.2;

/** The keyword message every sender sends unless told otherwise. */
export const keywordTextOf = (sender: Sender) => `已联系 ${sender.childName} 视频 20`;

/** What a parent types instead of the keyword; the understanding step reads it as this week's contact. */
export const freeTextOf = (sender: Sender) => `刚和${sender.childName}视频聊了二十分钟，孩子挺好的`;

/** Parents' own words, taken in turn: contact in two phrasings (each logs it), a question about the child, thanks (one line back). */
export const FREE_TEXTS: Array<{ textOf: (sender: Sender) => string; logsContact: boolean }> = [
  { textOf: freeTextOf, logsContact: true },
  { textOf: (sender) => `今天跟${sender.childName}打了电话，聊了半个小时`, logsContact: true },
  { textOf: (sender) => `${sender.childName}最近怎么样`, logsContact: false },
  { textOf: () => '谢谢老师，辛苦了', logsContact: false },
];

/**
 * `已联系 <孩子> 视频 20` from each sender, through InboxProcessor.receive as a channel calls it
 * (inbox row, router, contact log, reply in the outbox), `concurrency` messages in flight.
 */
export async function measureInbound(
  { db, engine }: Pick<Database, 'db' | 'engine'>,
  senders: Sender[],
  options: { concurrency: number; now: Date; timeZone: string; logger: Logger; textOf?: (sender: Sender) => string },
): Promise<InboundFigures> {
  const processor = new InboxProcessor({ db, engine, settings: { timeZone: options.timeZone, inviteTtlDays: 7 }, logger: options.logger, clock: () => options.now });
  let replies = 0;
  const startedAt = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const warmFrom = Math.floor(senders.length * WARM_UP_SHARE);
  let warmStartedAt = startedAt;
  let warmCpuBefore = cpuBefore;
  const latencies = await runPool(senders.length, options.concurrency, async (index) => {
    if (index === warmFrom) [warmStartedAt, warmCpuBefore] = [process.hrtime.bigint(), process.cpuUsage()];
    const sender = senders[index]!;
    const result = await processor.receive({
      channel: BENCH_CHANNEL,
      botAccount: BENCH_BOT_ACCOUNT,
      platformMessageId: `bench-in-${sender.personId}`,
      from: { externalId: sender.externalId },
      text: (options.textOf ?? keywordTextOf)(sender),
      receivedAt: options.now,
    });
    replies += result.replies.length;
  });
  const wallMs = elapsedMs(startedAt);
  const cpu = process.cpuUsage(cpuBefore);
  const warmMs = elapsedMs(warmStartedAt);
  const warmCpu = process.cpuUsage(warmCpuBefore);
  const warmMessages = senders.length - warmFrom;
  return {
    messages: senders.length,
    concurrency: options.concurrency,
    wallMs: round(wallMs),
    messagesPerSecond: round((senders.length / wallMs) * 1000, 0),
    cpuMsPerMessage: round((cpu.user + cpu.system) / 1000 / senders.length, 3),
    ...percentiles(latencies),
    replies,
    warm: { messagesPerSecond: round((warmMessages / warmMs) * 1000, 0), cpuMsPerMessage: round((warmCpu.user + warmCpu.system) / 1000 / warmMessages, 3) },
  };
}
