import { keyed } from '../texts/keyedMessages';
import { contactWeekOf } from '../domain/contactWeek';
import { CONTACT_METHOD_LABELS } from '../domain/labels';
import { insertContactLog, logContactCounting, parentLinksNamed } from '../store/contact/contactWeeks';
import type { ContactMethod, Tx } from '../store/db/database';
import { queueToCareRooms } from '../store/messaging/outbox';
import type { ActingPerson } from './actor';

export interface ContactToLog {
  method: ContactMethod;
  minutes?: number;
  /** The message that logged it, so the care-room note counts among what handling it produced. */
  inboxMessageId?: number;
}

/**
 * An away parent logs this week's contact with a child (已联系): the log, in the contact week it
 * happened, and a note to the family's care rooms. Returns how many contacts the pair has this week.
 */
export async function logContact(
  tx: Tx,
  parent: ActingPerson,
  child: { id: number; name: string },
  contact: ContactToLog,
  clock: { now: Date; timeZone: string },
): Promise<{ weekCount: number }> {
  const weekKey = contactWeekOf(clock.now, clock.timeZone).key;
  const logged = await logContactCounting(tx, { childId: child.id, parentId: parent.id, loggedById: parent.id, method: contact.method, minutes: contact.minutes ?? null, contactedAt: clock.now, weekKey });
  if (logged.childHasCareRoom) {
    const note = keyed.contactNoteForRoom(parent.name, child.name, CONTACT_METHOD_LABELS[contact.method]);
    await queueToCareRooms(tx, child.id, note, { now: clock.now, inboxMessageId: contact.inboxMessageId });
  }
  return { weekCount: logged.weekCount };
}

/**
 * A guardian confirms a parent's contact with the children they both care for (已联系 <家长>): one
 * log per child, logged by the guardian. Returns the children's names; none when no parent of
 * theirs has that name.
 */
export async function confirmContact(
  tx: Tx,
  guardian: ActingPerson,
  request: { parentName: string; childIds: number[] } & ContactToLog,
  clock: { now: Date; timeZone: string },
): Promise<{ children: string[] }> {
  const links = await parentLinksNamed(tx, request.childIds, request.parentName);
  const weekKey = contactWeekOf(clock.now, clock.timeZone).key;
  for (const link of links) {
    await insertContactLog(tx, {
      childId: link.childId,
      parentId: link.personId,
      loggedById: guardian.id,
      method: request.method,
      minutes: request.minutes ?? null,
      contactedAt: clock.now,
      weekKey,
    });
  }
  return { children: links.map((link) => link.child.name) };
}
