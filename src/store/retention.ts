import { Prisma, type Db } from './database';

export interface RetentionPeriods {
  /** Years after a child turned 18, or left the area (archived), before they are anonymised. */
  childYears: number;
  /** Days an inbound or outbound message keeps its text once handled or sent. */
  messageDays: number;
}

/** The defaults README "Retention" explains. */
export const DEFAULT_RETENTION: RetentionPeriods = { childYears: 3, messageDays: 30 };

export interface RetentionReport {
  childrenAnonymised: number;
  inboxTextsPurged: number;
  outboxTextsPurged: number;
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
  const outboxWhere = { createdAt: { lt: messageCutoff }, status: { in: ['sent' as const, 'dead' as const] }, text: { not: '' } };
  if (options.dryRun) {
    return {
      childrenAnonymised: children.length,
      inboxTextsPurged: await db.inboxMessage.count({ where: inboxWhere }),
      outboxTextsPurged: await db.outboxMessage.count({ where: outboxWhere }),
    };
  }
  for (const child of children) await anonymiseChild(db, child.id, now);
  const inbox = await db.inboxMessage.updateMany({ where: inboxWhere, data: { text: '', fromName: null } });
  const outbox = await db.outboxMessage.updateMany({ where: outboxWhere, data: { text: '', params: Prisma.DbNull } });
  return { childrenAnonymised: children.length, inboxTextsPurged: inbox.count, outboxTextsPurged: outbox.count };
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

/** Everything that names or describes the child goes; what happened stays countable. */
async function anonymiseChild(db: Db, childId: number, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
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
  });
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
