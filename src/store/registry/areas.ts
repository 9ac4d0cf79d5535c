import { areaPath, childLevel, type AreaLevel } from '../../domain/areaScope';
import { DomainError } from '../../domain/DomainError';
import { recordAudit } from '../audit/auditLog';
import { areaWithin, type AreaScope } from './areaScopeFilter';
import type { Db, Tx } from '../db/database';

export interface AreaRecord {
  id: number;
  code: string;
  name: string;
  level: AreaLevel;
  path: string;
  parentCode: string | null;
  casePrefix: string | null;
}

const AREA_SELECT = { id: true, code: true, name: true, level: true, path: true, casePrefix: true, parent: { select: { code: true } } } as const;

type SelectedArea = { id: number; code: string; name: string; level: AreaLevel; path: string; casePrefix: string | null; parent: { code: string } | null };

const toRecord = ({ parent, ...area }: SelectedArea): AreaRecord => ({ ...area, parentCode: parent?.code ?? null });

/** The scope's area and every area below it, in tree order (each area right before its subtree). */
export async function areasWithin(db: Db, scope: AreaScope): Promise<AreaRecord[]> {
  const rows = await db.area.findMany({ where: areaWithin(scope), select: AREA_SELECT, orderBy: { path: 'asc' } });
  return rows.map(toRecord);
}

/** An area of the scope by code, or null (also for one that exists outside it). */
export async function areaInScope(db: Db, scope: AreaScope, code: string): Promise<AreaRecord | null> {
  const row = await db.area.findFirst({ where: { code, ...areaWithin(scope) }, select: AREA_SELECT });
  return row && toRecord(row);
}

/** Adds an area one level below its parent (a township to a district, a village to a township). */
export async function createArea(
  db: Db,
  input: { parent: AreaRecord; code: string; name: string; casePrefix?: string; actor: string; now: Date },
): Promise<AreaRecord> {
  const level = childLevel(input.parent.level);
  if (!level) throw new DomainError('no_level_below_village', 'a village has no areas below it');
  const path = areaPath(input.parent.path, input.code);
  return db.$transaction(async (tx) => {
    if (await tx.area.findUnique({ where: { code: input.code }, select: { id: true } })) {
      throw new DomainError('area_code_taken', `an area with code ${input.code} exists already`);
    }
    const created = await tx.area.create({
      data: { code: input.code, name: input.name, level, path, parentId: input.parent.id, casePrefix: input.casePrefix ?? null, createdAt: input.now },
      select: AREA_SELECT,
    });
    await recordAudit(tx, { at: input.now, actor: input.actor, action: 'area.create', subjectType: 'Area', subjectId: created.id, after: { code: input.code, name: input.name, level } });
    return toRecord(created);
  });
}

/** The path of an area by id: the scope of a person acting within it. */
export async function areaPathOf(db: Db | Tx, areaId: number): Promise<string> {
  return (await db.area.findUniqueOrThrow({ where: { id: areaId }, select: { path: true } })).path;
}

/** The villages of the given townships, by code. */
export async function villagesOfTownships(db: Db | Tx, townshipIds: number[]): Promise<Array<{ id: number; name: string; parentId: number | null }>> {
  return db.area.findMany({ where: { parentId: { in: townshipIds }, level: 'village' }, orderBy: [{ code: 'asc' }], select: { id: true, name: true, parentId: true } });
}

/** Cities and districts, by path: the areas a quarterly report is announced for. */
export function citiesAndDistricts(db: Db | Tx): Promise<Array<{ id: number; code: string; name: string; path: string }>> {
  return db.area.findMany({ where: { level: { in: ['city', 'district'] } }, select: { id: true, code: true, name: true, path: true }, orderBy: { path: 'asc' } });
}
