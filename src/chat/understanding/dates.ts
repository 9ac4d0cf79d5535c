import { holidayDayOfMonth } from '../../domain/schoolCalendar';
import { lunarLibrary } from './libraries';
import { NUMERAL, parseNumber } from './numbers';

/** A calendar day as `YYYY-MM-DD`. */
export type Day = string;

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };
const LUNAR_MONTHS: Record<string, number> = { 正: 1, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 冬: 11, 十一: 11, 腊: 12, 十二: 12 };

function toDay(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

function fromDay(day: Day): Date {
  return new Date(`${day}T00:00:00Z`);
}

function addDays(day: Day, days: number): Day {
  const date = fromDay(day);
  date.setUTCDate(date.getUTCDate() + days);
  return toDay(date);
}

function validDay(year: number, month: number, day: number): Day | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? toDay(date) : null;
}

/** The next `month-day` on or after today. */
function nextSolar(today: Day, month: number, day: number): Day | null {
  const year = Number(today.slice(0, 4));
  const thisYear = validDay(year, month, day);
  if (thisYear && thisYear >= today) return thisYear;
  return validDay(year + 1, month, day);
}

/**
 * Lunar conversions take a millisecond and much garbage each; every message of a day asks the same
 * few (除夕, 春节, 腊月二十…), so their answers are kept, a bounded number of them.
 */
const lunarAnswers = new Map<string, Day | null>();
const MAX_KEPT = 2000;

function remembered(key: string, compute: () => Day | null): Day | null {
  if (lunarAnswers.has(key)) return lunarAnswers.get(key)!;
  if (lunarAnswers.size >= MAX_KEPT) lunarAnswers.clear();
  const answer = compute();
  lunarAnswers.set(key, answer);
  return answer;
}

/** The next day of a lunar month (12 = 腊月) on or after today; day 0 is the lunar year's last day (除夕). */
function nextLunar(today: Day, month: number, day: number): Day | null {
  return remembered(`${today}|${month}|${day}`, () => computeNextLunar(today, month, day));
}

function computeNextLunar(today: Day, month: number, day: number): Day | null {
  const { Lunar, Solar } = lunarLibrary();
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const lunarYear = Solar.fromYmd(y, m, d).getLunar().getYear();
  for (const year of [lunarYear - 1, lunarYear, lunarYear + 1]) {
    const solar = day === 0 ? Lunar.fromYmd(year + 1, 1, 1).getSolar().next(-1) : safeLunar(year, month, day);
    if (solar && solar.toYmd() >= today) return solar.toYmd();
  }
  return null;
}

function safeLunar(year: number, month: number, day: number) {
  try {
    return lunarLibrary().Lunar.fromYmd(year, month, day).getSolar();
  } catch {
    return null;
  }
}

function nextSolarTerm(today: Day, term: string): Day | null {
  return remembered(`${today}|${term}`, () => computeNextSolarTerm(today, term));
}

function computeNextSolarTerm(today: Day, term: string): Day | null {
  const { Lunar } = lunarLibrary();
  const year = Number(today.slice(0, 4));
  for (const y of [year, year + 1]) {
    const solar = Lunar.fromYmd(y, 1, 1).getJieQiTable()[term];
    if (solar && solar.toYmd() >= today) return solar.toYmd();
  }
  return null;
}

function weekday(day: Day): number {
  return fromDay(day).getUTCDay() || 7;
}

const FESTIVALS: Array<[RegExp, (today: Day) => Day | null]> = [
  [/除夕|大年三十|年三十|大年夜|团年饭/, (today) => nextLunar(today, 12, 0)],
  [/大年初一|春节|过年|新年/, (today) => nextLunar(today, 1, 1)],
  [/元宵/, (today) => nextLunar(today, 1, 15)],
  [/中秋/, (today) => nextLunar(today, 8, 15)],
  [/端午/, (today) => nextLunar(today, 5, 5)],
  [/清明/, (today) => nextSolarTerm(today, '清明')],
  [/元旦/, (today) => nextSolar(today, 1, 1)],
  [/国庆/, (today) => nextSolar(today, 10, 1)],
  [/五一|劳动节/, (today) => nextSolar(today, 5, 1)],
];

