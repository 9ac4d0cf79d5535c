/** Reports (通报处置卡): 报告 in one line or as the guided dialog, attachments, and the alert every report sends. */
import { PERSON_ROLE_LABELS, SEVERITY_LABELS } from '../../domain/labels';
import type { PersonRole, Severity } from '../../store/db/database';

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

export const reportsTexts = {
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
} as const;
