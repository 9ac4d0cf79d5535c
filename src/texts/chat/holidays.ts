/** Holidays (寒暑假): the prompt, 回家/接走/不能 answers and the director's 假期 list. */

/** '2027-01-25' → '1月25日' */
const day = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

export const holidaysTexts = {
  holidayDay: day,
  holidayPrompt: (parent: string, child: string, vacation: string, startsOn: string, endsOn: string, nameChild: boolean) => {
    const firstDay = day(startsOn);
    const who = nameChild ? `${child} ` : '';
    return [
      `${parent}您好，${child}的${vacation}${firstDay}开始，${day(endsOn)}结束。这个假期您打算怎么安排？请回复：`,
      `· 回家 ${who}${firstDay} —— 您哪天回家陪孩子`,
      `· 接走 ${who}${firstDay} —— 您哪天把孩子接到身边`,
      `· 不能${nameChild ? ` ${child}` : ''} —— 都做不到，村儿童主任会帮忙安排照护`,
    ].join('\n');
  },
  holidayUsage: '请这样回复假期安排：回家 1月25日、接走 1月22日 或 不能；有几个孩子时加上名字，例如：回家 张小明 1月25日',
  holidayBadDate: (text: string, keyword: string) => `没有看懂日期“${text}”。请写成 1月25日、1-25 或 2027-01-25，例如：${keyword} 1月25日`,
  holidayNothingOpen: '目前没有需要回复的假期安排。寒暑假开始前两周会询问您。',
  holidayAnswered: (answer: 'coming_home' | 'taking_child' | 'cannot', child: string, vacation: string, day: string | null) =>
    answer === 'coming_home'
      ? `已记录：${vacation}您${day}回家陪${child}。孩子一定很期待！`
      : answer === 'taking_child'
        ? `已记录：${vacation}您${day}把${child}接到身边。出发前请和监护人、学校说一声，路上注意安全。`
        : `已记录：这个${vacation}您不能回家，也不能接${child}。已请村儿童主任帮忙安排假期照护，有空多和孩子视频。`,
  holidayCannotForDirector: (parent: string, child: string, vacation: string, period: string) =>
    `【假期照护】${parent}回复：${vacation}（${period}）不能回家，也不能接走${child}。请联系监护人，安排好${child}假期的照护。`,
  holidayList: (vacation: string, period: string, lines: string[], counts: { coming_home: number; taking_child: number; cannot: number; unanswered: number }) =>
    [
      `${vacation}（${period}）本村孩子的假期安排：`,
      ...lines,
      `回家${counts.coming_home} · 接走${counts.taking_child} · 不能${counts.cannot} · 未回复${counts.unanswered}`,
    ].join('\n'),
  holidayListLine: (child: string, parent: string, answer: string) => `· ${child}（${parent}）：${answer}`,
  holidayUnanswered: '未回复',
  holidayCannotNote: '不能（需安排照护）',
  holidayNoPlans: '近期的寒暑假还没有询问过家长（假期开始前14天自动询问）。',
} as const;
