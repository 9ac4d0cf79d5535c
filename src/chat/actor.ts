import { areaPathOf } from '../store/registry/areas';
import type { Sender } from '../store/messaging/identities';
import type { Tx } from '../store/db/database';
import { personAsActor, type ActingPerson, type Actor } from '../usecases/actor';

/** The sender as the actor of a use case: within their own area (a director: the village). */
export async function senderAsActor(tx: Tx, sender: Sender): Promise<Actor & { person: ActingPerson }> {
  return personAsActor(sender.person, await areaPathOf(tx, sender.person.areaId));
}
