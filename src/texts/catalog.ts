/**
 * Every text the bot says, in zh-CN. Keywords are the product's public interface
 * (DESIGN.md, Chat language): change them here and in the README together.
 */
import type { TermsProblem } from '../domain/guardianshipAgreement';
import { DEPARTMENT_LABELS, PERSON_ROLE_LABELS, REFERRAL_EVENT_LABELS, SEVERITY_LABELS } from '../domain/labels';
import type { PersonRole, Severity } from '../store/database';

/** What every alert about a report says. */
export interface ReportCard {
  number: string;
  child: string;
  /** The type's name on the card, e.g. 虐待或伤害. */
  type: string;
  suspected: boolean;
  severity: Severity;
  description: string;
  actionsTaken: string | null;
  attachments: number;
}

const ATTACHMENT_NAMES: Record<string, string> = { image: '照片', audio: '语音', video: '视频', file: '文件' };

function cardLines(card: ReportCard): string[] {
  return [
    `【${card.severity === 'urgent' ? '紧急报告' : '新报告'}】${card.number}`,
    `孩子：${card.child}`,
    `类型：${card.suspected ? '疑似' : ''}${card.type}（${SEVERITY_LABELS[card.severity]}）`,
    `情况：${card.description}`,
    ...(card.actionsTaken ? [`已采取措施：${card.actionsTaken}`] : []),
    ...(card.attachments > 0 ? [`附件：${card.attachments}个（照片或语音）`] : []),
  ];
}

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

