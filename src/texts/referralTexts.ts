import { DateTime } from 'luxon';
import { DEPARTMENT_NAMES, type Department } from '../domain/departments';

/** Messages of referrals (转介) to department staff, directors and the township. */
const time = (date: Date, timeZone: string) => DateTime.fromJSDate(date, { zone: timeZone }).toFormat('M月d日 HH:mm');

export const referralTexts = {
  /** A deadline as the messages write it (M月d日 HH:mm). */
  time,
  /** To the department's staff, at once. */
  sent: (department: Department, number: string, village: string, request: string | null, dueAt: Date, timeZone: string) =>
    `【转介】${village}个案 ${number} 已转介${DEPARTMENT_NAMES[department]}部门${request ? `：${request}` : '。'}请登录守望平台接收，并在 ${time(dueAt, timeZone)} 前反馈处理情况。`,
  /** To the village's directors: what the department did. */
  accepted: (department: Department, number: string) => `${DEPARTMENT_NAMES[department]}部门已接收个案 ${number} 的转介。`,
  progress: (department: Department, number: string, note: string) => `${DEPARTMENT_NAMES[department]}部门更新了个案 ${number} 的处理情况：${note}`,
  answered: (department: Department, number: string, note: string) => `${DEPARTMENT_NAMES[department]}部门反馈了个案 ${number}：${note}`,
  returned: (department: Department, number: string, note: string) => `${DEPARTMENT_NAMES[department]}部门退回了个案 ${number} 的转介，原因：${note}。请重新核实或转介其他部门。`,
  /** Past the deadline: the department first, then the township. */
  overdueForDepartment: (department: Department, number: string, dueAt: Date, timeZone: string) =>
    `【转介超期】个案 ${number} 转介${DEPARTMENT_NAMES[department]}部门，应在 ${time(dueAt, timeZone)} 前反馈，尚未反馈。请尽快处理。`,
  overdueForTownship: (department: Department, number: string, village: string, dueAt: Date, timeZone: string) =>
    `【转介超期】${village}个案 ${number} 转介${DEPARTMENT_NAMES[department]}部门，应在 ${time(dueAt, timeZone)} 前反馈，已超期两倍时限仍未反馈，请协调督办。`,
};
