import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../domain/caseDeadlines';
import { defaultSeverity, matchReportType, mentionsSuspicion, REPORT_TYPES, REPORT_TYPE_INFO, type ReportType } from '../../domain/reportType';
import { DEFAULT_ATTACHMENT_MAX_BYTES } from '../../config';
import { endDialog, saveDialog, type ChatDialogState } from '../../store/messaging/chatDialogs';
import { catalog } from '../../texts/catalog';
import { fileReport } from '../../usecases/fileReport';
import type { BoundTurn, ChatCommand } from '../turn';
import { villageChildrenNamed, type VillageChild } from '../villageChild';

const KIND = 'report';
/** A draft left alone this long is dropped. */
const REPORT_DIALOG_TIMEOUT_MS = 30 * 60_000;
const MAX_TEXT_LENGTH = 1000;
const MIN_DESCRIPTION_LENGTH = 2;

const STEPS = ['child', 'child_choice', 'type', 'description', 'actions', 'urgency', 'confirm'] as const;
type Step = (typeof STEPS)[number];
const PREVIOUS: Record<Step, Step | null> = {
  child: null,
  child_choice: 'child',
  type: 'child',
  description: 'type',
  actions: 'description',
  urgency: 'actions',
  confirm: 'urgency',
};

const descriptionText = z.string().min(MIN_DESCRIPTION_LENGTH).max(MAX_TEXT_LENGTH);
const actionsText = z.string().max(MAX_TEXT_LENGTH);
const oneLineArgs = z.object({ child: z.string().min(1).max(30), type: z.string().min(1).max(20), description: descriptionText });

function descriptionProblem(code: string): string {
  return code === 'too_big' ? catalog.reportTooLong(MAX_TEXT_LENGTH) : catalog.reportDescriptionTooShort;
}

const ATTACHMENT_KIND = z.enum(['image', 'audio', 'video', 'file']);

const draftSchema = z.object({
  /** Started by a one-line 报告 whose child name several children share: filed as soon as one is chosen. */
  oneLine: z.boolean(),
  childName: z.string().optional(),
  candidates: z.array(z.object({ id: z.number(), areaId: z.number(), birthDate: z.string() })).optional(),
  child: z.object({ id: z.number(), name: z.string(), areaId: z.number() }).optional(),
  type: z.enum(REPORT_TYPES).optional(),
  suspected: z.boolean(),
  description: z.string().optional(),
  actionsTaken: z.string().nullable().optional(),
  severity: z.enum(SEVERITIES).optional(),
  attachments: z.array(z.object({ kind: ATTACHMENT_KIND, path: z.string(), sha256: z.string(), size: z.number(), mimeType: z.string().nullable() })),
});
type Draft = z.infer<typeof draftSchema>;

const NONE_WORDS = new Set(['无', '没有', '暂无', '没', '还没有', '未采取']);
const URGENT_WORDS = new Set(['紧急', '是', '急', '很急', '是的']);
const NOT_URGENT_WORDS = new Set(['不紧急', '否', '不', '不急', '一般', '不是']);
const CONFIRM_WORDS = new Set(['确认', '提交', '是', '好', '确定', '对']);
/** Letters or digits: an emoji or an empty message answers no question. */
const HAS_WORDS = /[\p{L}\p{N}]/u;
const TYPE_NAMES = REPORT_TYPES.map((type) => REPORT_TYPE_INFO[type].name);

/**
 * 报告 <孩子> <类型> <描述>: a director files a report (通报处置卡) on a child of their own village
 * in one line. 报告 alone starts the guided dialog. A name several children share gets a numbered
 * choice, kept as a dialog so the answer (the number) can find it. Private chat only: a report
 * names a family's troubles.
 */
export const reportCommand: ChatCommand = {
  keywords: ['报告'],
  roles: ['director'],
  async handle(turn, args) {
    const bound = turn as BoundTurn;
    if (turn.message.roomExternalId !== null) return turn.reply(catalog.reportPrivateOnly);
    if (args === '') {
      await save(bound, 'child', newDraft(false));
      return turn.reply(`${catalog.reportStarted}\n${catalog.reportAskChild}`);
    }
    return fileOneLine(bound, args);
  },
  dialog: {
    kind: KIND,
    continue: continueDialog,
    expiredNotice: catalog.reportDraftExpired,
  },
};

/**
 * A director's free-text account of a visit, as the guided report's draft: with the child known it
 * waits only for one word (确认); otherwise it asks for the child and then for that word.
 */
export async function startPrefilledReport(
  turn: BoundTurn,
  report: { child: VillageChild | null; type: ReportType; description: string; severity: Severity },
): Promise<void> {
  if (turn.message.roomExternalId !== null) return turn.reply(catalog.reportPrivateOnly);
  const draft: Draft = { ...newDraft(false), type: report.type, description: report.description.slice(0, MAX_TEXT_LENGTH), actionsTaken: null, severity: report.severity };
  if (!report.child) {
    await save(turn, 'child', draft);
    return turn.reply(`${catalog.reportStarted}\n${catalog.reportAskChild}`);
  }
  return next(turn, 'confirm', { ...draft, child: report.child });
}

