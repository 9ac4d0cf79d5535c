import { contactWeekOf, previousContactWeek, type ContactWeek } from '../../domain/contactWeek';
import { transitionCase, type CaseAction, type CaseState, type Department } from '../../domain/caseWorkflow';
import { personActor } from '../../store/audit/auditLog';
import { saveCaseMove } from '../../store/cases/cases';
import { createReferral } from '../../store/cases/referrals';
import type { ReportType } from '../../domain/reportType';
import type { Db, Severity } from '../../store/db/database';
import { fileReport } from '../../store/cases/reports';

/** Closed weeks of contact history the demo gets: the console's 12-week trend. */
const HISTORY_WEEKS = 12;

/**
 * Whether an away parent kept a demo week: a fixed pattern, so every run of the seed (and every
 * test on it) sees the same numbers. One parent in about five misses now and then, and one
 * village slips in the latest weeks, so the heat table has something to show.
 */
function kept(parentIndex: number, weeksAgo: number, villageSlips: boolean): boolean {
  if (villageSlips && weeksAgo <= 2 && parentIndex % 2 === 0) return false;
  return (parentIndex * 7 + weeksAgo * 3) % 11 !== 0;
}

interface DemoCase {
  village: string;
  type: ReportType;
  severity: Severity;
  description: string;
  /** Hours before now it was filed: an old enough one is overdue. */
  hoursAgo: number;
  steps: Array<{ action: CaseAction; note: string; department?: 'education' | 'civil_affairs' | 'health' }>;
}

const DEMO_CASES: DemoCase[] = [
  { village: '990101001001', type: 'psychological', severity: 'normal', description: '孩子近来情绪低落，不愿上学', hoursAgo: 6, steps: [] },
  { village: '990101001001', type: 'living_hardship', severity: 'normal', description: '奶奶住院，家中无人做饭', hoursAgo: 24 * 5, steps: [] },
  { village: '990101001002', type: 'illness_or_accident', severity: 'high', description: '骑车摔伤，需复查', hoursAgo: 30, steps: [{ action: 'verify', note: '已上门核实，伤情稳定' }] },
  { village: '990101002001', type: 'dropout', severity: 'high', description: '连续两周未到校', hoursAgo: 24 * 6, steps: [{ action: 'verify', note: '已核实辍学在家' }, { action: 'refer', note: '转教育部门劝返', department: 'education' }] },
  { village: '990101002001', type: 'guardianship_gap', severity: 'urgent', description: '监护人外出，孩子独自在家', hoursAgo: 3, steps: [] },
  { village: '990101002002', type: 'living_hardship', severity: 'normal', description: '冬衣不足', hoursAgo: 24 * 12, steps: [{ action: 'verify', note: '属实' }, { action: 'refer', note: '转民政临时救助', department: 'civil_affairs' }, { action: 'assist', note: '已发放冬衣' }] },
  { village: '990101002002', type: 'illness_or_accident', severity: 'normal', description: '感冒发烧', hoursAgo: 24 * 20, steps: [{ action: 'verify', note: '属实' }, { action: 'refer', note: '转卫健', department: 'health' }, { action: 'assist', note: '已就医' }, { action: 'close', note: '已痊愈' }] },
];

/**
 * Twelve closed weeks of contact and a few cases in every state, for the freshly seeded demo
 * district: without a history the console's charts and boards would be empty.
 */
export async function seedDemoHistory(db: Db, now: Date, timeZone: string): Promise<{ contactWeeks: number; cases: number }> {
  const links = await db.childLink.findMany({
    where: { kind: 'parent', worksAway: true, endedAt: null, child: { isDemo: true } },
    select: { childId: true, personId: true, child: { select: { areaId: true, area: { select: { code: true } } } } },
    orderBy: { id: 'asc' },
  });
  const weeks: ContactWeek[] = [];
  for (let week = previousContactWeek(contactWeekOf(now, timeZone)); weeks.length < HISTORY_WEEKS; week = previousContactWeek(week)) weeks.push(week);
  const rows = links.flatMap((link, parentIndex) => {
    let streak = 0;
    return [...weeks].reverse().map((week, index) => {
      const weeksAgo = HISTORY_WEEKS - index;
      const keptWeek = kept(parentIndex, weeksAgo, link.child.area.code === '990101001002');
      streak = keptWeek ? 0 : streak + 1;
      return {
        childId: link.childId,
        parentId: link.personId,
        weekKey: week.key,
        weekStart: week.start,
        status: keptWeek ? ('kept' as const) : ('missed' as const),
        contactCount: keptWeek ? 1 : 0,
        missedStreak: streak,
        closedAt: week.end,
      };
    });
  });
  await db.contactWeek.createMany({ data: rows });

  for (const [index, demo] of DEMO_CASES.entries()) {
    const village = await db.area.findUniqueOrThrow({ where: { code: demo.village }, select: { id: true, path: true } });
    const child = await db.child.findFirstOrThrow({ where: { areaId: village.id, isDemo: true }, orderBy: { id: 'asc' }, skip: index % 2, select: { id: true } });
    const director = await db.person.findFirstOrThrow({ where: { areaId: village.id, role: 'director', isDemo: true }, select: { id: true } });
    const filedAt = new Date(now.getTime() - demo.hoursAgo * 3_600_000);
    await db.$transaction(async (tx) => {
      const report = await fileReport(tx, { childId: child.id, areaId: village.id, type: demo.type, severity: demo.severity, description: demo.description, source: 'director', reporterId: director.id, now: filedAt, timeZone });
      // The workflow's steps as the village's director took them (the store side of usecases/moveCase.ts: a seed sits below the use cases).
      let state: CaseState = 'reported';
      let department: Department | null = null;
      for (const [stepIndex, step] of demo.steps.entries()) {
        const at = new Date(filedAt.getTime() + (stepIndex + 1) * 3_600_000);
        const moved = transitionCase({ state, severity: demo.severity, action: step.action, note: step.note, department: step.department, now: at });
        const actor = { kind: 'person' as const, personId: director.id, role: 'director' as const, areaPath: village.path };
        department = moved.step.department ?? department;
        await saveCaseMove(tx, { reportId: report.id, fromState: state, state: moved.state, dueAt: moved.dueAt, department, step: moved.step, actor, now: at });
        state = moved.state;
        // A demo referral is a hand-over the department can act on, as a director's would be.
        if (step.action === 'refer' && department) await createReferral(tx, { subject: { reportId: report.id }, department, request: step.note, now: at, actor: personActor(director.id) });
      }
    });
  }
  return { contactWeeks: rows.length, cases: DEMO_CASES.length };
}
