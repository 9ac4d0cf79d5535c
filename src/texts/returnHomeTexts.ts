import { RETURN_INTENTION_LABELS, RETURN_NEED_LABELS, type ReturnIntention, type ReturnNeed } from '../domain/returnHome';
import type { ReferralAction } from '../domain/referrals';
import { referralTexts } from './referralTexts';

/** Messages of the twice-yearly return-home question (返乡就业创业意愿) and its referral to 人社. */
const needList = (needs: readonly ReturnNeed[]) => (needs.length ? needs.map((need) => RETURN_NEED_LABELS[need]).join('、') : '暂无');

export const returnHomeTexts = {
  needList,
  /** To an away parent, twice a year. */
  question: (parent: string) =>
    `${parent}您好！家乡正在支持外出务工人员返乡就业创业。您是否考虑回家乡附近工作或创业？需要哪些帮助（技能培训、就业推荐、创业贷款）？\n` +
    `请回复，例如：“返乡 就业 培训”“返乡 创业 贷款 同意”，或“不返乡”。写上“同意”，我们会把您的姓名、电话和需要转给人社部门联系您；不写则只作统计。`,
  usage: '请这样回复：返乡 就业/创业 [培训] [推荐] [贷款] [同意]，例如“返乡 创业 贷款 同意”；不考虑请回复“不返乡”。',
  /** The parent's answer said back; `asksConsent` when they want help but said nothing of consent. */
  recorded: (intention: ReturnIntention | null, needs: readonly ReturnNeed[], referred: boolean, asksConsent: boolean) => {
    const what = intention ? RETURN_INTENTION_LABELS[intention] : '您的意愿';
    if (intention === 'no') return '已记录：暂不返乡。谢谢您的回复，以后有打算随时告诉我们。';
    const line = `已记录：${what}，需要的帮助：${needList(needs)}。`;
    if (referred) return `${line}已转给人社部门，他们会尽快联系您。`;
    if (asksConsent) return `${line}如需人社部门联系您，请回复“返乡 同意”。`;
    return line;
  },
  consentRefused: '好的，不会把您的信息转给人社部门，只作统计。',
  /** To 人社's staff of the parent's area, when a consenting parent asks for help: a referral with a deadline. */
  referral: (parent: string, village: string, intention: ReturnIntention, needs: readonly ReturnNeed[], dueAt: Date, timeZone: string) =>
    `【返乡就业创业转介】${village}外出务工家长 ${parent} 有意${RETURN_INTENTION_LABELS[intention]}，需要：${needList(needs)}。家长已同意由人社部门联系，请登录守望平台接收、查看联系方式并跟进，在 ${referralTexts.time(dueAt, timeZone)} 前反馈。`,
  /** To the parent: what 人社 did with their request (its note, where the action has one). */
  referralReply: (action: ReferralAction, note: string): string =>
    ({
      accept: '人社部门已接收您的返乡就业创业需求，会尽快与您联系。',
      progress: `人社部门更新了您的返乡就业创业需求的办理情况：${note}`,
      answer: `人社部门答复了您的返乡就业创业需求：${note}`,
      return: `人社部门暂未能办理您的返乡就业创业需求：${note}。如有新的打算，可再回复“返乡 …”告诉我们。`,
    })[action],
  /** The reply's state, as a template field. */
  referralReplyState: { accept: '已接收', progress: '办理中', answer: '已答复', return: '暂未能办理' } as const satisfies Record<ReferralAction, string>,
  /** Past the deadline: 人社's staff first, then the township. */
  overdueForDepartment: (parent: string, village: string, dueAt: Date, timeZone: string) =>
    `【转介超期】${village}家长 ${parent} 的返乡就业创业转介，应在 ${referralTexts.time(dueAt, timeZone)} 前反馈，尚未反馈。请尽快联系家长并反馈。`,
  overdueForTownship: (parent: string, village: string, dueAt: Date, timeZone: string) =>
    `【转介超期】${village}家长 ${parent} 的返乡就业创业转介人社部门，应在 ${referralTexts.time(dueAt, timeZone)} 前反馈，已超期两倍时限仍未反馈，请协调督办。`,
};
