import { keyed } from '../texts/keyedMessages';
import type { Job } from './job';
import { promptMissingContact } from './contactReminder';

/** Sunday evening: the last call for away parents still without a contact this week. */
export const contactLastCallJob: Job = {
  name: 'contact-last-call',
  defaultSchedule: '0 19 * * 0',
  description: '每周日晚再次提醒本周仍未与孩子联系的外出务工家长（同时发到孩子的关爱群）',
  run: (context) =>
    promptMissingContact(context, { job: 'contact-last-call', personal: keyed.contactLastCall, room: keyed.contactLastCallForRoom }),
};
