import { DateTime } from 'luxon';
import { contactsRecordedByOthers } from '../../store/contact/contactWeeks';
import { recentCheckInsOfChild } from '../../store/contact/teacherCheckIns';
import { catalog } from '../../texts/catalog';
import { childrenOf, pickChild } from '../childChoice';
import { rememberChildQuestion } from '../conversationMemory';
import type { BoundTurn, ChatCommand } from '../turn';
import { CHECK_IN_STATUS_LABELS, CONTACT_METHOD_LABELS } from '../../domain/labels';

const KEYWORD = '近况';
const LATEST = 3;

/**
 * 近况 [孩子]: the latest teacher check-ins and guardian-confirmed contacts. Reports about the
 * family and urgent check-in notes are left out on purpose: a parent must never learn who
 * reported them.
 */
export const recentNotesCommand: ChatCommand = {
  keywords: [KEYWORD],
  roles: ['parent'],
  async handle(turn, args) {
    const { tx, sender } = turn as BoundTurn;
    const pick = pickChild(await childrenOf(tx, sender.person.id, 'parent'), args.split(' ')[0] || undefined, KEYWORD);
    if ('reply' in pick) {
      if (pick.choices) await rememberChildQuestion(turn as BoundTurn, KEYWORD, '', pick.choices);
      return turn.reply(pick.reply);
    }
    // One after another: a transaction is one connection, which runs one query at a time.
    // 紧急 notes stay with the director: the danger may come from the family.
    const checkIns = await recentCheckInsOfChild(tx, pick.child.id, ['normal', 'concern'], LATEST);
    const confirmations = await contactsRecordedByOthers(tx, pick.child.id, sender.person.id, LATEST);
    const day = (date: Date | null) => (date ? DateTime.fromJSDate(date, { zone: turn.settings.timeZone }).toFormat('M月d日') : '');
    const lines = [
      // A 关注 note may be about the family: the parent sees that the teacher is concerned, not why.
      ...checkIns.map((checkIn) =>
        catalog.recentCheckIn(day(checkIn.answeredAt), checkIn.teacher.name, CHECK_IN_STATUS_LABELS[checkIn.status], checkIn.status === 'normal' ? checkIn.note : null),
      ),
      ...confirmations.map((log) => catalog.recentContact(day(log.contactedAt), log.loggedBy.name, CONTACT_METHOD_LABELS[log.method])),
    ];
    return turn.reply(catalog.recentNotes(pick.child.name, lines));
  },
};
