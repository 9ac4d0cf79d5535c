/**
 * Every text the bot says, in zh-CN. Keywords are the product's public interface
 * (DESIGN.md, Chat language): change them here and in the README together.
 */
import type { PersonRole } from '../store/database';

const ROLE_NAMES: Record<PersonRole, string> = {
  parent: '家长',
  guardian: '监护人',
  teacher: '帮扶教师',
  director: '儿童主任',
  officer: '工作人员',
  hotline: '热线联络人',
};

const ROLE_HELP: Record<PersonRole, string[]> = {
  parent: [
    '已联系 [孩子] [视频/电话/见面] [分钟] —— 记录本周与孩子的联系',
    '近况 [孩子] —— 查看老师和监护人的最新情况',
  ],
  guardian: ['情况 <描述> —— 向儿童主任反映孩子的情况', '已联系 <家长> [视频/电话/见面] —— 确认家长本周已联系孩子'],
  teacher: ['回复定期交流提醒，例如：1 正常、2 关注 情绪低落、3 紧急 …'],
  director: [
    '邀请 家长/监护人/教师 <姓名> <孩子> —— 生成绑定邀请码',
    '绑定群 <孩子> —— 在微信群里说，把本群设为孩子的关爱群',
    '报告 <孩子> <类型> <描述> —— 填报通报处置卡',
    '案件 —— 查看本村的个案',
  ],
  officer: ['请通过管理平台查看台账和个案。'],
  hotline: ['紧急报告会第一时间发给您。'],
};

export const catalog = {
  help: (role: PersonRole, name: string) =>
    [`${name}您好，您是${ROLE_NAMES[role]}。可以发送：`, ...ROLE_HELP[role].map((line) => `· ${line}`), '· 帮助 —— 查看本说明'].join('\n'),
  helpUnbound: '您好，这里是守望关爱服务。请先发送“绑定 邀请码”（6位数字，由村儿童主任提供），例如：绑定 123456',
  hintUnbound: '您还没有绑定身份。请发送“绑定 邀请码”（6位数字，由村儿童主任提供），例如：绑定 123456',
  hintUnknown: (role: PersonRole) => `没有看懂这条消息。${ROLE_NAMES[role]}可以发送：\n${ROLE_HELP[role].map((line) => `· ${line}`).join('\n')}\n发送“帮助”查看说明。`,
  hintNotForRole: (keyword: string, role: PersonRole) => `“${keyword}”不是${ROLE_NAMES[role]}可用的指令。发送“帮助”查看您可以做什么。`,
  hintEmpty: '收到一条空消息。发送“帮助”查看可以做什么。',
  hintTooLong: (limit: number) => `消息太长了（超过${limit}字），请分几条简短发送。`,
  hintNoWords: '收到了表情，谢谢！如需办理事项，请发送文字，发送“帮助”查看说明。',
  internalError: '抱歉，系统暂时出了点问题，您的消息已记录，我们会尽快处理。',

  bindUsage: '请发送“绑定 邀请码”，邀请码是6位数字，例如：绑定 123456',
  bindUnknownCode: '邀请码不正确或已失效，请向村儿童主任确认。',
  bindUsedCode: '这个邀请码已经用过了。如需重新绑定，请向村儿童主任申请新的邀请码。',
  bindExpiredCode: '这个邀请码已过期，请向村儿童主任申请新的邀请码。',
  bindAlreadyBound: (name: string) => `您已绑定为${name}，无需重复绑定。`,
  bound: (name: string, role: PersonRole) => `绑定成功！${name}，您的身份是${ROLE_NAMES[role]}。发送“帮助”查看可以做什么。`,

  contactUsage: '请这样记录：已联系 [孩子] [视频/电话/见面] [分钟]，例如：已联系 小明 视频 20',
  contactLogged: (child: string, method: string, minutes: number | null, weekCount: number) =>
    `已记录：本周与${child}${method}联系${minutes ? `${minutes}分钟` : ''}。这是本周第${weekCount}次联系，孩子会很高兴的！`,
  contactMethodNames: { video: '视频', phone: '电话', visit: '见面' } as const,
  contactNoteForRoom: (parent: string, child: string, method: string) => `${parent}本周已和${child}${method}联系了。`,
  guardianContactConfirmed: (parent: string, child: string) => `已记录：${parent}本周已与${child}联系。谢谢您的确认！`,
  guardianContactUsage: '请这样确认：已联系 <家长姓名> [视频/电话/见面]，例如：已联系 张伟 电话',
  noSuchParent: (name: string) => `没有找到名为“${name}”的家长，请检查姓名。`,

  chooseChild: (keyword: string, names: string[]) =>
    [`您有${names.length}个孩子，请说明是哪一个：`, ...names.map((name, i) => `${i + 1}. ${name}`), `例如：${keyword} ${names[0]} 或 ${keyword} 1`].join('\n'),
  noSuchChild: (name: string) => `没有找到“${name}”，请检查孩子的名字，或发送序号。`,
  noChildren: '您还没有关联的孩子，请联系村儿童主任。',

  recentNotes: (child: string, lines: string[]) => [`${child}的近况：`, ...(lines.length ? lines : ['暂无新的记录。'])].join('\n'),
  recentCheckIn: (date: string, teacher: string, status: string, note: string | null) => `· ${date} ${teacher}老师：${status}${note ? `，${note}` : ''}`,
  recentContact: (date: string, by: string, method: string) => `· ${date} ${by}确认联系（${method}）`,
  checkInStatusNames: { pending: '待回复', normal: '正常', concern: '需关注', urgent: '紧急' } as const,

  worryUsage: '请这样反映：情况 <描述>，例如：情况 孩子这几天不愿意上学',
  worryFiled: (number: string) => `已收到，编号 ${number}。儿童主任会尽快跟进，谢谢您！`,
  worryForDirector: (number: string, child: string, text: string) => `【新情况】${number}\n孩子：${child}\n监护人反映：${text}\n请及时核实（回复“案件 ${number}”查看）。`,

  inviteUsage: '请这样邀请：邀请 家长/监护人/教师 <姓名> <孩子>，例如：邀请 家长 张伟 张小明',
  inviteCreated: (role: string, name: string, child: string, code: string, days: number) =>
    `已为${role}${name}（${child}）生成邀请码：${code}\n请让对方添加本微信后发送“绑定 ${code}”。${days}天内有效，只能使用一次。`,
  childNotInVillage: (name: string) => `本村没有名为“${name}”的孩子。`,

  roomBindUsage: '请在要绑定的微信群里@我并发送：绑定群 <孩子>',
  roomBound: (child: string) => `本群已设为${child}的关爱群，提醒和老师的情况会同时发到这里。`,
  roomAlreadyBound: (child: string) => `本群已经是${child}的关爱群。`,
} as const;

export const CONTACT_METHOD_WORDS = { 视频: 'video', 电话: 'phone', 见面: 'visit' } as const;
export const ROLE_WORDS = { 家长: 'parent', 监护人: 'guardian', 教师: 'teacher' } as const;
