import { inArea, type AreaScope } from './areaScopeFilter';
import type { AgreementStatus, Db, Prisma } from './database';

const AGREEMENT_SELECT = {
  id: true,
  status: true,
  relation: true,
  guardianAge: true,
  guardianHealth: true,
  guardianWilling: true,
  capacityLevel: true,
  capacityNote: true,
  weeklyContactDuty: true,
  approvedAt: true,
  validFrom: true,
  validUntil: true,
  note: true,
  createdAt: true,
  updatedAt: true,
  child: { select: { id: true, name: true, area: { select: { code: true, name: true } } } },
  parent: { select: { id: true, name: true } },
  guardian: { select: { id: true, name: true } },
  approvedBy: { select: { id: true, name: true } },
} as const;

export type AgreementRecord = Prisma.GuardianshipAgreementGetPayload<{ select: typeof AGREEMENT_SELECT }>;

/** Guardianship agreements of children of the subtree, by id, one page (limit + 1 rows). */
export async function listAgreements(
  db: Db,
  filter: { within: AreaScope; status?: AgreementStatus; childId?: number; after?: number; limit: number },
): Promise<AgreementRecord[]> {
  return db.guardianshipAgreement.findMany({
    where: {
      child: inArea(filter.within),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.childId ? { childId: filter.childId } : {}),
      ...(filter.after !== undefined ? { id: { gt: filter.after } } : {}),
    },
    select: AGREEMENT_SELECT,
    orderBy: { id: 'asc' },
    take: filter.limit + 1,
  });
}

export async function agreementInScope(db: Db, scope: AreaScope, id: number): Promise<AgreementRecord | null> {
  return db.guardianshipAgreement.findFirst({ where: { id, child: inArea(scope) }, select: AGREEMENT_SELECT });
}
