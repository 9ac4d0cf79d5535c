import type { Logger } from '../log';
import { sealAuditLog } from '../store/audit/auditChain';
import type { Db } from '../store/db/database';

export interface AuditSealerOptions {
  db: Db;
  instanceId: string;
  logger: Logger;
  /** Time between seals. */
  intervalMs: number;
  clock?: () => Date;
}

const BATCH_SIZE = 500;

/**
 * Every few seconds, takes the audit rows written since into the hash chain, on whichever
 * instance holds the sealer's lease. Each seal logs the chain's head: the log kept elsewhere is
 * the anchor that shows a chain rewritten from scratch.
 */
export class AuditSealer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly clock: () => Date;

  constructor(private readonly options: AuditSealerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.sealOnce().then(() => {
        this.running = undefined;
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Seals what is waiting; never throws (a failed seal is retried at the next tick). */
  async sealOnce(): Promise<number> {
    const { db, instanceId, intervalMs, logger } = this.options;
    try {
      // The lease outlives a few ticks, so a live sealer keeps it while a dead one's soon runs out.
      const { sealed, head } = await sealAuditLog(db, { instance: instanceId, now: this.clock(), leaseMs: intervalMs * 6, batchSize: BATCH_SIZE });
      if (sealed > 0) logger.info({ sealed, ...head }, 'audit rows sealed into the chain');
      return sealed;
    } catch (error) {
      logger.warn({ err: error }, 'audit sealing failed; retried at the next tick');
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
