import { deleteAttachments } from '../messaging/attachments';
import { Prisma, type Db } from '../db/database';

export interface RetentionPeriods {
  /** Years after a child turned 18, or left the area (archived), before they are anonymised. */
  childYears: number;
  /** Days an inbound or outbound message keeps its text once handled or sent. */
  messageDays: number;
  /** Days after a case was closed or dismissed before it is archived (out of the case lists). */
  caseDays: number;
  /** Where attachment files live: the files of purged cases and messages are deleted there. */
  attachmentDir?: string;
}

/** The defaults README "Retention" explains. */
export const DEFAULT_RETENTION: RetentionPeriods = { childYears: 3, messageDays: 30, caseDays: 365 };

export interface RetentionReport {
  childrenAnonymised: number;
  /** Closed or dismissed cases archived: no longer listed unless asked for, kept whole for the ledgers and the audit. */
  casesArchived: number;
  inboxTextsPurged: number;
  outboxTextsPurged: number;
  /** Attachment files deleted from disk: those of anonymised children's cases and purged messages that nothing else names. */
  attachmentsDeleted: number;
}

const ANONYMISED_TEXT = '（已按保存期限匿名化）';
const YEAR_MS = 365.25 * 86_400_000;

/**
 * Applies the retention periods as of `now`. Rows are kept and only their words go, so every
 * count in the ledgers (children per village, cases by type, messages sent) stays what it was.
 * A dry run counts what a real run would change and writes nothing.
 */
export async function applyRetention(db: Db, periods: RetentionPeriods, now: Date, options: { dryRun: boolean }): Promise<RetentionReport> {
  const children = await childrenDue(db, periods, now);
  const messageCutoff = new Date(now.getTime() - periods.messageDays * 86_400_000);
  const inboxWhere = { receivedAt: { lt: messageCutoff }, status: { not: 'received' as const }, text: { not: '' } };
  // A voice note or photo has no text: its file goes with its age, whatever the text.
  const inboxFilesWhere = { receivedAt: { lt: messageCutoff }, status: { not: 'received' as const }, attachmentPath: { not: null } };
  const outboxWhere = { createdAt: { lt: messageCutoff }, status: { in: ['sent' as const, 'dead' as const] }, text: { not: '' } };
  const childIds = children.map((child) => child.id);
  const casesWhere = { state: { in: ['closed' as const, 'dismissed' as const] }, archivedAt: null, closedAt: { lte: new Date(now.getTime() - periods.caseDays * 86_400_000) } };
  if (options.dryRun) {
    const reportFiles = await db.reportAttachment.findMany({ where: { report: { childId: { in: childIds } } }, select: { path: true } });
    const inboxFiles = await db.inboxMessage.findMany({ where: inboxFilesWhere, select: { attachmentPath: true } });
    const released = [...reportFiles.map((row) => row.path), ...inboxFiles.map((row) => row.attachmentPath!)];
    // What a run would release and no row it keeps names.
    const kept = await namedFiles(db, released, { report: { OR: [{ childId: null }, { childId: { notIn: childIds } }] } }, { NOT: inboxFilesWhere });
    return {
      childrenAnonymised: children.length,
      casesArchived: await db.report.count({ where: casesWhere }),
      inboxTextsPurged: await db.inboxMessage.count({ where: inboxWhere }),
      outboxTextsPurged: await db.outboxMessage.count({ where: outboxWhere }),
      attachmentsDeleted: periods.attachmentDir === undefined ? 0 : unique(released).filter((file) => !kept.has(file)).length,
    };
  }
  const cases = await db.report.updateMany({ where: casesWhere, data: { archivedAt: now } });
  const released: string[] = [];
  for (const child of children) released.push(...(await anonymiseChild(db, child.id, now)));
  const inboxFiles = await db.inboxMessage.findMany({ where: inboxFilesWhere, select: { attachmentPath: true } });
  released.push(...inboxFiles.map((row) => row.attachmentPath!));
  await db.inboxMessage.updateMany({ where: inboxFilesWhere, data: { attachmentPath: null } });
  const inbox = await db.inboxMessage.updateMany({ where: inboxWhere, data: { text: '', fromName: null } });
  const outbox = await db.outboxMessage.updateMany({ where: outboxWhere, data: { text: '', params: Prisma.DbNull } });
  let attachmentsDeleted = 0;
  if (periods.attachmentDir !== undefined) {
    // Files are content-addressed: the same photo sent for two cases is one file, kept while either case keeps it.
    const kept = await namedFiles(db, released, {}, {});
    const unnamed = unique(released).filter((file) => !kept.has(file));
    await deleteAttachments(periods.attachmentDir, unnamed);
    attachmentsDeleted = unnamed.length;
  }
  return { childrenAnonymised: children.length, casesArchived: cases.count, inboxTextsPurged: inbox.count, outboxTextsPurged: outbox.count, attachmentsDeleted };
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}

