import { DateTime } from 'luxon';
import { z } from 'zod';
import { maskPhone } from '../../domain/phone';
import { personActor } from '../../store/audit/auditLog';
import type { DataRequestKind } from '../../store/db/database';
import { answerDataRequest, dataRequestsInScope, fileDataRequest } from '../../store/privacy/dataRequests';
import { pausePrompts, storedAboutPerson, UNSUBSCRIBED_UNTIL, type StoredAboutPerson } from '../../store/privacy/privacy';
import type { BoundTurn, ChatCommand } from '../turn';
import { areaPathOf } from '../../store/registry/areas';

const MAX_PAUSE_WEEKS = 52;
const DEFAULT_PAUSE_WEEKS = 4;
const pauseWeeks = z.coerce.number().int().min(1).max(MAX_PAUSE_WEEKS);

/** 我的数据: what is kept about the sender and their children, in plain words. */
export const myDataCommand: ChatCommand = {
  keywords: ['我的数据', '我的信息'],
  roles: ['parent', 'guardian', 'teacher', 'director', 'officer'],
  async handle(turn) {
    const { tx, sender } = turn as BoundTurn;
    return turn.reply(describeStored(await storedAboutPerson(tx, sender.person.id), turn.settings.timeZone));
  },
};

function describeStored(stored: StoredAboutPerson, timeZone: string): string {
  const lines = [
    '我们保存的关于您的信息：',
    `· 姓名：${stored.name}`,
    `· 电话：${stored.phone ? maskPhone(stored.phone) : '未登记'}`,
    `· 所在地：${stored.areaName}${stored.schoolName ? `，学校：${stored.schoolName}` : ''}`,
    `· 绑定的聊天账号：${stored.chatAccounts}个`,
    `· 提醒：${pauseState(stored.promptsPausedUntil, timeZone)}`,
  ];
  for (const child of stored.children) {
    lines.push(
      `孩子${child.name}${child.relation ? `（您是${child.relation}）` : ''}：`,
      `· 出生日期 ${child.birthDate}${child.schoolName ? `，${child.schoolName}${child.grade ?? ''}` : ''}`,
      `· 家庭情况：${child.hasFamilySituation ? '有记录' : '无'}；健康情况：${child.hasHealthStatus ? '有记录' : '无'}`,
      `· 联系记录${child.contactLogs}条，老师走访记录${child.checkIns}条`,
    );
  }
  lines.push('如需更正，请发送“更正 内容”；如需删除，请发送“删除我的信息”。');
  return lines.join('\n');
}

function pauseState(until: Date | null, timeZone: string): string {
  if (until === null) return '正常接收';
  if (until.getTime() >= UNSUBSCRIBED_UNTIL.getTime()) return '已退订';
  return `暂停到${DateTime.fromJSDate(until, { zone: timeZone }).toFormat('M月d日')}`;
}

/** 暂停提醒 [N周] and 退订: scheduled prompts to the sender stop; staff alerts about a child's safety never do. */
export const pausePromptsCommand: ChatCommand = {
  keywords: ['暂停提醒'],
  roles: ['parent', 'guardian', 'teacher'],
  async handle(turn, args) {
    const { tx, sender } = turn as BoundTurn;
    const weeks = pauseWeeks.safeParse(args.replace(/[周星期\s]/g, '') || DEFAULT_PAUSE_WEEKS);
    if (!weeks.success) return turn.reply(`请发送“暂停提醒 周数”，周数为1到${MAX_PAUSE_WEEKS}，例如：暂停提醒 2周`);
    const until = DateTime.fromJSDate(turn.now, { zone: turn.settings.timeZone }).plus({ weeks: weeks.data }).startOf('day').toJSDate();
    await pausePrompts(tx, sender.person.id, until, turn.now);
    return turn.reply(`好的，${weeks.data}周内不再给您发提醒（到${DateTime.fromJSDate(until, { zone: turn.settings.timeZone }).toFormat('M月d日')}）。发送“恢复提醒”可随时恢复。`);
  },
};

export const unsubscribeCommand: ChatCommand = {
  keywords: ['退订'],
  roles: ['parent', 'guardian', 'teacher'],
  async handle(turn) {
    const { tx, sender } = turn as BoundTurn;
    await pausePrompts(tx, sender.person.id, UNSUBSCRIBED_UNTIL, turn.now);
    return turn.reply('已退订，不再给您发定期提醒。您仍可随时发消息；发送“恢复提醒”可重新接收。');
  },
};

