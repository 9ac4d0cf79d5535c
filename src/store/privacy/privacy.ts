import type { Db, Tx } from '../db/database';

/** 退订 pauses prompts until this date: far enough to mean "until 恢复提醒". */
export const UNSUBSCRIBED_UNTIL = new Date('9999-12-31T00:00:00Z');

export async function recordNoticeGiven(tx: Tx, personId: number, version: number, now: Date): Promise<void> {
  await tx.person.update({ where: { id: personId }, data: { noticeVersion: version, noticeAt: now }, select: { id: true } });
}

/**
 * Scheduled prompts to the person wait until `until`; null resumes them. The pause in force ends
 * now and the new one is kept as history (PromptPause): a closed contact week is judged by whether
 * the parent was paused when it ended, whenever it is closed.
 */
export async function pausePrompts(tx: Tx, personId: number, until: Date | null, now: Date): Promise<void> {
  await tx.person.update({ where: { id: personId }, data: { promptsPausedUntil: until }, select: { id: true } });
  await tx.promptPause.updateMany({ where: { personId, endsAt: { gt: now } }, data: { endsAt: now } });
  if (until !== null) await tx.promptPause.create({ data: { personId, startedAt: now, endsAt: until }, select: { id: true } });
}

/**
 * Those of `personIds` whose prompts are paused (暂停提醒) or stopped (退订) at `now`: the
 * scheduled questions (holiday, return-home) skip them without recording them as asked, so a
 * parent who resumes in time is still asked.
 */
export async function pausedAmong(db: Db | Tx, personIds: number[], now: Date): Promise<Set<number>> {
  const rows = await db.person.findMany({ where: { id: { in: personIds }, promptsPausedUntil: { gt: now } }, select: { id: true } });
  return new Set(rows.map((row) => row.id));
}

export interface StoredAboutPerson {
  name: string;
  phone: string | null;
  schoolName: string | null;
  areaName: string;
  chatAccounts: number;
  noticeVersion: number | null;
  promptsPausedUntil: Date | null;
  children: Array<{
    name: string;
    birthDate: string;
    schoolName: string | null;
    grade: string | null;
    relation: string | null;
    hasFamilySituation: boolean;
    hasHealthStatus: boolean;
    contactLogs: number;
    checkIns: number;
  }>;
}

/**
 * What 我的数据 shows: the person's own record and, for each child linked to them, which kinds
 * of record are kept. Reports and assessments are not listed: a family must never learn that, or
 * by whom, they were reported.
 */
export async function storedAboutPerson(tx: Tx, personId: number): Promise<StoredAboutPerson> {
  const person = await tx.person.findUniqueOrThrow({
    where: { id: personId },
    select: { name: true, phone: true, schoolName: true, noticeVersion: true, promptsPausedUntil: true, area: { select: { name: true } }, _count: { select: { identities: true } } },
  });
  const links = await tx.childLink.findMany({
    where: { personId, endedAt: null, child: { archivedAt: null }, kind: { in: ['parent', 'guardian'] } },
    orderBy: { childId: 'asc' },
    select: {
      relation: true,
      child: {
        select: {
          name: true,
          birthDate: true,
          schoolName: true,
          grade: true,
          familySituation: true,
          healthStatus: true,
          _count: { select: { contactLogs: true, checkIns: true } },
        },
      },
    },
  });
  return {
    name: person.name,
    phone: person.phone,
    schoolName: person.schoolName,
    areaName: person.area.name,
    chatAccounts: person._count.identities,
    noticeVersion: person.noticeVersion,
    promptsPausedUntil: person.promptsPausedUntil,
    children: links.map(({ relation, child }) => ({
      name: child.name,
      birthDate: child.birthDate,
      schoolName: child.schoolName,
      grade: child.grade,
      relation,
      hasFamilySituation: child.familySituation !== null && child.familySituation !== '',
      hasHealthStatus: child.healthStatus !== null && child.healthStatus !== '',
      contactLogs: child._count.contactLogs,
      checkIns: child._count.checkIns,
    })),
  };
}
