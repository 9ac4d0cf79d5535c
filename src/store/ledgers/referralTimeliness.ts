import { DEPARTMENT_NAMES, DEPARTMENTS, type Department } from '../../domain/departments';
import { percent, type Ledger } from './ledger';

const BATCH = 1000;

interface Tally {
  referred: number;
  accepted: number;
  answered: number;
  answeredOnTime: number;
  returned: number;
  open: number;
  openOverdue: number;
  answerHours: number;
}

const emptyTally = (): Tally => ({ referred: 0, accepted: 0, answered: 0, answeredOnTime: 0, returned: 0, open: 0, openOverdue: 0, answerHours: 0 });

/** 转介反馈及时率: per department, referrals from the area's villages (cases, and 人社's return-home wishes) and how promptly they were answered. */
export const referralTimelinessLedger: Ledger = {
  name: 'referral-timeliness',
  title: '部门转介反馈及时情况',
  columns: [
    { key: 'department', header: '部门' },
    { key: 'referred', header: '转介数' },
    { key: 'accepted', header: '已接收' },
    { key: 'answered', header: '已反馈' },
    { key: 'answeredOnTime', header: '按时反馈' },
    { key: 'onTimeRate', header: '按时反馈率(%)' },
    { key: 'averageAnswerHours', header: '平均反馈用时(小时)' },
    { key: 'returned', header: '已退回' },
    { key: 'open', header: '待反馈' },
    { key: 'openOverdue', header: '其中已超期' },
  ],
  async *rows(db, scope, { now }) {
    const tallies = new Map<Department, Tally>();
    for (let after = 0; ; ) {
      const batch = await db.referral.findMany({
        // A case's village, or the village of a parent whose return-home wish went to 人社.
        where: {
          id: { gt: after },
          OR: [{ report: { area: { path: { startsWith: scope.path } } } }, { returnHomeWish: { person: { area: { path: { startsWith: scope.path } } } } }],
        },
        select: { id: true, department: true, state: true, sentAt: true, dueAt: true, acceptedAt: true, answeredAt: true },
        orderBy: { id: 'asc' },
        take: BATCH,
      });
      for (const referral of batch) {
        const tally = tallies.get(referral.department) ?? emptyTally();
        tallies.set(referral.department, tally);
        tally.referred += 1;
        if (referral.acceptedAt) tally.accepted += 1;
        if (referral.state === 'returned') tally.returned += 1;
        if (referral.answeredAt) {
          tally.answered += 1;
          if (referral.answeredAt.getTime() <= referral.dueAt.getTime()) tally.answeredOnTime += 1;
          tally.answerHours += (referral.answeredAt.getTime() - referral.sentAt.getTime()) / 3_600_000;
        }
        if (referral.state === 'sent' || referral.state === 'accepted') {
          tally.open += 1;
          if (referral.dueAt.getTime() <= now.getTime()) tally.openOverdue += 1;
        }
      }
      if (batch.length < BATCH) break;
      after = batch.at(-1)!.id;
    }
    yield DEPARTMENTS.filter((department) => tallies.has(department)).map((department) => {
      const tally = tallies.get(department)!;
      const { answerHours, ...counts } = tally;
      return {
        department: DEPARTMENT_NAMES[department],
        ...counts,
        onTimeRate: percent(tally.answeredOnTime, tally.answered),
        averageAnswerHours: tally.answered === 0 ? null : Math.round((answerHours / tally.answered) * 10) / 10,
      };
    });
  },
};
