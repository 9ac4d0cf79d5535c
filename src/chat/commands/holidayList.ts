import { localDate } from '../../domain/schoolCalendar';
import { villagePlansForNextVacation } from '../../store/contact/schoolCalendars';
import { catalog } from '../../texts/catalog';
import type { BoundTurn, ChatCommand } from '../turn';
import { HOLIDAY_ANSWER_LABELS, VACATION_LABELS } from '../../domain/labels';

/**
 * 假期: the director's list for the village's next vacation: each child whose away parents were
 * asked, with each parent's answer (回家/接走 with the date, 不能, or 未回复).
 */
export const holidayListCommand: ChatCommand = {
  keywords: ['假期'],
  roles: ['director'],
  async handle(turn) {
    const { tx, sender, now, settings } = turn as BoundTurn;
    const plans = await villagePlansForNextVacation(tx, sender.person.areaId, localDate(now, settings.timeZone));
    if (plans.length === 0) return turn.reply(catalog.holidayNoPlans);

    const counts = { coming_home: 0, taking_child: 0, cannot: 0, unanswered: 0 };
    const lines = plans.map((plan) => {
      counts[plan.answer ?? 'unanswered'] += 1;
      const answer =
        plan.answer === null
          ? catalog.holidayUnanswered
          : plan.answer === 'cannot'
            ? catalog.holidayCannotNote
            : `${HOLIDAY_ANSWER_LABELS[plan.answer]} ${plan.date ? catalog.holidayDay(plan.date) : ''}`.trim();
      return catalog.holidayListLine(plan.child.name, plan.parent.name, answer);
    });
    const { calendar } = plans[0]!;
    const period = `${catalog.holidayDay(calendar.startsOn)}—${catalog.holidayDay(calendar.endsOn)}`;
    return turn.reply(catalog.holidayList(VACATION_LABELS[calendar.vacation], period, lines, counts));
  },
};
