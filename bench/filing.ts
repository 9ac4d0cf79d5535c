import { InboxProcessor } from '../src/chat/inboxProcessor';
import type { Logger } from '../src/log';
import type { Database } from '../src/store/db/database';
import { elapsedMs, percentiles, round, runPool, type Latency } from './measure';
import { BENCH_BOT_ACCOUNT, BENCH_CHANNEL, type Filer } from './seed';

export interface FilingFigures extends Latency {
  reports: number;
  concurrency: number;
  wallMs: number;
  /** The process's CPU (user and system) a report: on a shared machine, steadier than the latencies. */
  cpuMsPerReport: number;
  /** Filers whose answer named the case number of the report filed on their child: all of them, or filing lost one. */
  confirmed: number;
}

/**
 * Types as directors write them: care gaps mostly, and one in six a mandatory-reporting case
 * (打骂), filed urgent and alerting the township at once.
 */
const TYPE_WORDS = ['监护缺失', '辍学', '生病', '情绪低落', '生活困难', '打骂'];

/** Directors file far less often than parents log contact: a handful at once, not a channel's worth. */
export const FILING_CONCURRENCY = 4;

/**
 * `报告 <孩子> <类型> <描述>` from each filer's director, through InboxProcessor.receive as a
 * channel calls it (inbox row, router, 报告 command, case with its first step and audit entry,
 * alerts, answer in the outbox), FILING_CONCURRENCY at once.
 */
export async function measureFiling({ db, engine }: Pick<Database, 'db' | 'engine'>, filers: Filer[], options: { now: Date; timeZone: string; logger: Logger }): Promise<FilingFigures> {
  const processor = new InboxProcessor({ db, engine, settings: { timeZone: options.timeZone, inviteTtlDays: 7 }, logger: options.logger, clock: () => options.now });
  const answers = new Array<string[]>(filers.length);
  const startedAt = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const latencies = await runPool(filers.length, FILING_CONCURRENCY, async (index) => {
    const filer = filers[index]!;
    const result = await processor.receive({
      channel: BENCH_CHANNEL,
      botAccount: BENCH_BOT_ACCOUNT,
      platformMessageId: `bench-report-${index}`,
      from: { externalId: filer.directorExternalId },
      text: `报告 ${filer.childName} ${TYPE_WORDS[index % TYPE_WORDS.length]} 孩子近一周放学后不愿回家，晚上常一个人在村口（基准 ${index}）`,
      receivedAt: options.now,
    });
    answers[index] = result.replies.filter((reply) => reply.address === filer.directorExternalId).map((reply) => reply.text);
  });
  const wallMs = elapsedMs(startedAt);
  const cpu = process.cpuUsage(cpuBefore);

  // Each filer's child gets exactly one report in the run, so its number is the one the answer must name.
  const filed = await db.report.findMany({ where: { childId: { in: filers.map((filer) => filer.childId) } }, select: { childId: true, number: true } });
  const numberOf = new Map(filed.map((report) => [report.childId, report.number]));
  const confirmed = filers.filter((filer, index) => {
    const number = numberOf.get(filer.childId);
    return number !== undefined && answers[index]!.some((text) => text.includes(number));
  }).length;
  return { reports: filers.length, concurrency: FILING_CONCURRENCY, wallMs: round(wallMs), cpuMsPerReport: round((cpu.user + cpu.system) / 1000 / filers.length, 3), ...percentiles(latencies), confirmed };
}
