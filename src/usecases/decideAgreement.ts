import { keyed } from '../texts/keyedMessages';
import type { CaseDeadlineHours } from '../domain/caseDeadlines';
import { CAPACITY_LEVEL_LABELS } from '../domain/labels';
import { decideOnCapacity, defaultValidUntil, type AgreementTerms } from '../domain/guardianshipAgreement';
import { localDate } from '../domain/schoolCalendar';
import type { Tx } from '../store/db/database';
import { decideAgreement as storeDecision, pendingAgreement, recordAgreement, recordGuardianshipGapReport, signingParent, type AgreementDecision } from '../store/agreements/guardianshipAgreements';
import { queueToPerson } from '../store/messaging/outbox';
import { catalog } from '../texts/catalog';
import type { ActingPerson, Actor } from './actor';
import { fileReport } from './fileReport';
import { linkPerson } from './linkPerson';

export interface AgreementToDecide {
  child: { id: number; name: string; areaId: number };
  /** The guardian; `linkRelation` is the relation on their current guardian link, undefined when not linked to the child. */
  guardian: { id: number; name: string; linkRelation?: string | null };
  terms: AgreementTerms;
  /** The message that decided it, so the notifications count among what handling it produced. */
  inboxMessageId?: number;
}

export type AgreementOutcome =
  | { decided: false; reason: 'until_past'; validUntil: string }
  | { decided: false; reason: 'no_away_parent' }
  | {
      decided: true;
      status: 'approved' | 'rejected';
      agreementId: number;
      relation: string | null;
      validFrom: string;
      validUntil: string;
      /** Approved with insufficient capacity: the director follows up. */
      followUp: boolean;
      /** The 监护缺失 report a refusal for improper or absent capacity filed. */
      report: { number: string; urgent: boolean } | null;
    };

/**
 * A director decides an entrusted-guardianship agreement (委托监护责任确认书) on the village's
 * assessment of the guardian: a parent's open request for the same child and guardian is the one
 * decided, else a new agreement signed by the first away parent. Approved: the guardian becomes
 * the child's guardian if not yet linked. Refused for improper (失当) or absent (缺失) capacity:
 * a high or urgent 监护缺失 report through the one filing path. The parent who asked is told.
 */
export async function decideAgreement(
  tx: Tx,
  actor: Actor & { person: ActingPerson },
  request: AgreementToDecide,
  settings: { now: Date; timeZone: string; caseDeadlines?: CaseDeadlineHours },
): Promise<AgreementOutcome> {
  const { child, guardian, terms } = request;
  const { now } = settings;
  const today = localDate(now, settings.timeZone);
  const validUntil = terms.validUntil ?? defaultValidUntil(today);
  if (validUntil <= today) return { decided: false, reason: 'until_past', validUntil };
  const pending = await pendingAgreement(tx, child.id, guardian.id);
  const parentId = pending?.parentId ?? (await signingParent(tx, child.id));
  if (parentId === null) return { decided: false, reason: 'no_away_parent' };

  const decision = decideOnCapacity(terms.capacityLevel, terms.guardianWilling);
  const relation = terms.relation ?? pending?.relation ?? guardian.linkRelation ?? null;
  const agreementDecision: AgreementDecision = {
    status: decision.status,
    assessment: {
      relation,
      guardianAge: terms.guardianAge,
      guardianHealth: terms.guardianHealth,
      guardianWilling: terms.guardianWilling,
      capacityLevel: terms.capacityLevel,
      capacityNote: null,
    },
    validFrom: today,
    validUntil,
    deciderId: actor.person.id,
    actor: actor.audit,
    now,
  };
  const agreement = pending
    ? await storeDecision(tx, pending.id, agreementDecision)
    : await recordAgreement(tx, { childId: child.id, parentId, guardianId: guardian.id }, agreementDecision);
  if (decision.status === 'approved' && guardian.linkRelation === undefined) {
    await linkPerson(tx, actor, { childId: child.id, personId: guardian.id, kind: 'guardian', relation }, settings);
  }

  let report: { number: string; urgent: boolean } | null = null;
  if (decision.report) {
    const description = catalog.guardianshipGapDescription(child.name, guardian.name, CAPACITY_LEVEL_LABELS[terms.capacityLevel], terms.guardianHealth);
    const filed = await fileReport(
      tx,
      {
        child,
        type: 'guardianship_gap',
        severity: decision.report,
        description,
        source: 'director',
        reporter: actor.person,
      },
      {
        now,
        timeZone: settings.timeZone,
        deadlines: settings.caseDeadlines,
        inboxMessageId: request.inboxMessageId,
        staffAlert: (number) => keyed.guardianshipGapAlert(number, child.name, description),
      },
    );
    await recordGuardianshipGapReport(tx, agreement.id, actor.audit, filed, now);
    report = { number: filed.number, urgent: decision.report === 'urgent' };
  }
  if (pending?.requestedById) {
    const text = decision.status === 'approved' ? keyed.entrustRequestApproved(child.name, guardian.name, validUntil) : keyed.entrustRequestRefused(child.name, guardian.name);
    await queueToPerson(tx, pending.requestedById, text, { now, inboxMessageId: request.inboxMessageId });
  }
  return { decided: true, status: decision.status, agreementId: agreement.id, relation, validFrom: today, validUntil, followUp: decision.followUp, report };
}
