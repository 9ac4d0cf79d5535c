import { DateTime } from 'luxon';
import { DEFAULT_TIME_ZONE } from './contactWeek';

/**
 * The twice-yearly question to away parents (返乡就业创业意愿): would they come back to work near
 * home (work) or start a business there (business), or not (no); and what would help.
 */
export const RETURN_INTENTIONS = ['work', 'business', 'no'] as const;
export type ReturnIntention = (typeof RETURN_INTENTIONS)[number];

export const RETURN_NEEDS = ['training', 'job_referral', 'startup_loan'] as const;
export type ReturnNeed = (typeof RETURN_NEEDS)[number];

export const RETURN_INTENTION_LABELS = { work: '返乡就业', business: '返乡创业', no: '暂不返乡' } as const satisfies Record<ReturnIntention, string>;
export const RETURN_NEED_LABELS = { training: '技能培训', job_referral: '就业推荐', startup_loan: '创业贷款' } as const satisfies Record<ReturnNeed, string>;

/** A stored intention read back; null when unanswered (or not one of ours). */
export const returnIntentionOf = (text: string | null): ReturnIntention | null => ((RETURN_INTENTIONS as readonly string[]).includes(text ?? '') ? (text as ReturnIntention) : null);

/** Stored needs (comma-separated) read back. */
export const returnNeedsOf = (text: string | null): ReturnNeed[] => (text ? text.split(',').filter((need): need is ReturnNeed => (RETURN_NEEDS as readonly string[]).includes(need)) : []);

/** The half-year a question belongs to: 2026H1 (January–June) or 2026H2, in local time. */
export function returnHomePeriod(now: Date, zone: string = DEFAULT_TIME_ZONE): string {
  const local = DateTime.fromJSDate(now, { zone });
  return `${local.year}H${local.month <= 6 ? 1 : 2}`;
}

/** The words parents use, in order of precedence (不 before the plain word). */
const INTENTION_WORDS: Array<[RegExp, ReturnIntention]> = [
  [/不(?:想|会|打算|考虑|准备)?(?:回|返)|不回来|暂不|还不|没(?:有)?(?:打算|想)|不考虑/, 'no'],
  [/创业|做生意|开(?:店|厂|个)|搞养殖|种植|养殖|自己干/, 'business'],
  [/就业|找(?:个|份)?(?:工作|活)|上班|打工|务工|回(?:来|去|乡|家)|返乡/, 'work'],
];

const NEED_WORDS: Array<[RegExp, ReturnNeed]> = [
  [/培训|技能|学(?:门|个)?手艺|学技术/, 'training'],
  [/推荐|介绍(?:工作|岗位)?|岗位|招聘|找工作|工作机会/, 'job_referral'],
  [/贷款|资金|贷|本钱|启动/, 'startup_loan'],
];

const NOTHING = /(?:都)?不(?:需要|用)|没(?:有)?(?:需要|什么)|无需/;
const CONSENT = /同意|可以(?:联系|打电话|给)|愿意.{0,6}联系|请.{0,6}联系我|转(?:给|介)/;
const REFUSAL = /不同意|不要(?:联系|转)|别(?:联系|转|打电话)|不用联系/;

export interface ReturnAnswer {
  intention: ReturnIntention | null;
  needs: ReturnNeed[];
  /** true: agreed that 人社 contacts them; false: refused; null: not said. */
  consent: boolean | null;
}

/** Reads an answer in the parent's words or as keyword arguments (`创业 贷款 同意`). */
export function readReturnAnswer(text: string): ReturnAnswer {
  const consent = REFUSAL.test(text) ? false : CONSENT.test(text) ? true : null;
  // The consent words are not the answer itself (不同意 is no 不返乡).
  const rest = text.replace(REFUSAL, ' ').replace(CONSENT, ' ');
  const intention = INTENTION_WORDS.find(([pattern]) => pattern.test(rest))?.[1] ?? null;
  const needs = NOTHING.test(rest) ? [] : NEED_WORDS.filter(([pattern]) => pattern.test(rest)).map(([, need]) => need);
  return { intention, needs, consent };
}