/** After the child: the next question, or the confirmation when the draft came pre-filled. */
function afterChild(draft: Draft): Step {
  return draft.type && draft.description ? 'confirm' : 'type';
}

function newDraft(oneLine: boolean): Draft {
  return { oneLine, suspected: false, attachments: [] };
}

async function fileOneLine(turn: BoundTurn, args: string): Promise<void> {
  const words = args.split(' ');
  const childName = words.shift()!;
  // `疑似 性侵` as well as `疑似性侵`
  const typeWord = words[0] === '疑似' && words.length > 1 ? `疑似${words.splice(0, 2)[1]}` : (words.shift() ?? '');
  const description = words.join(' ');
  const parsed = oneLineArgs.safeParse({ child: childName, type: typeWord, description });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return turn.reply(issue.path[0] === 'description' && description !== '' ? descriptionProblem(issue.code) : catalog.reportUsage);
  }
  const matched = matchReportType(typeWord);
  if (!matched) return turn.reply(catalog.reportUnknownType(typeWord, TYPE_NAMES));

  const draft: Draft = {
    ...newDraft(true),
    type: matched.type,
    suspected: matched.suspected || mentionsSuspicion(description),
    description,
    actionsTaken: null,
    severity: defaultSeverity(matched.type),
  };
  const children = await villageChildrenNamed(turn.tx, turn.sender.person.areaId, childName);
  if (children.length === 0) return turn.reply(catalog.childNotInVillage(childName));
  if (children.length > 1) return offerChoice(turn, draft, childName, children);
  return file(turn, { ...draft, child: children[0]! });
}

async function offerChoice(turn: BoundTurn, draft: Draft, name: string, children: Array<VillageChild & { birthDate: string }>): Promise<void> {
  const candidates = children.map(({ id, areaId, birthDate }) => ({ id, areaId, birthDate }));
  await save(turn, 'child_choice', { ...draft, childName: name, candidates });
  return turn.reply(catalog.reportChooseChild(name, candidates.map((child) => child.birthDate), draft.oneLine));
}

async function continueDialog(turn: BoundTurn, dialog: ChatDialogState, text: string): Promise<void> {
  const step = STEPS.find((candidate) => candidate === dialog.step);
  const parsed = draftSchema.safeParse(dialog.data);
  // A dialog this code cannot read (e.g. left by another version) is dropped rather than guessed at.
  if (!step || !parsed.success) {
    await endDialog(turn.tx, turn.sender.person.id, KIND);
    return turn.reply(catalog.reportDraftExpired);
  }
  const draft = parsed.data;
  if (turn.message.attachment) return addAttachment(turn, step, draft);
  if (text === '取消') {
    await endDialog(turn.tx, turn.sender.person.id, KIND);
    return turn.reply(catalog.reportCancelled);
  }
  if (text === '上一步') {
    const previous = PREVIOUS[step];
    if (!previous) return turn.reply(catalog.reportNoEarlierStep);
    await save(turn, previous, draft);
    return turn.reply(question(previous, draft));
  }
  if (text === '帮助' || text === '报告' || !HAS_WORDS.test(text)) return turn.reply(`${question(step, draft)}\n${catalog.reportStepHint}`);
  return ANSWER[step](turn, draft, text);
}

type StepAnswer = (turn: BoundTurn, draft: Draft, text: string) => Promise<void>;

const ANSWER: Record<Step, StepAnswer> = {
  async child(turn, draft, text) {
    const children = await villageChildrenNamed(turn.tx, turn.sender.person.areaId, text);
    if (children.length === 0) return turn.reply(`${catalog.childNotInVillage(text)}\n${question('child', draft)}`);
    if (children.length > 1) return offerChoice(turn, draft, text, children);
    if (draft.oneLine) return file(turn, { ...draft, child: children[0]! });
    return next(turn, afterChild(draft), { ...draft, child: children[0]! });
  },
  async child_choice(turn, draft, text) {
    const candidates = draft.candidates ?? [];
    const chosen = /^\d{1,2}$/.test(text) ? candidates[Number(text) - 1] : undefined;
    if (!chosen) return turn.reply(`${catalog.reportBadChoice(candidates.length)}\n${question('child_choice', draft)}`);
    const child = { id: chosen.id, areaId: chosen.areaId, name: draft.childName ?? '' };
    if (draft.oneLine) return file(turn, { ...draft, child });
    return next(turn, afterChild(draft), { ...draft, child });
  },
  async type(turn, draft, text) {
    const matched = matchReportType(text.replace(/ /g, ''));
    if (!matched) return turn.reply(catalog.reportUnknownType(text, TYPE_NAMES));
    return next(turn, 'description', { ...draft, type: matched.type, suspected: matched.suspected });
  },
  async description(turn, draft, text) {
    const checked = descriptionText.safeParse(text);
    if (!checked.success) return turn.reply(descriptionProblem(checked.error.issues[0]!.code));
    return next(turn, 'actions', { ...draft, description: text, suspected: draft.suspected || mentionsSuspicion(text) });
  },
  async actions(turn, draft, text) {
    if (!actionsText.safeParse(text).success) return turn.reply(catalog.reportTooLong(MAX_TEXT_LENGTH));
    return next(turn, 'urgency', { ...draft, actionsTaken: NONE_WORDS.has(text) ? null : text });
  },
  async urgency(turn, draft, text) {
    const severity: Severity | null = URGENT_WORDS.has(text) ? 'urgent' : NOT_URGENT_WORDS.has(text) ? 'normal' : null;
    if (!severity) return turn.reply(catalog.reportBadUrgency);
    return next(turn, 'confirm', { ...draft, severity });
  },
  async confirm(turn, draft, text) {
    if (!CONFIRM_WORDS.has(text)) return turn.reply(`${catalog.reportBadConfirm}\n\n${question('confirm', draft)}`);
    return file(turn, draft);
  },
};

