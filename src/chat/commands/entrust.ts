import { keyed } from '../../texts/keyedMessages';
import { z } from 'zod';
import { parseAgreementTerms, type AgreementTerms } from '../../domain/guardianshipAgreement';
import { CAPACITY_LEVEL_LABELS } from '../../domain/labels';
import { localDate } from '../../domain/schoolCalendar';
import { guardianByName, isAwayParentOf, requestAgreement, validAgreementWith } from '../../store/agreements/guardianshipAgreements';
import { reportAudience } from '../../store/cases/reports';
import { catalog } from '../../texts/catalog';
import { decideAgreement } from '../../usecases/decideAgreement';
import { tellVillageStaff } from '../../usecases/villageStaff';
import { senderAsActor } from '../actor';
import { childrenOf } from '../childChoice';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildByName } from '../villageChild';

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

  const outcome = await decideAgreement(
    tx,
    await senderAsActor(tx, sender),
    { child, guardian, terms, inboxMessageId: turn.message.id },
    { now, timeZone: settings.timeZone, caseDeadlines: settings.caseDeadlines },
  );
  if (!outcome.decided) return turn.reply(outcome.reason === 'until_past' ? catalog.entrustUntilPast(outcome.validUntil) : catalog.entrustNoAwayParent(child.name));
  const lines = [
    outcome.status === 'approved'
      ? catalog.entrustApproved(child.name, guardian.name, outcome.relation, CAPACITY_LEVEL_LABELS[terms.capacityLevel], outcome.validFrom, outcome.validUntil)
      : catalog.entrustRefused(child.name, guardian.name, refusalReason(terms)),
  ];
  if (outcome.followUp) lines.push(catalog.entrustFollowUp(guardian.name));
  if (outcome.report) lines.push(catalog.guardianshipGapFiled(outcome.report.urgent, outcome.report.number));
  else if (outcome.status === 'rejected') lines.push(catalog.entrustFindAnother(child.name));
  return turn.reply(lines.join('\n'));
}

function refusalReason(terms: AgreementTerms): string {
  return terms.capacityLevel === 'absent' || terms.capacityLevel === 'improper'
    ? catalog.entrustCapacityReason(CAPACITY_LEVEL_LABELS[terms.capacityLevel])
    : catalog.entrustUnwillingReason;
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
  if (!(await isAwayParentOf(tx, child.id, sender.person.id))) return turn.reply(catalog.entrustParentNotAway);
  const guardian = await guardianByName(tx, child, guardianName!);
  if (guardian === 'ambiguous') return turn.reply(catalog.entrustGuardianAmbiguous(guardianName!));
  if (!guardian) return turn.reply(catalog.entrustGuardianNotRegistered(guardianName!, child.name));

  const valid = await validAgreementWith(tx, child.id, guardian.id, localDate(now, settings.timeZone));
  if (valid) return turn.reply(catalog.entrustAlreadyValid(child.name, guardian.name, valid.validUntil));
  const relationOfGuardian = relationWord ?? guardian.linkRelation ?? null;
  const request = await requestAgreement(tx, {
    childId: child.id,
    parentId: sender.person.id,
    guardianId: guardian.id,
    relation: relationOfGuardian,
    requestedById: sender.person.id,
    now,
  });
  if (!request.created) return turn.reply(catalog.entrustAlreadyRequested(child.name, guardian.name));
  // The village's directors decide a request; when none can be reached, the township's officers.
  await tellVillageStaff(tx, await reportAudience(tx, child.areaId), keyed.entrustRequestForDirector(sender.person.name, child.name, guardian.name, relationOfGuardian), {
    now,
    inboxMessageId: turn.message.id,
  });
  return turn.reply(catalog.entrustRequested(child.name, guardian.name));
}
