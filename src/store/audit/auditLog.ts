import { inCanonicalOrder } from '../../domain/auditChain';
import type { Prisma, Tx } from '../db/database';

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

/**
 * Writes one audit entry in the transaction of the change it records, so there is no change
 * without its entry. One raw INSERT: every state change writes one, inside its transaction, and the
 * typed client spends some ten times its CPU (BENCHMARKS.md "Report filing, raw"). The detail goes
 * in as JSON text, as the typed client writes a JSON column; its typed twin is in
 * tests/integration/filingSql.test.ts.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  const detail: Prisma.InputJsonObject = inCanonicalOrder({
    ...(entry.before === undefined ? {} : { before: entry.before }),
    ...(entry.after === undefined ? {} : { after: entry.after }),
  });
  await tx.$executeRaw`
    INSERT INTO "AuditLog" ("at", "actor", "action", "subjectType", "subjectId", "detail")
    VALUES (${entry.at}, ${entry.actor}, ${entry.action}, ${entry.subjectType}, ${String(entry.subjectId)}, ${JSON.stringify(detail)})`;
}

/** The actor label of a person acting through chat. */
export const personActor = (personId: number): string => `person:${personId}`;

/** A secret that did not match (an API token, the HTTP channel's token): one row each, so guessing shows in the log. */
export async function recordRefusedSecret(tx: Tx, input: { at: Date; kind: 'api_token' | 'channel_token'; address: string }): Promise<void> {
  await tx.auditLog.create({
    data: { at: input.at, actor: 'anonymous', action: 'token.rejected', subjectType: input.kind === 'api_token' ? 'ApiToken' : 'Channel', subjectId: null, detail: { address: input.address.slice(0, 100) } },
  });
}

/** A read through the API or console of records about children: which ones, by whom. */
export async function recordRead(tx: Tx, input: { at: Date; actor: string; action: string; subjectType: string; subjectIds: Array<string | number> }): Promise<void> {
  await tx.auditLog.create({
    data: {
      at: input.at,
      actor: input.actor,
      action: input.action,
      subjectType: input.subjectType,
      // One subject is findable by its index; a page of them is listed in the detail.
      subjectId: input.subjectIds.length === 1 ? String(input.subjectIds[0]) : null,
      detail: input.subjectIds.length === 1 ? {} : { ids: input.subjectIds.map(String) },
    },
  });
}
