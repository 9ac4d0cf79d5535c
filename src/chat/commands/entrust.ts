import { z } from 'zod';
import { CAPACITY_LEVEL_NAMES, decideOnCapacity, defaultValidUntil, parseAgreementTerms, type AgreementTerms } from '../../domain/guardianshipAgreement';
import { localDate } from '../../domain/schoolCalendar';
import { personActor, recordAudit } from '../../store/auditLog';
import type { Tx } from '../../store/database';
import {
  decideAgreement,
  pendingAgreement,
  recordAgreement,
  recordGuardianshipGapReport,
  requestAgreement,
  validAgreementWith,
  type AgreementDecision,
} from '../../store/guardianshipAgreements';
import { reportAudience } from '../../store/reports';
import { queueToPerson, type QueueOptions } from '../../store/outbox';
import { catalog } from '../../texts/catalog';
import { childrenOf } from '../childChoice';
import { fileGuardianshipGap } from '../guardianshipGapReport';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildByName, type VillageChild } from '../villageChild';

const KEYWORD = '委托';

const name = z.string().min(1).max(30);
const relation = z.string().min(1).max(10);

/**
 * 委托: entrusted guardianship (委托监护责任确认书).
 * - director: `委托 <孩子> <监护人> [关系] [N岁] [健康] [愿意/不愿意] [正常/不足/失当/缺失] [至YYYY-MM-DD]`
 *   records the village's assessment and decides: approved (正常, 不足 with a follow-up), or refused
 *   (不愿意; 失当 files a high 监护缺失 report; 缺失 an urgent one). A parent's open request for the
 *   same child and guardian is the agreement decided.
 * - parent: `委托 [孩子] <监护人> [关系]` asks the village for one.
 */
export const entrustCommand: ChatCommand = {
  keywords: [KEYWORD],
  roles: ['director', 'parent'],
  async handle(turn, args) {
    const bound = turn as BoundTurn;
    const tokens = args.split(' ').filter(Boolean);
    return bound.sender.person.role === 'director' ? directorDecides(bound, tokens) : parentAsks(bound, tokens);
  },
};

interface Guardian {
  id: number;
  name: string;
  /** The relation on the guardian's link to the child; null when not linked to the child yet. */
  link: { relation: string | null } | null;
}

/**
 * The guardian a name means: a guardian linked to the child, else one registered in the child's
 * village. Null when there is none, 'ambiguous' when several of the village share the name.
 */
async function guardianByName(tx: Tx, child: { id: number; areaId: number }, guardianName: string): Promise<Guardian | 'ambiguous' | null> {
  const people = await tx.person.findMany({
    where: { name: guardianName, role: 'guardian', OR: [{ areaId: child.areaId }, { links: { some: { childId: child.id, kind: 'guardian', endedAt: null } } }] },
    orderBy: { id: 'asc' },
    select: { id: true, name: true, links: { where: { childId: child.id, kind: 'guardian', endedAt: null }, select: { relation: true } } },
  });
  const linked = people.find((person) => person.links.length > 0);
  if (linked) return { id: linked.id, name: linked.name, link: linked.links[0]! };
  if (people.length > 1) return 'ambiguous';
  return people[0] ? { id: people[0].id, name: people[0].name, link: null } : null;
}

async function directorDecides(turn: BoundTurn, tokens: string[]): Promise<void> {
  const { tx, sender, now, settings } = turn;
  // An assessment of a family member, and possibly a report, must not be read out in the family's room.
  if (turn.message.roomExternalId) return turn.reply(catalog.entrustPrivateOnly);
  const [childName, guardianName, ...rest] = tokens;
  if (!name.safeParse(childName).success || !name.safeParse(guardianName).success) return turn.reply(catalog.entrustDirectorUsage);
  const parsed = parseAgreementTerms(rest);
  if ('problem' in parsed) return turn.reply(catalog.entrustTermsProblem(parsed.problem));
  const terms = parsed.terms;
  if (terms.relation !== null && !relation.safeParse(terms.relation).success) return turn.reply(catalog.entrustDirectorUsage);
  const found = await villageChildByName(tx, sender.person.areaId, childName!);
  if ('reply' in found) return turn.reply(found.reply);
  const child = found.child;
  const guardian = await guardianByName(tx, child, guardianName!);
  if (guardian === 'ambiguous') return turn.reply(catalog.entrustGuardianAmbiguous(guardianName!));
  if (!guardian) return turn.reply(catalog.entrustGuardianUnknown(guardianName!, child.name));

  const today = localDate(now, settings.timeZone);
  const validUntil = terms.validUntil ?? defaultValidUntil(today);
  if (validUntil <= today) return turn.reply(catalog.entrustUntilPast(validUntil));
  const pending = await pendingAgreement(tx, child.id, guardian.id);
  const parentId = pending?.parentId ?? (await signingParent(tx, child.id));
  if (parentId === null) return turn.reply(catalog.entrustNoAwayParent(child.name));

  const decision = decideOnCapacity(terms.capacityLevel, terms.guardianWilling);
  const agreementDecision: AgreementDecision = {
    status: decision.status,
    assessment: {
      relation: terms.relation ?? pending?.relation ?? guardian.link?.relation ?? null,
      guardianAge: terms.guardianAge,
      guardianHealth: terms.guardianHealth,
      guardianWilling: terms.guardianWilling,
      capacityLevel: terms.capacityLevel,
      capacityNote: null,
    },
    validFrom: today,
    validUntil,
    deciderId: sender.person.id,
    actor: personActor(sender.person.id),
    now,
  };
  const agreement = pending
    ? await decideAgreement(tx, pending.id, agreementDecision)
    : await recordAgreement(tx, { childId: child.id, parentId, guardianId: guardian.id }, agreementDecision);
  if (decision.status === 'approved' && !guardian.link) await linkGuardian(turn, child, guardian, agreementDecision.assessment.relation);

  const lines = [
    decision.status === 'approved'
      ? catalog.entrustApproved(child.name, guardian.name, agreementDecision.assessment.relation, CAPACITY_LEVEL_NAMES[terms.capacityLevel], today, validUntil)
      : catalog.entrustRefused(child.name, guardian.name, refusalReason(terms)),
  ];
  if (decision.followUp) lines.push(catalog.entrustFollowUp(guardian.name));
  if (decision.report) {
    const description = catalog.guardianshipGapDescription(child.name, guardian.name, CAPACITY_LEVEL_NAMES[terms.capacityLevel], terms.guardianHealth);
    const report = await fileGuardianshipGap(turn, { child, severity: decision.report, description });
    await recordGuardianshipGapReport(tx, agreement.id, personActor(sender.person.id), report, now);
    lines.push(catalog.guardianshipGapFiled(decision.report === 'urgent', report.number));
  } else if (decision.status === 'rejected') {
    lines.push(catalog.entrustFindAnother(child.name));
  }
  if (pending?.requestedById) {
    const text =
      decision.status === 'approved' ? catalog.entrustRequestApproved(child.name, guardian.name, validUntil) : catalog.entrustRequestRefused(child.name, guardian.name);
    await turn.notify(pending.requestedById, text);
  }
  return turn.reply(lines.join('\n'));
}

