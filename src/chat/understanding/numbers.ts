/** Chinese numerals and the ways people say how long a call took. */
const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

export const NUMERAL = '[0-9零〇一二两俩三四五六七八九十百廿]';

/** 二十 → 20, 十五 → 15, 廿六 → 26, 一百二 → 120, 35 → 35; null when it is not a number. */
const WHOLE_NUMERAL = new RegExp(`^${NUMERAL}+$`);

export function parseNumber(text: string): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (!WHOLE_NUMERAL.test(text)) return null;
  let total = 0;
  let current = 0;
  let lastUnit = 1;
  for (const char of text) {
    if (char in DIGITS) current = current * 10 + DIGITS[char]!;
    else if (char === '廿') total += 20;
    else if (char === '十') {
      total += (current || 1) * 10;
      current = 0;
      lastUnit = 10;
    } else if (char === '百') {
      total += (current || 1) * 100;
      current = 0;
      lastUnit = 100;
    } else return null;
  }
  // 一百二 is 120: a trailing digit after 百 counts in tens
  if (lastUnit === 100 && current > 0 && current < 10 && !text.endsWith('零' + text.at(-1))) return total + current * 10;
  return total + current;
}

const N = `(${NUMERAL}+)`;
const ABOUT = '(?:来|多|几|把)?';
const HOUR = '(?:个)?(?:小时|小時|钟头|钟|鐘頭)';

const DURATIONS: Array<[RegExp, (match: RegExpExecArray) => number | null]> = [
    [new RegExp(`${N}个半${HOUR}`), (m) => times(m[1]!, 60, 30)],
    [/半个?(?:小时|钟头|钟)/, () => 30],
    [/个把(?:小时|钟头|钟)/, () => 60],
    [new RegExp(`${N}刻钟`), (m) => times(m[1]!, 15, 0)],
    [new RegExp(`${N}${ABOUT}${HOUR}`), (m) => times(m[1]!, 60, 0)],
  [new RegExp(`${N}${ABOUT}(?:分钟|分鐘|分|min)`), (m) => parseNumber(m[1]!)],
];

/** Minutes a message says a call or visit took, or null. */
export function parseMinutes(text: string): number | null {
  for (const [pattern, value] of DURATIONS) {
    const match = pattern.exec(text);
    if (match) {
      const minutes = value(match);
      if (minutes !== null && minutes > 0 && minutes <= 600) return minutes;
    }
  }
  return null;
}

function times(numeral: string, unit: number, extra: number): number | null {
  const count = parseNumber(numeral);
  return count === null ? null : count * unit + extra;
}