export const resumePromptsCommand: ChatCommand = {
  keywords: ['恢复提醒'],
  roles: ['parent', 'guardian', 'teacher'],
  async handle(turn) {
    const { tx, sender } = turn as BoundTurn;
    await pausePrompts(tx, sender.person.id, null, turn.now);
    return turn.reply('已恢复，之后会照常给您发提醒。');
  },
};

const MAX_REQUEST_LENGTH = 500;

function deadline(date: Date, timeZone: string): string {
  return DateTime.fromJSDate(date, { zone: timeZone }).toFormat('M月d日');
}

async function fileRequest(turn: BoundTurn, kind: DataRequestKind, text: string | null, what: string): Promise<void> {
  const { id, dueAt, directorIds } = await fileDataRequest(turn.tx, { personId: turn.sender.person.id, kind, text, now: turn.now, actor: personActor(turn.sender.person.id) });
  const due = deadline(dueAt, turn.settings.timeZone);
  for (const directorId of directorIds) {
    await turn.notify(directorId, `${turn.sender.person.name}提出${what}申请（编号${id}），请在${due}前答复：发送“申请 ${id} 答复内容”。发送“申请”查看全部。`);
  }
  return turn.reply(`已收到您的${what}申请（编号${id}），村儿童主任将在${due}前答复您。`);
}

/** 更正 <内容>: asks for a correction of what is kept; a director answers by the deadline. */
export const correctionCommand: ChatCommand = {
  keywords: ['更正'],
  roles: ['parent', 'guardian', 'teacher'],
  async handle(turn, args) {
    if (args.length === 0) return turn.reply('请写明要更正什么，例如：更正 我的电话改为13800001234');
    if (args.length > MAX_REQUEST_LENGTH) return turn.reply(`更正内容请不超过${MAX_REQUEST_LENGTH}字。`);
    return fileRequest(turn as BoundTurn, 'correction', args, '更正');
  },
};

/** 删除我的信息: asks for deletion; the director answers, since records a law requires may have to stay. */
export const deletionCommand: ChatCommand = {
  keywords: ['删除我的信息'],
  roles: ['parent', 'guardian', 'teacher'],
  handle: (turn) => fileRequest(turn as BoundTurn, 'deletion', null, '删除'),
};

const answerArgs = z.object({ id: z.coerce.number().int().positive(), answer: z.string().trim().min(1).max(MAX_REQUEST_LENGTH) });

/** 申请: the village's open requests; 申请 <编号> <答复>: answers one, and the person is told. */
export const dataRequestsCommand: ChatCommand = {
  keywords: ['申请'],
  roles: ['director'],
  async handle(turn, args) {
    const { tx, sender } = turn as BoundTurn;
    const village = { path: await areaPathOf(tx, sender.person.areaId) };
    const timeZone = turn.settings.timeZone;
    if (args.length === 0) {
      const open = await dataRequestsInScope(tx, village, { openOnly: true });
      if (open.length === 0) return turn.reply('目前没有待答复的申请。');
      const lines = open.map(
        (request) =>
          `${request.id}. ${request.person.name} ${request.kind === 'deletion' ? '删除信息' : `更正：${request.text}`}（${deadline(request.dueAt, timeZone)}前答复${request.dueAt < turn.now ? '，已逾期' : ''}）`,
      );
      return turn.reply(['待答复的申请：', ...lines, '答复：申请 编号 答复内容'].join('\n'));
    }
    const [id = '', ...rest] = args.split(/\s+/);
    const parsed = answerArgs.safeParse({ id, answer: rest.join(' ') });
    if (!parsed.success) return turn.reply(`请发送“申请 编号 答复内容”，答复不超过${MAX_REQUEST_LENGTH}字。`);
    const answered = await answerDataRequest(tx, { id: parsed.data.id, scope: village, answer: parsed.data.answer, now: turn.now, actor: personActor(sender.person.id) });
    if (!answered) return turn.reply(`没有待答复的申请${parsed.data.id}。发送“申请”查看。`);
    await turn.notify(answered.person.id, `您的${answered.kind === 'deletion' ? '删除' : '更正'}申请（编号${answered.id}）已答复：${parsed.data.answer}`);
    return turn.reply(`已答复申请${answered.id}，并告知${answered.person.name}。`);
  },
};