async function next(turn: BoundTurn, step: Step, draft: Draft): Promise<void> {
  await save(turn, step, draft);
  return turn.reply(question(step, draft));
}

function question(step: Step, draft: Draft): string {
  switch (step) {
    case 'child':
      return catalog.reportAskChild;
    case 'child_choice':
      return catalog.reportChooseChild(draft.childName ?? '', (draft.candidates ?? []).map((child) => child.birthDate), draft.oneLine);
    case 'type':
      return catalog.reportAskType(TYPE_NAMES);
    case 'description':
      return catalog.reportAskDescription;
    case 'actions':
      return catalog.reportAskActions;
    case 'urgency':
      return catalog.reportAskUrgency(draft.type ? REPORT_TYPE_INFO[draft.type].mandatory : false);
    case 'confirm':
      return catalog.reportConfirm({
        child: draft.child?.name ?? '',
        type: draft.type ? REPORT_TYPE_INFO[draft.type].name : '',
        suspected: draft.suspected,
        severity: draft.severity ?? 'normal',
        description: draft.description ?? '',
        actionsTaken: draft.actionsTaken ?? null,
        attachments: draft.attachments.length,
      });
  }
}

/** A photo or voice note sent while filling in: kept with the draft, filed with the report. */
async function addAttachment(turn: BoundTurn, step: Step, draft: Draft): Promise<void> {
  const attachment = turn.message.attachment!;
  if (attachment.path === null && attachment.sha256 !== null) {
    return turn.reply(`${catalog.reportAttachmentNotStored(attachment.kind)}\n${question(step, draft)}`);
  }
  if (attachment.path === null || attachment.sha256 === null || attachment.size === null) {
    const maxBytes = turn.settings.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
    return turn.reply(catalog.reportAttachmentNotKept(Math.round(maxBytes / 1024 / 1024)));
  }
  const kind = ATTACHMENT_KIND.safeParse(attachment.kind);
  const kept = {
    kind: kind.success ? kind.data : 'file',
    path: attachment.path,
    sha256: attachment.sha256,
    size: attachment.size,
    mimeType: attachment.mimeType,
  } as const;
  const attachments = draft.attachments.some((file) => file.sha256 === kept.sha256) ? draft.attachments : [...draft.attachments, kept];
  await save(turn, step, { ...draft, attachments });
  return turn.reply(`${catalog.reportAttachmentAdded(kept.kind, attachments.length)}\n${question(step, { ...draft, attachments })}`);
}

async function file(turn: BoundTurn, draft: Draft): Promise<void> {
  const { tx, sender, now, settings } = turn;
  const type: ReportType = draft.type ?? 'other';
  const severity = draft.severity ?? defaultSeverity(type);
  // The draft ends before the case number is drawn (fileReport): the number's row stays locked until the filing commits.
  await endDialog(tx, sender.person.id, KIND);
  const report = await fileReport(
    tx,
    {
      child: draft.child!,
      type,
      severity,
      suspected: draft.suspected,
      description: draft.description ?? '',
      actionsTaken: draft.actionsTaken ?? null,
      source: 'director',
      reporter: sender.person,
      attachments: draft.attachments,
    },
    { now, timeZone: settings.timeZone, deadlines: settings.caseDeadlines, inboxMessageId: turn.message.id },
  );
  return turn.reply(catalog.reportFiled(report.number, severity));
}

async function save(turn: BoundTurn, step: Step, draft: Draft): Promise<void> {
  await saveDialog(turn.tx, turn.sender.person.id, { kind: KIND, step, data: draft, expiresAt: new Date(turn.now.getTime() + REPORT_DIALOG_TIMEOUT_MS) });
}
