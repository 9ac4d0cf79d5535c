/** Family contact (已联系): recording it, the weekly reminders and what a gap sets off; the weekly summary. */
export const contactTexts = {
  contactUsage: '请这样记录：已联系 [孩子] [视频/电话/见面] [分钟]，例如：已联系 小明 视频 20',
  contactLogged: (child: string, method: string, minutes: number | null, weekCount: number) =>
    `已记录：本周与${child}${method}联系${minutes ? `${minutes}分钟` : ''}。这是本周第${weekCount}次联系，孩子会很高兴的！`,
  contactNoteForRoom: (parent: string, child: string, method: string) => `${parent}本周已和${child}${method}联系了。`,
  guardianContactConfirmed: (parent: string, child: string) => `已记录：${parent}本周已与${child}联系。谢谢您的确认！`,
  guardianContactUsage: '请这样确认：已联系 <家长姓名> [视频/电话/见面]，例如：已联系 张伟 电话',
  noSuchParent: (name: string) => `没有找到名为“${name}”的家长，请检查姓名。`,
  contactReminder: (parent: string, children: string[]) =>
    `${parent}您好，本周还没有记录与${children.join('、')}的联系。孩子很想您，周末抽空打个视频吧！联系后回复：已联系 ${children[0]} 视频`,
  contactReminderForRoom: (parent: string, child: string) => `本周还没有${parent}和${child}的联系记录，周末一起打个视频吧！`,
  contactLastCall: (parent: string, children: string[]) =>
    `${parent}您好，本周今天就结束了，还没有记录与${children.join('、')}的联系。哪怕打几分钟电话，孩子也会很开心！联系后回复：已联系 ${children[0]} 电话`,
  contactLastCallForRoom: (parent: string, child: string) => `本周今天结束，${parent}和${child}还没有联系记录，今晚一起打个电话吧！`,
  contactMissedForGuardian: (guardian: string, parent: string, child: string, weeks: number) =>
    `${guardian}您好，${parent}已连续${weeks}周没有记录与${child}的联系。如果其实联系过，请回复：已联系 ${parent} 电话；也请提醒${parent}多和孩子联系。`,
  contactMissedForDirector: (parent: string, child: string, weeks: number, period: string) =>
    `【亲情联系提醒】${parent}已连续${weeks}周（${period}）没有与${child}联系，请了解情况并督促家长。`,
  contactGapReportDescription: (parent: string, child: string, weeks: number, period: string) =>
    `亲情联系缺失：${parent}已连续${weeks}周（${period}）没有与${child}的联系记录（系统自动通报）。`,
  contactGapForDirector: (number: string, parent: string, child: string, weeks: number) =>
    `【亲情联系缺失】${number}\n孩子：${child}\n${parent}已连续${weeks}周没有联系孩子，系统已自动通报。\n请及时核实（回复“案件 ${number}”查看）。`,
  weeklySummary: (area: string, period: string, f: { kept: number; missed: number; reports: number; open: number; overdue: number }) =>
    `【每周汇总】${area} ${period}：亲情联系按时${f.kept}人次、缺失${f.missed}人次；新报告${f.reports}件；在办个案${f.open}件${f.overdue > 0 ? `，其中超期${f.overdue}件，请督办` : ''}。`,
} as const;
