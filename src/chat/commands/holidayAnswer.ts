import { keyed } from '../../texts/keyedMessages';
import { daysBetween, localDate, looksLikeDate, MAX_DAYS_FROM_VACATION, parseHolidayDate } from '../../domain/schoolCalendar';
import type { HolidayAnswer } from '../../store/db/database';
import { peopleOfArea } from '../../store/cases/cases';
import { openPlansOfParent, setHolidayAnswer, type HolidayPlanView } from '../../store/contact/schoolCalendars';
import { catalog } from '../../texts/catalog';
import type { LinkedChild } from '../../store/registry/linkedPeople';
import { pickChild } from '../childChoice';
import { parseDate } from '../understanding/dates';
import { rememberChildQuestion } from '../conversationMemory';
import type { BoundTurn, ChatCommand } from '../turn';
import { VACATION_LABELS } from '../../domain/labels';

/** The answer each keyword gives to the holiday prompt. */
export const HOLIDAY_ANSWER_WORDS = { 回家: 'coming_home', 接走: 'taking_child', 不能: 'cannot' } as const satisfies Record<string, HolidayAnswer>;
type HolidayKeyword = keyof typeof HOLIDAY_ANSWER_WORDS;

const isChildToken = (children: LinkedChild[], token: string | undefined): boolean =>
  token !== undefined && 'child' in pickChild(children, token, '');

/** Words that make a day vague (过年前, 月底): no day is recorded for them. */
const VAGUE = /前|后(?!天)|左右|之间|底/;

/**
 * A day said in words (腊月二十六, 除夕, 元旦, 下周六, 大后天), read as the understanding step reads
 * it, relative to today in the service's time zone; null when vague.
 */
function spokenDay(token: string, today: string, vacationStartsOn: string): string | null {
  return VAGUE.test(token) ? null : parseDate(token, today, vacationStartsOn);
}

/** A spoken day far from the vacation (中秋 for the winter one) is no answer to it. */
function nearVacation(day: string | null, vacationStartsOn: string): string | null {
  return day && Math.abs(daysBetween(vacationStartsOn, day)) <= MAX_DAYS_FROM_VACATION ? day : null;
}

/**
 * Reads `[孩子] <日期>` (回家, 接走) or `[孩子] [理由]` (不能), in any order for the first two.
 * The child may be left out when only one child's vacation is open.
 */
function parseAnswer(
  keyword: HolidayKeyword,
  args: string,
  plans: HolidayPlanView[],
  today: string,
): { reply: string; choices?: string[] } | { plan: HolidayPlanView; date: string | null } {
  const children: LinkedChild[] = plans.map((plan) => plan.child);
  const tokens = args.split(' ').filter(Boolean);
  const planOf = (child: LinkedChild) => plans.find((plan) => plan.child.id === child.id)!;

  if (keyword === '不能') {
    // anything after the child is the parent's reason, which the director hears from them directly
    const token = isChildToken(children, tokens[0]) || children.length > 1 ? tokens[0] : undefined;
    const pick = pickChild(children, token, keyword);
    return 'reply' in pick ? pick : { plan: planOf(pick.child), date: null };
  }

  const isDate = (token: string) => looksLikeDate(token) || (!isChildToken(children, token) && spokenDay(token, today, plans[0]!.calendar.startsOn) !== null);
  const dates = tokens.filter(isDate);
  const others = tokens.filter((token) => !isDate(token));
  if (dates.length > 1 || others.length > 1) return { reply: catalog.holidayUsage };
  if (dates.length === 0) {
    const [other] = others;
    return { reply: other !== undefined && !isChildToken(children, other) ? catalog.holidayBadDate(other, keyword) : catalog.holidayUsage };
  }
  const pick = pickChild(children, others[0], keyword);
  if ('reply' in pick) return pick;
  const plan = planOf(pick.child);
  const date = looksLikeDate(dates[0]!) ? parseHolidayDate(dates[0]!, plan.calendar.startsOn) : nearVacation(spokenDay(dates[0]!, today, plan.calendar.startsOn), plan.calendar.startsOn);
  if (!date) return { reply: catalog.holidayBadDate(dates[0]!, keyword) };
  return { plan, date };
}

function holidayAnswerCommand(keyword: HolidayKeyword): ChatCommand {
  const answer = HOLIDAY_ANSWER_WORDS[keyword];
  return {
    keywords: [keyword],
    roles: ['parent'],
    async handle(turn, args) {
      const { tx, sender, now, settings } = turn as BoundTurn;
      const today = localDate(now, settings.timeZone);
      const plans = await openPlansOfParent(tx, sender.person.id, today);
      if (plans.length === 0) return turn.reply(catalog.holidayNothingOpen);
      const parsed = parseAnswer(keyword, args, plans, today);
      if ('reply' in parsed) {
        // a bare 1 or 第二个 then answers which child, as for 已联系
        if (parsed.choices) await rememberChildQuestion(turn as BoundTurn, keyword, args, parsed.choices);
        return turn.reply(parsed.reply);
      }

      const { plan, date } = parsed;
      await setHolidayAnswer(tx, { id: plan.id, parentId: sender.person.id }, { answer, date, answeredAt: now });
      const vacation = VACATION_LABELS[plan.calendar.vacation];
      if (answer === 'cannot' && plan.answer !== 'cannot') {
        const period = `${catalog.holidayDay(plan.calendar.startsOn)}—${catalog.holidayDay(plan.calendar.endsOn)}`;
        for (const director of await peopleOfArea(tx, plan.child.areaId, 'director')) {
          await turn.notify(director, keyed.holidayCannotForDirector(sender.person.name, plan.child.name, vacation, period));
        }
      }
      return turn.reply(catalog.holidayAnswered(answer, plan.child.name, vacation, date && catalog.holidayDay(date)));
    },
  };
}

/** 回家 [孩子] <日期>, 接走 [孩子] <日期>, 不能 [孩子]: a parent answers the holiday prompt. */
export const holidayAnswerCommands: readonly ChatCommand[] = (Object.keys(HOLIDAY_ANSWER_WORDS) as HolidayKeyword[]).map(holidayAnswerCommand);
