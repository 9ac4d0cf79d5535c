import type { PersonRole } from '../store/db/database';

/** What the bot says when it answers free text (issue 13), in zh-CN. */
export const freeTextTexts = {
  undoHint: '不对请回复“撤销”。',
  undone: (what: string) => `已撤销：${what}。`,
  nothingToUndo: '没有可以撤销的记录（只能撤销机器人根据您的文字刚记下的联系记录、假期回复、务工地或返乡意愿，30分钟内有效）。',
  undoneContact: (child: string) => `本周与${child}的这次联系记录`,
  undoneHoliday: (child: string) => `${child}的这次假期回复`,
  undoneWork: (place: string) => `务工地“${place}”的这次登记`,
  undoneReturnHome: '这次返乡意愿的回复',
  returnHomeAlreadyAccepted: '人社部门已经接收了您的返乡就业创业需求，不能再撤销；如不需要，请直接告诉联系您的人社工作人员。',
  returnHomeReferralWithdrawn: (parent: string, village: string) => `【返乡就业创业转介】${village}家长 ${parent} 撤回了刚才的返乡就业创业需求，无需跟进。`,
  holidayCannotWithdrawn: (parent: string, child: string) => `【假期照护】${parent}撤回了“不能回家、不能接走${child}”的回复。`,
  chooseChild: (names: readonly string[]) => [`请问是哪个孩子？回复序号：`, ...names.map((name, index) => `${index + 1}. ${name}`)].join('\n'),
  badChoice: (count: number) => `请回复1到${count}之间的序号。`,
  confirmContact: (child: string, method: string, minutes: number | null) =>
    `您是说本周已与${child}${method}联系${minutes ? `${minutes}分钟` : ''}吗？回复“是”记录，“不是”不记录。`,
  notRecorded: '好的，没有记录。',
  confirmConcern: (child: string) => `要把这件事转告村儿童主任，请他们关注${child}吗？回复“是”转告，“不是”不转告。`,
  urgentFiled: (number: string, byDirector: boolean) =>
    [
      byDirector
        ? `已按紧急情况立案，编号 ${number}，乡镇和救助热线已同时收到。请尽快核实（回复“案件 ${number}”查看）。`
        : `已按紧急情况报告村儿童主任和乡镇，编号 ${number}，他们会马上处理。`,
      '如果孩子现在有危险，请立即拨打110报警；受伤或有生命危险请拨打120；也可拨打12355青少年服务热线。',
    ].join('\n'),
  unnamedChild: '（未说明是哪个孩子）',
  sendersChildren: (names: readonly string[]) => `发送人的孩子：${names.join('、')}`,
  concernFiled: (number: string) => `收到，已转告村儿童主任（编号 ${number}），会尽快跟进。谢谢您！`,
  whoSaid: { parent: '家长', guardian: '监护人', teacher: '帮扶教师' } as Record<string, string>,
  nameTheChild: '请说明是哪个孩子，例如：王小红最近不爱说话。',
  askHolidayDate: (what: string) => `请告诉我具体哪天${what}，例如：${what} 1月25日`,
  greeting: (name: string) => `${name}您好！有事直接跟我说就行，比如“今天和孩子视频了20分钟”。`,
  thanks: '不客气，有需要随时找我！',
  nothingPending: '请先告诉我要做什么，例如：今天和孩子视频了20分钟。',
  caseNumberNeeded: '请写明案件编号，例如：000018 核实了。',
  recordUpdateHint: (child: string | null) => `请这样更新档案：更新 ${child ?? '<孩子>'} <字段> <新值>，或 更新 ${child ?? '<孩子>'} 无变化`,
  stopPrompts: '如需暂停提醒，请发送“暂停提醒 2周”；不想再收到提醒，请发送“退订”。孩子的安全提醒不会因此停止。',
  myData: '发送“我的数据”可以查看我们保存的您和孩子的信息；要更正请发送“更正 …”，要删除请发送“删除我的信息”。',
  entrustHint: '申请委托监护请这样发：委托 [孩子] <监护人姓名> [关系]，例如：委托 张奶奶 祖母',
  notUnderstood: (role: PersonRole, lines: readonly string[]) =>
    [`没有完全看懂。${ROLE_NAMES[role] ?? ''}最常用的是：`, ...lines.map((line) => `· ${line}`), '发送“帮助”查看全部。'].join('\n'),
};

const ROLE_NAMES: Partial<Record<PersonRole, string>> = { parent: '家长', guardian: '监护人', teacher: '帮扶教师', director: '儿童主任' };

/** The two things each role most often comes for: the hint for a message the bot did not understand. */
export const LIKELY_COMMANDS: Record<PersonRole, readonly string[]> = {
  parent: ['已联系 [孩子] [视频/电话/见面] [分钟]，或直接说“今天和孩子视频了20分钟”', '近况 [孩子]，或直接问“孩子最近怎么样”'],
  guardian: ['情况 <描述>，或直接说孩子的情况', '已联系 <家长> [视频/电话/见面]，或直接说“他爸今天打了电话”'],
  teacher: ['回复定期交流提醒，例如：1 正常、2 关注 情绪低落，或“都正常”', '直接说孩子的情况，例如：张浩然最近上课总走神'],
  director: ['报告 <孩子> <类型> <描述>，或直接描述走访发现的情况', '案件 [编号]，或直接问“000018到哪一步了”'],
  officer: ['请通过管理平台查看台账和个案。'],
  hotline: ['紧急报告会第一时间发给您。'],
};
