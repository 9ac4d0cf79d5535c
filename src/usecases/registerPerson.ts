import { DomainError } from '../domain/DomainError';
import { recordAudit } from '../store/audit/auditLog';
import type { Tx } from '../store/db/database';
import { insertPerson, type PersonFields, type PersonRecord } from '../store/registry/people';
import type { Actor } from './actor';

/** Registers a person (a director's 邀请 in chat, POST /people in the API), with its audit entry. */
export async function registerPerson(tx: Tx, actor: Actor, fields: PersonFields, now: Date): Promise<PersonRecord> {
  if (fields.department && fields.role !== 'officer') throw new DomainError('department_unexpected', 'only an officer (department staff) names a department');
  const person = await insertPerson(tx, fields, now);
  await recordAudit(tx, { at: now, actor: actor.audit, action: 'person.create', subjectType: 'Person', subjectId: person.id, after: { role: fields.role } });
  return person;
}
