import type { AreaScope } from '../registry/areaScopeFilter';
import { recordAudit } from '../audit/auditLog';
import { inArea } from '../registry/areaScopeFilter';
import type { DataRequestKind, Db, Tx } from '../db/database';

/** Days a director has to answer: PIPL art. 50 asks for a timely answer; 15 days is the usual term. */
export const DATA_REQUEST_DAYS = 15;

export interface DataRequestRow {
  id: number;
  kind: DataRequestKind;
  text: string | null;
  status: 'open' | 'answered';
  dueAt: Date;
  createdAt: Date;
  answer: string | null;
  answeredAt: Date | null;
  person: { id: number; name: string; role: string };
}

const ROW = {
  id: true,
  kind: true,
  text: true,
  status: true,
  dueAt: true,
  createdAt: true,
  answer: true,
  answeredAt: true,
  person: { select: { id: true, name: true, role: true } },
} as const;

export async function fileDataRequest(tx: Tx, input: { personId: number; kind: DataRequestKind; text: string | null; now: Date; actor: string }): Promise<{ id: number; dueAt: Date; directorIds: number[] }> {
  const person = await tx.person.findUniqueOrThrow({ where: { id: input.personId }, select: { areaId: true } });
  const dueAt = new Date(input.now.getTime() + DATA_REQUEST_DAYS * 86_400_000);
  const request = await tx.dataRequest.create({
    data: { personId: input.personId, areaId: person.areaId, kind: input.kind, text: input.text, dueAt, createdAt: input.now },
    select: { id: true },
  });
  await recordAudit(tx, { at: input.now, actor: input.actor, action: `data_request.${input.kind}`, subjectType: 'DataRequest', subjectId: request.id });
  const directors = await tx.person.findMany({ where: { areaId: person.areaId, role: 'director' }, select: { id: true }, orderBy: { id: 'asc' } });
  return { id: request.id, dueAt, directorIds: directors.map((director) => director.id) };
}

/** Requests in the scope, open ones first, each by its deadline. */
export function dataRequestsInScope(db: Db | Tx, scope: AreaScope, options: { openOnly: boolean }): Promise<DataRequestRow[]> {
  return db.dataRequest.findMany({
    where: { ...inArea(scope), ...(options.openOnly ? { status: 'open' as const } : {}) },
    orderBy: [{ status: 'asc' }, { dueAt: 'asc' }, { id: 'asc' }],
    take: 200,
    select: ROW,
  });
}

/** Answers an open request in the scope; null when there is none such (another area's, or already answered). */
export async function answerDataRequest(tx: Tx, input: { id: number; scope: AreaScope; answer: string; now: Date; actor: string }): Promise<DataRequestRow | null> {
  const answered = await tx.dataRequest.updateMany({
    where: { id: input.id, status: 'open', ...inArea(input.scope) },
    data: { status: 'answered', answer: input.answer, answeredAt: input.now },
  });
  if (answered.count === 0) return null;
  await recordAudit(tx, { at: input.now, actor: input.actor, action: 'data_request.answer', subjectType: 'DataRequest', subjectId: input.id });
  return tx.dataRequest.findUniqueOrThrow({ where: { id: input.id }, select: ROW });
}
