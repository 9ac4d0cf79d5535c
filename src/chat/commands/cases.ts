import { DateTime } from 'luxon';
import { z } from 'zod';
import { allowedActions, departmentOfWord, type CaseAction, type CaseState, type Department } from '../../domain/caseWorkflow';
import { DomainError } from '../../domain/DomainError';
import { findCase, openCasesInArea, type CaseActor, type CaseDetail, type CaseStepRecord } from '../../store/cases/cases';
import { moveCaseStep } from '../../usecases/referrals';
import { CASE_ACTION_WORDS, catalog } from '../../texts/catalog';
import type { BoundTurn, ChatCommand } from '../turn';
import { CASE_STATE_LABELS, DEPARTMENT_LABELS, REPORT_TYPE_LABELS, SEVERITY_LABELS } from '../../domain/labels';
import { areaPathOf } from '../../store/registry/areas';

const CASE_NUMBER = /^[A-Z]{1,10}-\d{4}-\d{1,9}$/;
const NOTE_LIMIT = 500;
const LIST_LIMIT = 30;

const noteArg = z.string().max(NOTE_LIMIT).nullable();

/** A time as the director reads it: 11月28日 10:00 (with the year when it is not this year's). */
function localTime(date: Date, now: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(date, { zone: timeZone });
  return local.toFormat(local.year === DateTime.fromJSDate(now, { zone: timeZone }).year ? 'M月d日 HH:mm' : 'yyyy年M月d日 HH:mm');
}

const nextHints = (state: CaseState) => allowedActions(state).map((action) => catalog.caseActionHints[action]);

function stepWho({ actor }: CaseStepRecord): string {
  switch (actor.kind) {
    case 'person':
    case 'account':
      return actor.name;
    case 'token':
      return catalog.caseActorApi;
    case 'system':
      return catalog.caseActorSystem;
    default:
      return '';
  }
}

function describeCase(detail: CaseDetail, now: Date, timeZone: string): string {
  const time = (date: Date) => localTime(date, now, timeZone);
  return catalog.caseDetail({
    number: detail.number,
    severity: SEVERITY_LABELS[detail.severity],
    child: detail.child?.name ?? detail.subjectName ?? '',
    village: detail.area.name,
    type: REPORT_TYPE_LABELS[detail.type],
    suspected: detail.suspected,
    state: CASE_STATE_LABELS[detail.state],
    due: detail.dueAt ? time(detail.dueAt) : null,
    overdue: detail.dueAt !== null && detail.dueAt <= now,
    department: detail.department ? DEPARTMENT_LABELS[detail.department] : null,
    reporter: detail.reporterVisible ? (detail.reporter?.name ?? catalog.caseReporterSystem) : null,
    description: detail.description,
    actionsTaken: detail.actionsTaken,
    history: detail.steps.map((step) =>
      catalog.caseHistoryLine(
        time(step.at),
        stepWho(step),
        step.referralEvent ? catalog.referralStepNames[step.referralEvent] : catalog.caseStepNames[step.fromState === 'closed' ? 'reopened' : step.toState],
        step.department ? DEPARTMENT_LABELS[step.department] : null,
        step.note,
      ),
    ),
    next: nextHints(detail.state),
  });
}

/**
 * 案件: a director's cases. Alone it lists the village's open cases; with a number it shows one
 * with its history and reporter; with an action word it moves the case (核实, 转介 <部门>, 帮扶,
 * 结案, 驳回, 重开). A case of another village gets the same answer as a number that does not exist.
 * Private chat only.
 */
export const casesCommand: ChatCommand = {
  keywords: ['案件'],
  roles: ['director'],
  async handle(turn, args) {
    const { tx, sender, now, settings, message } = turn as BoundTurn;
    // A room may be the family's care room: cases, and above all their reporters, stay out of it.
    if (message.roomExternalId !== null) return turn.reply(catalog.casesPrivateOnly);
    const village = { path: await areaPathOf(tx, sender.person.areaId) };
    const actor: CaseActor = { kind: 'person', personId: sender.person.id, role: sender.person.role, areaPath: village.path };
    const time = (date: Date) => localTime(date, now, settings.timeZone);

    const [numberWord, actionWord, ...rest] = args.split(' ').filter(Boolean);
    if (!numberWord) {
      const open = await openCasesInArea(tx, village.path);
      if (open.length === 0) return turn.reply(catalog.casesNone);
      const lines = open
        .slice(0, LIST_LIMIT)
        .map((c) =>
          catalog.casesListLine(c.number, c.childName, REPORT_TYPE_LABELS[c.type], CASE_STATE_LABELS[c.state], c.dueAt ? time(c.dueAt) : null, c.dueAt !== null && c.dueAt <= now),
        );
      if (open.length > LIST_LIMIT) lines.push(catalog.casesListMore(LIST_LIMIT, open.length));
      return turn.reply(catalog.casesList(lines, open.length));
    }

    const number = numberWord.toUpperCase();
    if (!CASE_NUMBER.test(number)) return turn.reply(catalog.caseBadNumber(numberWord));
    const detail = await findCase(tx, { number }, actor, now);
    if (!detail) return turn.reply(catalog.caseNotFound(number));
    if (!actionWord) return turn.reply(describeCase(detail, now, settings.timeZone));

    const action = (CASE_ACTION_WORDS as Record<string, CaseAction>)[actionWord];
    if (!action) return turn.reply(catalog.caseUnknownAction(actionWord));
    let department: Department | null = null;
    if (action === 'refer') {
      const word = rest.shift() ?? null;
      department = word === null ? null : departmentOfWord(word);
      if (department === null) return turn.reply(catalog.caseDepartmentUsage(number, word));
    }
    const parsed = noteArg.safeParse(rest.length ? rest.join(' ') : null);
    if (!parsed.success) return turn.reply(catalog.caseNoteTooLong(NOTE_LIMIT));

    try {
      const moved = await moveCaseStep(tx, {
        reportId: detail.id,
        action,
        note: parsed.data,
        department,
        actor,
        now,
        deadlines: settings.caseDeadlines,
        referralDeadlines: settings.referralDeadlines,
        timeZone: settings.timeZone,
      });
      return turn.reply(catalog.caseMoved(number, actionWord, CASE_STATE_LABELS[moved.state], moved.dueAt ? time(moved.dueAt) : null));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'case_transition_refused') return turn.reply(catalog.caseTransitionRefused(number, CASE_STATE_LABELS[detail.state], nextHints(detail.state)));
      if (error.code === 'referral_already_open' && department) return turn.reply(catalog.referralAlreadyOpen(number, DEPARTMENT_LABELS[department]));
      if (error.code === 'case_note_required') return turn.reply(catalog.caseNoteRequired(number, catalog.caseActionHints[action]));
      throw error;
    }
  },
};