/**
 * The day a message names, relative to today (a day in Asia/Shanghai): 明天, 大后天, 下周六,
 * 下个月15号, 1月30号, 28号, lunar days (腊月二十, 正月初八, 初三) and festivals (除夕, 春节/过年,
 * 元宵, 中秋, 清明, 元旦). The nearest such day on or after today; null when none is named. In a
 * holiday answer (`vacationStartsOn` given) a bare day of the month (`28号`) is that day nearest the
 * vacation's start, as the parent means it, not the next 28th.
 */
const N = `(${NUMERAL}+)`;
const LUNAR_DAY = new RegExp(`(正|冬|腊|十一|十二|[一二三四五六七八九十])月(初|廿|二十|十|三十)?(${NUMERAL}*)`);
const MONTH_DAY = new RegExp(`(下个?月|${N}月)${N}(?:号|日)?`);
/** `1.25`, `1/25`: month and day, not a duration (`1.5小时`). */
const DOTTED = /(?:^|[^0-9.])(1[0-2]|0?[1-9])[./](3[01]|[12][0-9]|0?[1-9])(?![0-9.]|个?小时|个?钟|分)/;
const DAY_ONLY = new RegExp(`(?:^|[^0-9月])${N}(?:号|日)`);

export function parseDate(text: string, today: Day, vacationStartsOn?: Day): Day | null {
  const lunarDay = LUNAR_DAY.exec(text);
  if (lunarDay && (lunarDay[1] === '正' || lunarDay[1] === '腊' || lunarDay[1] === '冬' || lunarDay[2])) {
    const month = LUNAR_MONTHS[lunarDay[1]!]!;
    const day = lunarDayNumber(`${lunarDay[2] ?? ''}${lunarDay[3] ?? ''}`);
    if (day) return nextLunar(today, month, day);
  }
  const chuN = /初([一二三四五六七八九十])/.exec(text);
  if (chuN && !/初[一二三]年级|初中/.test(text)) return nextLunar(today, 1, parseNumber(chuN[1]!)!);
  const dotted = DOTTED.exec(text);
  if (dotted) return nextSolar(today, Number(dotted[1]), Number(dotted[2]));
  const monthDay = MONTH_DAY.exec(text.replace(/元月/g, '1月'));
  if (monthDay) {
    const day = parseNumber(monthDay[3]!);
    if (monthDay[1]!.startsWith('下')) {
      const [y, m] = today.split('-').map(Number) as [number, number];
      return day === null ? null : validDay(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, day);
    }
    const month = parseNumber(monthDay[2]!);
    if (month !== null && day !== null) return nextSolar(today, month, day);
  }
  for (const [pattern, resolve] of FESTIVALS) if (pattern.test(text)) return resolve(today);
  const relative = /(大后天|后天|明天|明日|今天|今晚)/.exec(text);
  if (relative) return addDays(today, { 大后天: 3, 后天: 2, 明天: 1, 明日: 1, 今天: 0, 今晚: 0 }[relative[1]!]!);
  const week = /(下下|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天1-7])/.exec(text);
  if (week) {
    const target = WEEKDAYS[week[2]!]!;
    const monday = addDays(today, 1 - weekday(today));
    const weeks = week[1]?.startsWith('下下') ? 2 : week[1]?.startsWith('下') ? 1 : 0;
    return addDays(monday, weeks * 7 + target - 1);
  }
  const dayOnly = DAY_ONLY.exec(text);
  if (dayOnly) {
    const day = parseNumber(dayOnly[1]!);
    if (day === null || day < 1 || day > 31) return null;
    if (vacationStartsOn) return holidayDayOfMonth(day, vacationStartsOn, today);
    const [y, m] = today.split('-').map(Number) as [number, number];
    const thisMonth = validDay(y, m, day);
    if (thisMonth && thisMonth >= today) return thisMonth;
    return validDay(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, day);
  }
  return null;
}

/** 初八 → 8, 二十 → 20, 廿六 → 26, 十五 → 15, 二十八 / 28 → 28. */
function lunarDayNumber(text: string): number | null {
  const bare = text.replace(/^初/, '');
  const value = parseNumber(bare);
  return value !== null && value >= 1 && value <= 30 ? value : null;
}
