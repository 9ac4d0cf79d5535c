/** Binding a chat account (绑定), invites (邀请) and care rooms (绑定群). */
import { PERSON_ROLE_LABELS } from '../../domain/labels';
import type { PersonRole } from '../../store/db/database';

export const bindingTexts = {
  bindUsage: '请发送“绑定 邀请码”，邀请码是6位数字，例如：绑定 123456',
  bindUnknownCode: '邀请码不正确或已失效，请向村儿童主任确认。',
  bindUsedCode: '这个邀请码已经用过了。如需重新绑定，请向村儿童主任申请新的邀请码。',
  bindExpiredCode: '这个邀请码已过期，请向村儿童主任申请新的邀请码。',
  bindAlreadyBound: (name: string) => `您已绑定为${name}，无需重复绑定。`,
  bindTooManyTries: '今天尝试绑定的次数太多了，请明天再试，或联系村儿童主任核对邀请码。',
  privateOnly: '邀请码请在私聊中发送，不要发在群里。',
  bound: (name: string, role: PersonRole) => `绑定成功！${name}，您的身份是${PERSON_ROLE_LABELS[role]}。发送“帮助”查看可以做什么。`,
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
} as const;
