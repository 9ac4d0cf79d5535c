/**
 * Every text the bot says in chat, in zh-CN, one file per feature in ./chat/. Keywords are the
 * product's public interface (DESIGN.md, Chat language): change them there and in the README together.
 */
import { generalTexts } from './chat/general';
import { bindingTexts } from './chat/binding';
import { familyTexts } from './chat/family';
import { contactTexts } from './chat/contact';
import { reportsTexts } from './chat/reports';
import { casesTexts } from './chat/cases';
import { checkInsTexts } from './chat/checkIns';
import { recordsTexts } from './chat/records';
import { holidaysTexts } from './chat/holidays';
import { guardianshipTexts } from './chat/guardianship';

export type { ReportCard } from './chat/reports';

/**
 * The one lookup of the chat's texts, combined from the feature files in ./chat/. A key may still
 * be written here (it overrides nothing: tests/unit/texts/catalog.test.ts fails on a key defined twice).
 */
export const catalog = {
  ...generalTexts,
  ...bindingTexts,
  ...familyTexts,
  ...contactTexts,
  ...reportsTexts,
  ...casesTexts,
  ...checkInsTexts,
  ...recordsTexts,
  ...holidaysTexts,
  ...guardianshipTexts,
} as const;

export const CONTACT_METHOD_WORDS = { 视频: 'video', 电话: 'phone', 见面: 'visit' } as const;
export const ROLE_WORDS = { 家长: 'parent', 监护人: 'guardian', 教师: 'teacher' } as const;
/** Status words of a teacher's check-in reply (`2 关注 情绪低落`); the longest match wins. */
export const CHECK_IN_STATUS_WORDS = { 正常: 'normal', 关注: 'concern', 需关注: 'concern', 紧急: 'urgent' } as const;
/** Action words of 案件 <编号> <动作> (the department words are in src/domain/caseWorkflow.ts). */
export const CASE_ACTION_WORDS = { 核实: 'verify', 转介: 'refer', 帮扶: 'assist', 结案: 'close', 驳回: 'dismiss', 重开: 'reopen' } as const;
