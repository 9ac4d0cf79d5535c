import type { Prisma, Tx } from './database';

export interface AuditEntry {
  at: Date;
  /** token:12, person:7, cli, system */
  actor: string;
  /** entity.verb, e.g. case.verify, agreement.approve, child.update */
  action: string;
  subjectType: string;
  subjectId: string | number;
  /** Short summaries of what changed: never a national ID number, phone or address. */
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
}

/** Writes one audit entry in the transaction of the change it records, so there is no change without its entry. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  const detail: Prisma.InputJsonObject = {
    ...(entry.before === undefined ? {} : { before: entry.before }),
    ...(entry.after === undefined ? {} : { after: entry.after }),
  };
  await tx.auditLog.create({
    data: { at: entry.at, actor: entry.actor, action: entry.action, subjectType: entry.subjectType, subjectId: String(entry.subjectId), detail },
  });
}

/** The actor label of a person acting through chat. */
export const personActor = (personId: number): string => `person:${personId}`;
