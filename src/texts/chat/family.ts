/** What parents read and say besides contact: 近况, 情况 and 务工. */
export const familyTexts = {
  recentNotes: (child: string, lines: string[]) => [`${child}的近况：`, ...(lines.length ? lines : ['暂无新的记录。'])].join('\n'),
  recentCheckIn: (date: string, teacher: string, status: string, note: string | null) => `· ${date} ${teacher}老师：${status}${note ? `，${note}` : ''}`,
  recentContact: (date: string, by: string, method: string) => `· ${date} ${by}确认联系（${method}）`,
  worryUsage: '请这样反映：情况 <描述>，例如：情况 孩子这几天不愿意上学',
  worryFiled: (number: string) => `已收到，编号 ${number}。儿童主任会尽快跟进，谢谢您！`,
  worryForDirector: (number: string, child: string, text: string) => `【新情况】${number}\n孩子：${child}\n监护人反映：${text}\n请及时核实（回复“案件 ${number}”查看）。`,
  // Parents' work (务工): where an away parent works, for 人社's ledger.
  parentWorkUsage: '请这样登记务工情况：务工 <地点> [行业]，例如：务工 深圳 电子厂',
  parentWorkRecorded: (place: string, trade: string | null, since: string) =>
    `已登记：您在${place}务工${trade ? `（${trade}）` : ''}，自${since}起。地点或行业有变化时，再发一次“务工 <地点> [行业]”即可。`,
} as const;
