import { DateTime } from 'luxon';
import { z } from 'zod';
import { maskPhone } from '../../domain/phone';
import { pausePrompts, storedAboutPerson, UNSUBSCRIBED_UNTIL, type StoredAboutPerson } from '../../store/privacy';
import type { BoundTurn, ChatCommand } from '../turn';

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
    await pausePrompts(tx, sender.person.id, until);
    return turn.reply(`好的，${weeks.data}周内不再给您发提醒（到${DateTime.fromJSDate(until, { zone: turn.settings.timeZone }).toFormat('M月d日')}）。发送“恢复提醒”可随时恢复。`);
  },
};

export const unsubscribeCommand: ChatCommand = {
  keywords: ['退订'],
  roles: ['parent', 'guardian', 'teacher'],
  async handle(turn) {
    const { tx, sender } = turn as BoundTurn;
    await pausePrompts(tx, sender.person.id, UNSUBSCRIBED_UNTIL);
    return turn.reply('已退订，不再给您发定期提醒。您仍可随时发消息；发送“恢复提醒”可重新接收。');
  },
};

export const resumePromptsCommand: ChatCommand = {
  keywords: ['恢复提醒'],
  roles: ['parent', 'guardian', 'teacher'],
  async handle(turn) {
    const { tx, sender } = turn as BoundTurn;
    await pausePrompts(tx, sender.person.id, null);
    return turn.reply('已恢复，之后会照常给您发提醒。');
  },
};
