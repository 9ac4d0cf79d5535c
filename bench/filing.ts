import type { Db, ReportType, Severity } from '../src/store/database';
import { personActor, recordAudit } from '../src/store/auditLog';
import { queueToPerson } from '../src/store/outbox';
import { fileReport } from '../src/store/reports';
import { elapsedMs, percentiles, round, runPool, type Latency } from './measure';
import type { Filer } from './seed';

export interface FilingFigures extends Latency {
  reports: number;
  concurrency: number;
  wallMs: number;
}

/** Filing one report as the director's chat handler would: the case, its audit entry and the answer, in one transaction. */
export type FileOne = (db: Db, filer: Filer, index: number, at: { now: Date; timeZone: string }) => Promise<void>;

const TYPES: ReportType[] = ['guardianship_gap', 'dropout', 'illness_or_accident', 'psychological', 'living_hardship', 'other'];
const SEVERITIES: Severity[] = ['normal', 'normal', 'high'];

/**
 * Until the 报告 command lands, filing goes through the store's fileReport directly. At merge, point
 * this at the message path instead: InboxProcessor.receive with `报告 <孩子> <类型> <描述>` from the
 * filer's director (see measureInbound for how a message is sent).
 */
export const fileThroughStore: FileOne = async (db, filer, index, { now, timeZone }) => {
  await db.$transaction(async (tx) => {
    const report = await fileReport(tx, {
      childId: filer.childId,
      areaId: filer.villageId,
      type: TYPES[index % TYPES.length]!,
      severity: SEVERITIES[index % SEVERITIES.length]!,
      description: `孩子近一周情绪低落，放学后不愿回家（基准 ${index}）`,
      source: 'director',
      reporterId: filer.directorId,
      now,
      timeZone,
    });
    await recordAudit(tx, { at: now, actor: personActor(filer.directorId), action: 'report.file', subjectType: 'Report', subjectId: report.id, after: { number: report.number } });
    await queueToPerson(tx, filer.directorId, `已登记 ${report.number}`, { now, urgent: true });
  });
};

/** Directors file far less often than parents log contact: a handful at once, not a channel's worth. */
export const FILING_CONCURRENCY = 4;

export async function measureFiling(db: Db, filers: Filer[], fileOne: FileOne, at: { now: Date; timeZone: string }): Promise<FilingFigures> {
  const startedAt = process.hrtime.bigint();
  const latencies = await runPool(filers.length, FILING_CONCURRENCY, (index) => fileOne(db, filers[index]!, index, at));
  return { reports: filers.length, concurrency: FILING_CONCURRENCY, wallMs: round(elapsedMs(startedAt)), ...percentiles(latencies) };
}
