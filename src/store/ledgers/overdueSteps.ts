import { AREA_COLUMNS, ledgerRow, villagesOf } from './areas';
import { OPEN_CASE_STATES } from '../../domain/caseWorkflow';
import { CASE_STATE_LABELS, REPORT_TYPE_LABELS, SEVERITY_LABELS } from '../../domain/labels';
import type { Ledger } from './ledger';

const BATCH = 500;

/** 逾期未办: open cases whose next step is past its deadline, the longest overdue first. */
export const overdueStepsLedger: Ledger = {
  name: 'overdue',
  title: '逾期未办个案',
  columns: [
    ...AREA_COLUMNS,
    { key: 'number', header: '个案编号' },
    { key: 'type', header: '类型' },
    { key: 'severity', header: '严重程度' },
    { key: 'state', header: '当前环节' },
    { key: 'dueAt', header: '办理时限' },
    { key: 'overdueHours', header: '已逾期(小时)' },
    { key: 'escalations', header: '已上报次数' },
  ],
  async *rows(db, scope, { now }) {
    const villages = await villagesOf(db, scope);
    // Keyset over (dueAt, id) on the (state, dueAt) index.
    let after: { dueAt: Date; id: number } | undefined;
    for (;;) {
      const batch = await db.report.findMany({
        where: {
          state: { in: [...OPEN_CASE_STATES] },
          dueAt: { lt: now },
          area: { path: { startsWith: scope.path } },
          ...(after ? { OR: [{ dueAt: { gt: after.dueAt } }, { dueAt: after.dueAt, id: { gt: after.id } }] } : {}),
        },
        select: { id: true, number: true, areaId: true, type: true, severity: true, state: true, dueAt: true, escalations: true },
        orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
        take: BATCH,
      });
      if (batch.length === 0) return;
      yield batch.map((report) => {
        const names = villages.get(report.areaId);
        return ledgerRow(names ?? { district: null, township: null, village: null }, {
          number: report.number,
          type: REPORT_TYPE_LABELS[report.type],
          severity: SEVERITY_LABELS[report.severity],
          state: CASE_STATE_LABELS[report.state],
          dueAt: report.dueAt!.toISOString(),
          overdueHours: Math.round((now.getTime() - report.dueAt!.getTime()) / 360_000) / 10,
          escalations: report.escalations,
        });
      });
      const last = batch.at(-1)!;
      after = { dueAt: last.dueAt!, id: last.id };
      if (batch.length < BATCH) return;
    }
  },
};