export const catalog = {
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

  bindUsage: '请发送“绑定 邀请码”，邀请码是6位数字，例如：绑定 123456',
  bindUnknownCode: '邀请码不正确或已失效，请向村儿童主任确认。',
  bindUsedCode: '这个邀请码已经用过了。如需重新绑定，请向村儿童主任申请新的邀请码。',
  bindExpiredCode: '这个邀请码已过期，请向村儿童主任申请新的邀请码。',
  bindAlreadyBound: (name: string) => `您已绑定为${name}，无需重复绑定。`,
  bindTooManyTries: '今天尝试绑定的次数太多了，请明天再试，或联系村儿童主任核对邀请码。',
  privateOnly: '邀请码请在私聊中发送，不要发在群里。',
  bound: (name: string, role: PersonRole) => `绑定成功！${name}，您的身份是${PERSON_ROLE_LABELS[role]}。发送“帮助”查看可以做什么。`,

  contactUsage: '请这样记录：已联系 [孩子] [视频/电话/见面] [分钟]，例如：已联系 小明 视频 20',
  contactLogged: (child: string, method: string, minutes: number | null, weekCount: number) =>
    `已记录：本周与${child}${method}联系${minutes ? `${minutes}分钟` : ''}。这是本周第${weekCount}次联系，孩子会很高兴的！`,
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

  worryUsage: '请这样反映：情况 <描述>，例如：情况 孩子这几天不愿意上学',
  worryFiled: (number: string) => `已收到，编号 ${number}。儿童主任会尽快跟进，谢谢您！`,
  worryForDirector: (number: string, child: string, text: string) => `【新情况】${number}\n孩子：${child}\n监护人反映：${text}\n请及时核实（回复“案件 ${number}”查看）。`,

  // Reports (通报处置卡): the alert every report sends.
  reporterLabel: (name: string, role: PersonRole) => `${name}（${PERSON_ROLE_LABELS[role]}）`,
  systemReporter: '系统自动通报',
  reportAlert: (card: ReportCard & { reporter: string }) =>
    [
      ...cardLines(card),
      `报告人：${card.reporter}`,
      card.severity === 'urgent' ? `请立即核实处置（回复“案件 ${card.number}”查看）。` : `请及时核实（回复“案件 ${card.number}”查看）。`,
    ].join('\n'),
  /** The hotline acts on the danger; who reported stays with the village and the township. */
  reportAlertForHotline: (card: ReportCard & { village: string }) => [...cardLines(card), `地点：${card.village}`, `请立即与${card.village}儿童主任联系跟进。`].join('\n'),

  // 报告: one line, or the guided dialog (child → type → description → actions → urgency → confirm).
  reportUsage:
    '请这样报告：报告 <孩子> <类型> <描述>，例如：报告 张小明 打骂 脸上有伤，说是被打的\n类型前可加“疑似”，例如：疑似性侵。也可以只发送“报告”，按提示一步步填写。',
  reportPrivateOnly: '报告涉及孩子和家庭的隐私，请在私聊中发送，不要发在群里。',
  reportUnknownType: (word: string, types: string[]) =>
    [`看不懂类型“${word}”。可以用的类型（回复名称或序号）：`, ...types.map((type, i) => `${i + 1}. ${type}`), '不确定时可以在前面加“疑似”，例如：疑似性侵'].join('\n'),
  reportChooseChild: (name: string, births: string[], oneLine: boolean) =>
    [
      `本村有${births.length}个名为“${name}”的孩子，请回复序号选择：`,
      ...births.map((birth, i) => `${i + 1}. ${name}（出生于${birth}）`),
      oneLine ? '选好后报告会立即提交；发送“取消”放弃。' : '发送“上一步”重填姓名，“取消”放弃。',
    ].join('\n'),
  reportStarted: '开始填写报告（关爱保护情况通报处置卡）。随时可以发送“上一步”返回、“取消”放弃；30分钟没有回复，草稿会作废。',
  reportAskChild: '第1步：请发送孩子的姓名（本村的孩子）。',
  reportAskType: (types: string[]) =>
    ['第2步：是什么情况？请回复类型名称或序号：', ...types.map((type, i) => `${i + 1}. ${type}`), '前6类属于强制报告情形。不确定时可以在前面加“疑似”，例如：疑似性侵'].join('\n'),
  reportAskDescription: '第3步：请简要描述情况：发生了什么、什么时候、在哪里。填写过程中也可以发送照片或语音，会随报告一起提交。',
  reportAskActions: '第4步：已经采取了哪些措施（例如已送医、已报警、已联系监护人）？没有请回复“无”。',
  reportAskUrgency: (mandatory: boolean) =>
    `第5步：是否紧急？紧急报告会立即通知村儿童主任、乡镇工作人员和热线联络人（夜间也会发送）。请回复“紧急”或“不紧急”。${mandatory ? '\n这一类属于强制报告情形，一般应按紧急处理。' : ''}`,
  reportConfirm: (summary: { child: string; type: string; suspected: boolean; severity: Severity; description: string; actionsTaken: string | null; attachments: number }) =>
    [
      '第6步：请确认报告内容：',
      `孩子：${summary.child}`,
      `类型：${summary.suspected ? '疑似' : ''}${summary.type}`,
      `紧急程度：${SEVERITY_LABELS[summary.severity]}`,
      `情况：${summary.description}`,
      `已采取措施：${summary.actionsTaken ?? '无'}`,
      `附件：${summary.attachments}个`,
      '回复“确认”提交，“上一步”修改，“取消”放弃。',
    ].join('\n'),
  reportStepHint: '（正在填写报告：发送“上一步”返回，“取消”放弃）',
  reportNoEarlierStep: '已经是第一步了。发送“取消”可以放弃这次报告。',
  reportBadChoice: (count: number) => `请回复1到${count}之间的序号。`,
  reportDescriptionTooShort: '描述太短了，请多写几个字：发生了什么、什么时候、在哪里。',
  reportTooLong: (limit: number) => `内容太长了（超过${limit}字），请精简一些。`,
  reportBadUrgency: '请回复“紧急”或“不紧急”。',
  reportBadConfirm: '请回复“确认”提交，“上一步”修改，或“取消”放弃。',
  reportCancelled: '已取消，这次报告没有提交。',
  reportDraftExpired: '您之前填写的报告超过30分钟没有继续，草稿已作废，需要时请重新发送“报告”。',
  reportFiled: (number: string, severity: Severity) =>
    `已提交报告，编号 ${number}（${SEVERITY_LABELS[severity]}）。${severity === 'urgent' ? '已立即通知乡镇工作人员和热线联络人。' : ''}请及时核实处置，回复“案件 ${number}”查看。`,
  reportAttachmentAdded: (kind: string, count: number) => `已收到${ATTACHMENT_NAMES[kind] ?? '文件'}，共${count}个附件，会随报告一起提交。`,
  reportAttachmentNotStored: (kind: string) =>
    `这个${ATTACHMENT_NAMES[kind] ?? '文件'}没能保存（服务器暂时存不下文件，我们会处理），不会附在报告里。请用文字说明您看到或听到的情况，报告照常填写。`,
  reportAttachmentNotKept: (maxMegabytes: number) => `这个文件没有保存：文件太大（不能超过${maxMegabytes}MB）或没有收到内容，请换一个较小的文件，或用文字说明。`,
  attachmentOutsideReport: '要把照片或语音附在报告里，请先发送“报告”，在填写过程中发送。',
  attachmentNotUnderstood: '暂时只能处理文字消息，请用文字说明。发送“帮助”查看可以做什么。',

  inviteUsage: '请这样邀请：邀请 家长/监护人/教师 <姓名> <孩子>，例如：邀请 家长 张伟 张小明',
  inviteCreated: (role: string, name: string, child: string, code: string, days: number) =>
    `已为${role}${name}（${child}）生成邀请码：${code}\n请让对方添加本微信后发送“绑定 ${code}”。${days}天内有效，只能使用一次。`,
  childNotInVillage: (name: string) => `本村没有名为“${name}”的孩子。`,
  childNameAmbiguous: (name: string, names: string[]) => `“${name}”可能是：${names.join('、')}。请写孩子的全名。`,
  inviteAlreadyBound: (name: string) => `${name}已经绑定过了，无需再邀请。`,

  roomBindUsage: '请在要绑定的微信群里@我并发送：绑定群 <孩子>',
  roomBound: (child: string) => `本群已设为${child}的关爱群，提醒和老师的情况会同时发到这里。`,
  roomAlreadyBound: (child: string) => `本群已经是${child}的关爱群。`,
  roomOfAnotherVillage: '本群已是其他村孩子的关爱群，不能改绑。如需调整，请联系乡镇工作人员。',

  // Cases (个案): 案件 lists, shows and moves them; case-overdue reminds directors, then the township.
  /** A department's action on its referral, in a case's history. */
  referralStepNames: REFERRAL_EVENT_LABELS,
  /** The verb of a history step, by the state it entered (重开 for a closed case sent back). */
  caseStepNames: { reported: '报告', verified: '核实', referred: '转介', assisting: '帮扶', closed: '结案', dismissed: '驳回', reopened: '重开' } as const,
  caseActionHints: {
    verify: '核实 [说明]',
    refer: '转介 <部门> [说明]',
    assist: '帮扶 <说明>',
    close: '结案 <说明>',
    dismiss: '驳回 <说明>',
    reopen: '重开 <原因>',
  } as const,
  casesNone: '本村目前没有未结的个案。',
  casesPrivateOnly: '个案信息涉及隐私，请在私聊中发送“案件”查看和办理，不要发在群里。',
  casesList: (lines: string[], total: number) => [`本村未结的个案（${total}件）：`, ...lines, '回复“案件 <编号>”查看处理经过。'].join('\n'),
  casesListLine: (number: string, child: string, type: string, state: string, due: string | null, overdue: boolean) =>
    `· ${number} ${child}｜${type}｜${state}${due ? `｜期限 ${due}${overdue ? '（已超期）' : ''}` : ''}`,
  casesListMore: (shown: number, total: number) => `……仅列出${shown}件，共${total}件，请到管理平台查看全部。`,
  caseBadNumber: (text: string) => `“${text}”不是个案编号。编号形如 TV-2026-000001，发送“案件”查看本村的个案。`,
  caseNotFound: (number: string) => `没有找到编号为 ${number} 的个案，请检查编号，或发送“案件”查看本村的个案。`,
  caseUnknownAction: (word: string) => `看不懂“${word}”。可以：核实、转介、帮扶、结案、驳回、重开，例如：案件 TV-2026-000001 核实 已上门了解情况`,
  caseNoteRequired: (number: string, hint: string) => `请写明说明：案件 ${number} ${hint}`,
  caseNoteTooLong: (limit: number) => `说明太长了（超过${limit}字），请简要填写。`,
  caseDepartmentUsage: (number: string, word: string | null) =>
    `${word ? `看不懂部门“${word}”。` : '请写明转介的部门。'}可以转介给：${Object.values(DEPARTMENT_LABELS).join('、')}，例如：案件 ${number} 转介 民政 申请临时救助`,
  // Parents' work (务工): where an away parent works, for 人社's ledger.
  parentWorkUsage: '请这样登记务工情况：务工 <地点> [行业]，例如：务工 深圳 电子厂',
  parentWorkRecorded: (place: string, trade: string | null, since: string) =>
    `已登记：您在${place}务工${trade ? `（${trade}）` : ''}，自${since}起。地点或行业有变化时，再发一次“务工 <地点> [行业]”即可。`,
  referralAlreadyOpen: (number: string, department: string) => `个案 ${number} 已转介${department}部门，正在等待反馈，不必重复转介。`,
  caseTransitionRefused: (number: string, state: string, hints: string[]) =>
    `个案 ${number} 目前${state}，不能这样办理。${hints.length ? `现在可以：${hints.map((hint) => `案件 ${number} ${hint}`).join('；')}` : '它已办结。'}`,
  caseMoved: (number: string, step: string, state: string, due: string | null) => `已${step}个案 ${number}，现在${state}。${due ? `请在 ${due} 前转介。` : ''}`,
  caseDetail: (c: {
    number: string;
    severity: string;
    child: string;
    village: string;
    type: string;
    suspected: boolean;
    state: string;
    due: string | null;
    overdue: boolean;
    department: string | null;
    reporter: string | null;
    description: string;
    actionsTaken: string | null;
    history: string[];
    next: string[];
  }) =>
    [
      `个案 ${c.number}（${c.severity}）`,
      `孩子：${c.child}（${c.village}）`,
      `类型：${c.type}${c.suspected ? '（疑似）' : ''}`,
      `状态：${c.state}${c.due ? `，期限 ${c.due}${c.overdue ? '（已超期）' : ''}` : ''}`,
      ...(c.department ? [`转介部门：${c.department}`] : []),
      ...(c.reporter ? [`报告人：${c.reporter}`] : []),
      `情况：${c.description}`,
      ...(c.actionsTaken ? [`已采取措施：${c.actionsTaken}`] : []),
      '处理经过：',
      ...c.history,
      ...(c.next.length ? [`下一步可以：${c.next.map((hint) => `案件 ${c.number} ${hint}`).join('；')}`] : []),
    ].join('\n'),
  caseHistoryLine: (at: string, who: string, step: string, department: string | null, note: string | null) =>
    `· ${at} ${who}${step}${department ? `（${department}）` : ''}${note ? `：${note}` : ''}`,
  caseActorApi: '管理平台',
  caseActorSystem: '系统',
  caseReporterSystem: '系统自动通报',
  caseOverdueForDirector: (number: string, child: string, type: string, severity: string, state: string, due: string) =>
    `【个案超期】${number}\n孩子：${child}（${type}，${severity}）\n${state}，期限 ${due}，已超期。\n请尽快处理（回复“案件 ${number}”查看）。`,
  caseOverdueForTownship: (number: string, village: string, child: string, type: string, severity: string, state: string, due: string) =>
    `【个案严重超期】${number}\n${village} ${child}（${type}，${severity}）\n${state}，期限 ${due}，已超过两倍期限仍未处理。\n请督促儿童主任尽快处理。`,

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

  // Risk-assessment rounds (每年3月、9月) and 评估. `names` may be cut short of `total` in long lists.
  assessmentRoundStart: (round: string, names: string[], total: number) =>
    [
      `【风险评估】${round}风险评估开始了，本村有${total}名孩子需要评估：`,
      `${names.join('、')}${names.length < total ? `等共${total}名` : ''}`,
      `请逐一回复：评估 <孩子> 低/中/高 [说明]，例如：评估 ${names[0]} 低 学习生活正常`,
      '本月底仍未评估的名单将报送乡镇。',
    ].join('\n'),
  assessmentRoundReminder: (round: string, names: string[], total: number) =>
    [
      `【风险评估提醒】${round}风险评估还有${total}名孩子未完成：`,
      `${names.join('、')}${names.length < total ? `等共${total}名` : ''}`,
      `请回复：评估 <孩子> 低/中/高 [说明]，例如：评估 ${names[0]} 中 情绪低落需关注`,
    ].join('\n'),
  assessmentRoundOverdue: (round: string, villages: Array<{ village: string; directors: string[]; names: string[]; total: number }>, total: number) =>
    [
      `【风险评估未完成】${round}风险评估本月结束，本镇还有${total}名孩子未评估：`,
      ...villages.map(
        (v) => `· ${v.village}${v.directors.length ? `（${v.directors.join('、')}）` : ''}：${v.names.join('、')}${v.names.length < v.total ? `等共${v.total}名` : ''}`,
      ),
      '请督促儿童主任尽快完成评估。',
    ].join('\n'),
  assessmentUsage: '请这样记录：评估 <孩子> 低/中/高 [说明]，例如：评估 张小明 低 学习生活正常',
  assessmentRecorded: (child: string, round: string, level: string, remaining: number) =>
    `已记录：${child}${round}风险评估为“${level}”。${remaining > 0 ? `本轮还有${remaining}名孩子待评估。` : '本村本轮评估已全部完成，谢谢！'}`,
  assessmentHighFiled: (number: string) => `已按高风险自动通报，编号 ${number}，请及时核实（回复“案件 ${number}”查看）。`,
  assessmentHighDescription: (child: string, round: string, note: string | null) =>
    `${round}风险评估：${child}为高风险${note ? `。${note}` : ''}（儿童主任评估后自动通报）`,
  sameNameChildren: (name: string, births: string[]) =>
    [
      `本村有${births.length}个名为“${name}”的孩子：`,
      ...births.map((birth, i) => `${i + 1}. 出生于${birth}`),
      '聊天中暂时无法区分同名的孩子，请通过管理平台办理。',
    ].join('\n'),

  // Quarterly record updates (每季度更新一次) and 更新.
  recordUpdateStart: (quarter: string, lines: string[], total: number) =>
    [
      `【档案季度更新】${quarter}请核对本村${total}名孩子的档案：`,
      ...lines,
      ...(lines.length < total ? [`……等共${total}名`] : []),
      '没有变化请回复：更新 <孩子> 无变化',
      '有变化请回复：更新 <孩子> <字段> <新值>，字段可以是：学校、年级、健康、家庭、监护',
      '例如：更新 张小明 年级 四年级',
    ].join('\n'),
  recordUpdateLine: (index: number, child: string, school: string | null, grade: string | null) =>
    `${index}. ${child}${school || grade ? `（${[school, grade].filter(Boolean).join(' ')}）` : ''}`,
  recordUpdateUsage: '请这样更新档案：更新 <孩子> 无变化，或 更新 <孩子> <字段> <新值>（字段：学校、年级、健康、家庭、监护），例如：更新 张小明 年级 四年级',
  recordConfirmed: (child: string, quarter: string, remaining: number) =>
    `已确认${child}的档案（${quarter}）：无变化。${remaining > 0 ? `本季度还有${remaining}名孩子待确认。` : '本村本季度档案已全部确认，谢谢！'}`,
  recordChanged: (child: string, field: string, before: string | null, after: string, remaining: number) =>
    `已更新${child}的档案：${field}${before ? `由“${before}”` : ''}改为“${after}”。${remaining > 0 ? `本季度还有${remaining}名孩子待确认。` : '本村本季度档案已全部确认，谢谢！'}`,
  recordStaleNotice: (quarter: string, count: number) =>
    `【档案待更新】${quarter}本村有${count}名孩子的档案没有确认，已标记为待更新。请回复：更新 <孩子> 无变化，或 更新 <孩子> <字段> <新值>。`,

  // Holidays (寒暑假): the prompt 14 days before, 回家/接走/不能 answers and the director's 假期 list.
  /** '2027-01-25' → '1月25日' */
  holidayDay: (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`,
  holidayPrompt: (parent: string, child: string, vacation: string, startsOn: string, endsOn: string, nameChild: boolean) => {
    const day = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
    const who = nameChild ? `${child} ` : '';
    return [
      `${parent}您好，${child}的${vacation}${day(startsOn)}开始，${day(endsOn)}结束。这个假期您打算怎么安排？请回复：`,
      `· 回家 ${who}${day(startsOn)} —— 您哪天回家陪孩子`,
      `· 接走 ${who}${day(startsOn)} —— 您哪天把孩子接到身边`,
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

  // Entrusted guardianship (委托监护责任确认书): 委托 by directors and parents, and its two jobs.
  entrustDirectorUsage:
    '请这样确认委托监护：委托 <孩子> <监护人> [关系] [年龄] [健康] [愿意/不愿意] [正常/不足/失当/缺失] [至日期]，例如：委托 张小明 张奶奶 祖母 68岁 健康良好 愿意 正常 至2027-08-31\n不写的项默认：愿意、正常、有效期一年。',
  entrustParentUsage: '请这样申请委托监护：委托 <监护人> [关系]，例如：委托 张奶奶 祖母；有几个孩子时写上孩子：委托 张小明 张奶奶 祖母',
  entrustPrivateOnly: '委托监护的评估请在私聊中发给我，不要发在群里。',
  entrustTermsProblem: (problem: TermsProblem) => {
    switch (problem.code) {
      case 'bad_age':
        return `没有看懂年龄“${problem.token}”，请写成“68岁”。`;
      case 'minor_guardian':
        return `监护人只有${problem.age}岁。受委托的监护人须年满18周岁，请另选成年人。`;
      case 'bad_date':
        return `没有看懂有效期“${problem.token}”，请写成“至2027-08-31”。`;
      case 'repeated':
        return `“${problem.token}”与前面的同类项重复了，每项只写一次。`;
    }
  },
  entrustUntilPast: (until: string) => `有效期“至${until}”已经过去了，请写一个今天以后的日期，或不写（默认一年）。`,
  entrustGuardianUnknown: (guardian: string, child: string) =>
    `本村还没有登记监护人“${guardian}”。请先发送：邀请 监护人 ${guardian} ${child}\n对方绑定后，再发送“委托 ${child} ${guardian} …”。`,
  entrustGuardianNotRegistered: (guardian: string, child: string) =>
    `村里还没有登记监护人“${guardian}”。请联系村儿童主任，请他发送“邀请 监护人 ${guardian} ${child}”登记后，您再申请。`,
  entrustGuardianAmbiguous: (guardian: string) => `本村有几位名为“${guardian}”的监护人，聊天中无法区分，请通过管理平台办理。`,
  entrustNoAwayParent: (child: string) => `${child}没有登记外出务工的家长，委托书需由外出务工的家长签署。请先发送：邀请 家长 <姓名> ${child}`,
  entrustApproved: (child: string, guardian: string, relation: string | null, level: string, from: string, until: string) =>
    `已确认委托监护：${child}由${guardian}${relation ? `（${relation}）` : ''}监护，监护能力“${level}”，有效期${from}至${until}。外出务工的家长须每周与孩子联系。`,
  entrustFollowUp: (guardian: string) => `${guardian}的监护能力不足：请定期上门走访，指导监护人照料孩子，并督促家长多与孩子联系。`,
  entrustRefused: (child: string, guardian: string, reason: string) => `委托未通过：${reason}，${guardian}不能作为${child}的受委托监护人。`,
  entrustCapacityReason: (level: string) => `监护能力评估为“${level}”`,
  entrustUnwillingReason: '监护人不愿意接受委托',
  entrustFindAnother: (child: string) => `请与${child}的家长商量另选受委托监护人。`,
  guardianshipGapDescription: (child: string, guardian: string, level: string, health: string | null) =>
    `委托监护评估：${guardian}对${child}的监护能力为“${level}”${health ? `（${health}）` : ''}，委托未通过，孩子缺少有效监护（儿童主任评估后自动通报）。`,
  guardianshipGapFiled: (urgent: boolean, number: string) =>
    urgent
      ? `已按“监护缺失”紧急通报，编号 ${number}，乡镇工作人员已同时收到。请立即安排孩子的临时照护。`
      : `已按“监护缺失”通报，编号 ${number}，请及时核实处置（回复“案件 ${number}”查看）。`,
  guardianshipGapAlert: (number: string, child: string, description: string) =>
    `【紧急·监护缺失】${number}\n孩子：${child}\n${description}\n请立即核实并安排临时照护（回复“案件 ${number}”查看）。`,
  entrustRequestApproved: (child: string, guardian: string, until: string) =>
    `您申请的委托监护已确认：${child}由${guardian}监护，有效期至${until}。请每周至少与孩子联系一次。`,
  entrustRequestRefused: (child: string, guardian: string) => `您申请的委托监护（${guardian}监护${child}）经村里评估未通过，儿童主任会与您联系，商量另选监护人。`,
  entrustChooseChild: (names: string[]) =>
    [`您有${names.length}个孩子，请写上孩子的名字：`, ...names.map((name, i) => `${i + 1}. ${name}`), `例如：委托 ${names[0]} <监护人> [关系]`].join('\n'),
  entrustParentNotAway: '委托监护由外出务工的家长申请。如果您已外出务工，请联系村儿童主任更新登记。',
  entrustAlreadyValid: (child: string, guardian: string, until: string | null) => `${child}委托${guardian}监护的确认书已经有效${until ? `（至${until}）` : ''}，不用再申请。`,
  entrustAlreadyRequested: (child: string, guardian: string) => `您已申请委托${guardian}监护${child}，正在等待村儿童主任评估确认。`,
  entrustRequested: (child: string, guardian: string) => `已提交：委托${guardian}监护${child}。村儿童主任会评估${guardian}的监护能力，确认后会通知您。`,
  entrustRequestForDirector: (parent: string, child: string, guardian: string, relation: string | null) =>
    `【委托监护申请】家长${parent}申请委托${guardian}${relation ? `（${relation}）` : ''}监护${child}。请上门评估监护能力后回复，例如：委托 ${child} ${guardian} ${relation ?? '祖母'} 68岁 健康良好 愿意 正常`,
  weeklySummary: (area: string, period: string, f: { kept: number; missed: number; reports: number; open: number; overdue: number }) =>
    `【每周汇总】${area} ${period}：亲情联系按时${f.kept}人次、缺失${f.missed}人次；新报告${f.reports}件；在办个案${f.open}件${f.overdue > 0 ? `，其中超期${f.overdue}件，请督办` : ''}。`,
  agreementMissing: (names: string[], total: number) =>
    [
      `【委托监护】本村有${total}名孩子父母都在外务工，还没有有效的委托监护确认书：`,
      `${names.join('、')}${names.length < total ? `等共${total}名` : ''}`,
      `请与家长确定受委托监护人，上门评估后回复：委托 <孩子> <监护人> [关系] …，例如：委托 ${names[0]} 张奶奶 祖母 68岁 健康良好 愿意 正常`,
    ].join('\n'),
  agreementExpiring: (child: string, guardian: string, until: string) =>
    `【委托监护到期提醒】${child}委托${guardian}监护的确认书${until}到期。请与家长续签：重新评估后回复“委托 ${child} ${guardian} …”。`,
  agreementEnded: (child: string, guardian: string, until: string) =>
    `【委托监护已到期】${child}委托${guardian}监护的确认书已于${until}到期终止。请尽快与家长续签，或另选受委托监护人。`,
} as const;

export const CONTACT_METHOD_WORDS = { 视频: 'video', 电话: 'phone', 见面: 'visit' } as const;
export const ROLE_WORDS = { 家长: 'parent', 监护人: 'guardian', 教师: 'teacher' } as const;
/** Status words of a teacher's check-in reply (`2 关注 情绪低落`); the longest match wins. */
export const CHECK_IN_STATUS_WORDS = { 正常: 'normal', 关注: 'concern', 需关注: 'concern', 紧急: 'urgent' } as const;
/** Action words of 案件 <编号> <动作> (the department words are in src/domain/caseWorkflow.ts). */
export const CASE_ACTION_WORDS = { 核实: 'verify', 转介: 'refer', 帮扶: 'assist', 结案: 'close', 驳回: 'dismiss', 重开: 'reopen' } as const;