/** Which of the files a report attachment or an inbox message (of those the filters keep) still names. */
async function namedFiles(
  db: Db,
  paths: readonly string[],
  reportAttachments: Prisma.ReportAttachmentWhereInput,
  inboxMessages: Prisma.InboxMessageWhereInput,
): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const files = unique(paths);
  const byReports = await db.reportAttachment.findMany({ where: { ...reportAttachments, path: { in: files } }, select: { path: true } });
  const byMessages = await db.inboxMessage.findMany({ where: { ...inboxMessages, attachmentPath: { in: files } }, select: { attachmentPath: true } });
  return new Set([...byReports.map((row) => row.path), ...byMessages.map((row) => row.attachmentPath!)]);
}

/** Born at least 18 + N years ago, or archived (left the area) at least N years ago, and not yet anonymised. */
async function childrenDue(db: Db, periods: RetentionPeriods, now: Date): Promise<Array<{ id: number }>> {
  const bornBefore = isoDate(new Date(now.getTime() - (18 + periods.childYears) * YEAR_MS));
  const leftBefore = new Date(now.getTime() - periods.childYears * YEAR_MS);
  return db.child.findMany({
    where: { anonymisedAt: null, OR: [{ birthDate: { lte: bornBefore } }, { archivedAt: { lte: leftBefore } }] },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
}

/** Everything that names or describes the child goes, photos and voice notes of their cases too; what happened stays countable. Returns the files released. */
async function anonymiseChild(db: Db, childId: number, now: Date): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const child = await tx.child.findUniqueOrThrow({ where: { id: childId }, select: { birthDate: true } });
    await tx.child.update({
      where: { id: childId },
      data: {
        name: `已匿名${childId}`,
        birthDate: `${child.birthDate.slice(0, 4)}-01-01`,
        nationalIdCipher: null,
        nationalIdDigest: null,
        nationalIdMasked: null,
        schoolName: null,
        familySituation: null,
        guardianshipStatus: null,
        healthStatus: null,
        leftBehindOverrideReason: null,
        anonymisedAt: now,
      },
    });
    const reports = await tx.report.findMany({ where: { childId }, select: { id: true } });
    await tx.report.updateMany({ where: { childId }, data: { subjectName: null, description: ANONYMISED_TEXT, actionsTaken: null } });
    await tx.caseStep.updateMany({ where: { reportId: { in: reports.map((report) => report.id) } }, data: { note: null } });
    await tx.teacherCheckIn.updateMany({ where: { childId }, data: { note: null } });
    await tx.riskAssessment.updateMany({ where: { childId }, data: { note: null } });
    await tx.guardianshipAgreement.updateMany({ where: { childId }, data: { guardianHealth: null, capacityNote: null, note: null } });
    await tx.careRoom.updateMany({ where: { childId }, data: { topic: null } });
    // A quarterly confirmation's changes carry the old and new values of the record.
    await tx.recordConfirmation.updateMany({ where: { childId }, data: { changes: Prisma.DbNull } });
    const reportIds = reports.map((report) => report.id);
    const files = await tx.reportAttachment.findMany({ where: { reportId: { in: reportIds } }, select: { path: true } });
    await tx.reportAttachment.deleteMany({ where: { reportId: { in: reportIds } } });
    return files.map((file) => file.path);
  });
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