function refusalReason(terms: AgreementTerms): string {
  return terms.capacityLevel === 'absent' || terms.capacityLevel === 'improper'
    ? catalog.entrustCapacityReason(CAPACITY_LEVEL_NAMES[terms.capacityLevel])
    : catalog.entrustUnwillingReason;
}

/** The away parent who signs: the first one linked to the child. */
async function signingParent(tx: Tx, childId: number): Promise<number | null> {
  const link = await tx.childLink.findFirst({ where: { childId, kind: 'parent', worksAway: true, endedAt: null }, orderBy: { id: 'asc' }, select: { personId: true } });
  return link?.personId ?? null;
}

/** An approved guardian registered in the village but not yet linked to the child becomes the child's guardian. */
async function linkGuardian(turn: BoundTurn, child: VillageChild, guardian: Guardian, relationWord: string | null): Promise<void> {
  const { tx, sender, now } = turn;
  const link = await tx.childLink.upsert({
    where: { childId_personId_kind: { childId: child.id, personId: guardian.id, kind: 'guardian' } },
    create: { childId: child.id, personId: guardian.id, kind: 'guardian', relation: relationWord, startedAt: now },
    update: { endedAt: null, relation: relationWord, startedAt: now },
    select: { id: true },
  });
  await recordAudit(tx, {
    at: now,
    actor: personActor(sender.person.id),
    action: 'child.link_guardian',
    subjectType: 'Child',
    subjectId: child.id,
    after: { linkId: link.id, guardianId: guardian.id, relation: relationWord },
  });
}

async function parentAsks(turn: BoundTurn, tokens: string[]): Promise<void> {
  const { tx, sender, now, settings } = turn;
  const children = await childrenOf(tx, sender.person.id, 'parent');
  if (children.length === 0) return turn.reply(catalog.noChildren);
  const named = tokens.length >= 2 ? children.find((child) => child.name === tokens[0]) : undefined;
  const child = named ?? (children.length === 1 ? children[0]! : null);
  if (!child) return turn.reply(catalog.entrustChooseChild(children.map((each) => each.name)));
  const [guardianName, relationWord, ...extra] = named ? tokens.slice(1) : tokens;
  if (!name.safeParse(guardianName).success || extra.length > 0 || (relationWord !== undefined && !relation.safeParse(relationWord).success)) {
    return turn.reply(catalog.entrustParentUsage);
  }
  const link = await tx.childLink.findFirst({ where: { childId: child.id, personId: sender.person.id, kind: 'parent', endedAt: null }, select: { worksAway: true } });
  if (!link?.worksAway) return turn.reply(catalog.entrustParentNotAway);
  const guardian = await guardianByName(tx, child, guardianName!);
  if (guardian === 'ambiguous') return turn.reply(catalog.entrustGuardianAmbiguous(guardianName!));
  if (!guardian) return turn.reply(catalog.entrustGuardianNotRegistered(guardianName!, child.name));

  const valid = await validAgreementWith(tx, child.id, guardian.id, localDate(now, settings.timeZone));
  if (valid) return turn.reply(catalog.entrustAlreadyValid(child.name, guardian.name, valid.validUntil));
  const relationOfGuardian = relationWord ?? guardian.link?.relation ?? null;
  const request = await requestAgreement(tx, {
    childId: child.id,
    parentId: sender.person.id,
    guardianId: guardian.id,
    relation: relationOfGuardian,
    requestedById: sender.person.id,
    now,
  });
  if (!request.created) return turn.reply(catalog.entrustAlreadyRequested(child.name, guardian.name));
  await tellVillageStaff(tx, child.areaId, catalog.entrustRequestForDirector(sender.person.name, child.name, guardian.name, relationOfGuardian), {
    now,
    inboxMessageId: turn.message.id,
  });
  return turn.reply(catalog.entrustRequested(child.name, guardian.name));
}

/** The village's directors decide a request; when none can be reached, the township's officers, so it is never lost. */
async function tellVillageStaff(tx: Tx, villageId: number, text: string, options: QueueOptions): Promise<void> {
  const audience = await reportAudience(tx, villageId);
  let told = 0;
  for (const director of audience.directors) if (await queueToPerson(tx, director, text, options)) told += 1;
  if (told === 0) for (const officer of audience.townshipOfficers) await queueToPerson(tx, officer, text, options);
}
