import type { AreaScope } from '../store/registry/areaScopeFilter';
import { personActor } from '../store/audit/auditLog';
import type { PersonRole } from '../store/db/database';

/** Who acts, as every use case takes it: a person through chat, a token through the API, the system. */
export interface Actor {
  /** The audit-log label: person:7, token:12, system. */
  audit: string;
  /** The area subtree the actor may touch: a record outside it is treated as missing. */
  scope: AreaScope;
  /** The person acting through chat; unset for a token or the system. */
  person?: ActingPerson;
}

export interface ActingPerson {
  id: number;
  name: string;
  role: PersonRole;
}

/** A person acting through chat, within their own area (a director: the village). */
export function personAsActor(person: ActingPerson, areaPath: string): Actor & { person: ActingPerson } {
  return { audit: personActor(person.id), scope: { path: areaPath }, person: { id: person.id, name: person.name, role: person.role } };
}
