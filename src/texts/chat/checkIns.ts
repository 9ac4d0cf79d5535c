/** Teachers' check-ins (定期交流): the prompt, the reminder, the answers and what they set off. */
export const checkInsTexts = {
  teacherCheckInPrompt: (teacher: string, children: string[]) =>
    [
      `${teacher}老师您好，又到定期交流的时候了。请回复您帮扶的孩子近两周的情况：`,
      ...children.map((child, i) => `${i + 1}. ${child}`),
      '回复格式：序号 正常/关注/紧急 [说明]，可以一次发多行，例如：',
      '1 正常',
      ...(children.length > 1 ? ['2 关注 情绪低落'] : []),
      '“正常”和“关注”的说明会转告孩子的家长；“紧急”只告知村儿童主任。',
    ].join('\n'),
  teacherCheckInReminder: (teacher: string, missing: Array<{ position: number; child: string }>) =>
    [
      `${teacher}老师您好，定期交流还有${missing.length}个孩子没有回复：`,
      ...missing.map((entry) => `${entry.position}. ${entry.child}`),
      `请回复：序号 正常/关注/紧急 [说明]，例如：${missing[0]?.position ?? 1} 正常`,
    ].join('\n'),
  checkInUsage: '请按“序号 正常/关注/紧急 [说明]”回复，可以一次发多行，例如：\n1 正常\n2 关注 情绪低落',
  checkInNoRound: '目前没有需要回复的定期交流名单。名单发出后，请按“序号 正常/关注/紧急 [说明]”回复。',
  checkInRecorded: (lines: string[]) => [`已记录${lines.length}个孩子的情况：`, ...lines].join('\n'),
  checkInRecordedLine: (position: number, child: string, status: string, note: string | null, directorTold: boolean) =>
    `${position}. ${child}：${status}${note ? `（${note}）` : ''}${directorTold ? '，已告知儿童主任' : ''}`,
  checkInStillPending: (missing: Array<{ position: number; child: string }>) =>
    [`还没有回复（${missing.length}个）：`, ...missing.map((entry) => `${entry.position}. ${entry.child}`)].join('\n'),
  checkInBadLines: (hints: string[]) => [`以下${hints.length}行没有记录：`, ...hints.map((hint) => `· ${hint}`)].join('\n'),
  checkInBadNumber: (line: string) => `“${line}”：请以名单上的序号开头，例如：1 正常`,
  checkInUnknownNumber: (line: string, position: number, count: number) => `“${line}”：名单里没有第${position}号（本次共${count}个孩子）`,
  checkInUnknownStatus: (line: string, word: string) => `“${line}”：${word ? `看不懂“${word}”，` : '缺少情况，'}请写“正常”“关注”或“紧急”`,
  checkInForFamily: (teacher: string, child: string, status: 'normal' | 'concern', note: string | null) =>
    status === 'normal'
      ? `${teacher}老师反馈：${child}近期情况正常。${note ? `老师说：${note}` : ''}`
      : `${teacher}老师反馈：${child}近期需要家人多关心，请多和孩子聊聊。`,
  checkInReportDescription: (status: string, note: string | null) => `帮扶教师定期交流反馈（${status}）：${note ?? '未填写说明'}`,
  checkInConcernForDirector: (number: string, teacher: string, child: string, note: string | null) =>
    `【教师反馈·需关注】${number}\n孩子：${child}\n帮扶教师${teacher}：${note ?? '需关注（未填写说明）'}\n请及时核实（回复“案件 ${number}”查看）。`,
  checkInUrgentForDirector: (number: string, teacher: string, child: string, note: string | null) =>
    `【紧急】${number}\n孩子：${child}\n帮扶教师${teacher}报告紧急情况：${note ?? '未填写说明，请立即联系老师'}\n请立即核实处置（回复“案件 ${number}”查看）。`,
} as const;
