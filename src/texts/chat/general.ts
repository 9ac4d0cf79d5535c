/** Greetings, help and the hints for a message the bot did not take, and which child a parent means. */
import { PERSON_ROLE_LABELS } from '../../domain/labels';
import type { PersonRole } from '../../store/db/database';

const ROLE_HELP: Record<PersonRole, string[]> = {
  parent: [
    '已联系 [孩子] [视频/电话/见面] [分钟] —— 记录本周与孩子的联系',
    '近况 [孩子] —— 查看老师和监护人的最新情况',
    '回家 <日期> / 接走 <日期> / 不能 —— 回复寒暑假安排，例如：回家 1月25日',
    '委托 [孩子] <监护人> [关系] —— 申请委托监护，由村儿童主任评估确认，例如：委托 张奶奶 祖母',
    '务工 <地点> [行业] —— 登记您现在的务工地点和行业，例如：务工 深圳 电子厂',
  ],
  guardian: ['情况 <描述> —— 向儿童主任反映孩子的情况', '已联系 <家长> [视频/电话/见面] —— 确认家长本周已联系孩子'],
  teacher: ['回复定期交流提醒，例如：1 正常、2 关注 情绪低落、3 紧急 …'],
  director: [
    '邀请 家长/监护人/教师 <姓名> <孩子> —— 生成绑定邀请码',
    '绑定群 <孩子> —— 在微信群里说，把本群设为孩子的关爱群',
    '报告 <孩子> <类型> <描述> —— 填报通报处置卡；只发“报告”按提示一步步填写',
    '案件 —— 查看本村未结的个案',
    '案件 <编号> —— 查看个案的处理经过',
    '案件 <编号> 核实 [说明] / 转介 <部门> [说明] / 帮扶 <说明> / 结案 <说明> / 驳回 <说明> / 重开 <原因> —— 推进个案',
    '评估 <孩子> 低/中/高 [说明] —— 记录风险评估（每年3月、9月）',
    '委托 <孩子> <监护人> [关系] [年龄] [健康] [愿意/不愿意] [正常/不足/失当/缺失] [至日期] —— 确认委托监护，例如：委托 张小明 张奶奶 祖母 68岁 健康良好 愿意 正常 至2027-08-31',
    '更新 <孩子> 无变化 / 更新 <孩子> <字段> <新值> —— 季度档案更新',
    '假期 —— 查看本村孩子寒暑假安排的回复',
  ],
  officer: ['请通过管理平台查看台账和个案。'],
  hotline: ['紧急报告会第一时间发给您。'],
};

export const generalTexts = {
  help: (role: PersonRole, name: string) =>
    [`${name}您好，您是${PERSON_ROLE_LABELS[role]}。可以发送：`, ...ROLE_HELP[role].map((line) => `· ${line}`), '· 帮助 —— 查看本说明'].join('\n'),
  helpUnbound: '您好，这里是守望关爱服务。请先发送“绑定 邀请码”（6位数字，由村儿童主任提供），例如：绑定 123456',
  hintUnbound: '您还没有绑定身份。请发送“绑定 邀请码”（6位数字，由村儿童主任提供），例如：绑定 123456',
  hintUnknown: (role: PersonRole) => `没有看懂这条消息。${PERSON_ROLE_LABELS[role]}可以发送：\n${ROLE_HELP[role].map((line) => `· ${line}`).join('\n')}\n发送“帮助”查看说明。`,
  hintNotForRole: (keyword: string, role: PersonRole) => `“${keyword}”不是${PERSON_ROLE_LABELS[role]}可用的指令。发送“帮助”查看您可以做什么。`,
  hintEmpty: '收到一条空消息。发送“帮助”查看可以做什么。',
  hintTooLong: (limit: number) => `消息太长了（超过${limit}字），请分几条简短发送。`,
  hintNoWords: '收到了表情，谢谢！如需办理事项，请发送文字，发送“帮助”查看说明。',
  internalError: '抱歉，系统暂时出了点问题，您的消息已记录，我们会尽快处理。',
  /** The one answer a sender gets in a minute of messages over the callback limit (those messages are not handled). */
  callbackSlowDown: '您发送得太快了，刚才的消息没有处理。请稍等一分钟再发送。',
  chooseChild: (keyword: string, names: string[]) =>
    [`您有${names.length}个孩子，请说明是哪一个：`, ...names.map((name, i) => `${i + 1}. ${name}`), `例如：${keyword} ${names[0]} 或 ${keyword} 1`].join('\n'),
  noSuchChild: (name: string) => `没有找到“${name}”，请检查孩子的名字，或发送序号。`,
  noChildren: '您还没有关联的孩子，请联系村儿童主任。',
} as const;
